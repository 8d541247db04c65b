import Foundation
import Testing
import VigilTestSupport

/// Issue 19's paper cuts, with the real binary.
@Suite struct FirstHourTests {
    /// The README's example collection runs as written against the embedded emulator: a new
    /// user copying it gets a green run, not an undefined variable.
    @Test func theReadmesExampleCollectionRuns() async throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let blocks = readme.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "\n```")[0] }
        let example = try #require(blocks.first { $0.hasPrefix("name: RESTful communication") })
        let dir = try scratch(["env.yaml": embeddedEnvironment(), "example.yaml": example])
        let r = try await vigil(["run", "example.yaml", "-e", "env.yaml"], in: dir)
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stdout.contains("3 passed, 0 failed, 0 skipped"), "\(r.stdout)")
    }

    @Test func aMissingCollectionAndAMissingEnvironmentAreWordedAlike() async throws {
        let dir = try scratch(["c.yaml": "requests:\n  - GET: http://127.0.0.1:9/x\n", "env.yaml": "name: e\n"])
        let collection = try await vigil(["run", "missing.yaml", "-e", "env.yaml"], in: dir)
        let environment = try await vigil(["run", "c.yaml", "-e", "missing-env.yaml"], in: dir)
        #expect(collection.status == 2 && environment.status == 2)
        #expect(collection.stderr.contains("missing.yaml: no such file or folder"), "\(collection.stderr)")
        #expect(environment.stderr.contains("missing-env.yaml: no such file or folder"), "\(environment.stderr)")
        #expect(!collection.stderr.contains(":1:1") && !environment.stderr.contains(":1:1"))
    }

    @Test func theRunSaysWhichEnvironmentItUsesWhenNoneIsGiven() async throws {
        let dir = try scratch(["c.yaml": "requests:\n  - GET: \"{{baseUrl}}/api/.well-known/uris\"\n"])
        let r = try await vigil(["run", "c.yaml"], in: dir)
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stderr.contains("environment: the built-in emulator (no -e given)"), "\(r.stderr)")
        let given = try await vigil(["run", "c.yaml", "-e", repositoryRoot.appendingPathComponent("environments/local.yaml").path], in: dir)
        #expect(!given.stderr.contains("no -e given"), "\(given.stderr)")
    }

    @Test func anEnvironmentFileInAFolderOfCollectionsIsNamedNotReportedBroken() async throws {
        let dir = try scratch([
            "suite/c.yaml": "requests:\n  - GET: \"{{baseUrl}}/api/.well-known/uris\"\n",
            "suite/local.yaml": embeddedEnvironment(),
        ])
        let r = try await vigil(["validate", "suite"], in: dir)
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stderr.contains("suite/local.yaml: warning: an environment file, not a collection: skipped (use it with -e)"), "\(r.stderr)")
        #expect(r.stdout.contains("ok: 1 collection, 1 request"), "\(r.stdout)")
    }

    /// `vigil query Q <(cmd)`: a named pipe, read like a file.
    @Test func queryReadsAPipe() async throws {
        let dir = try scratch([:])
        let fifo = dir.appendingPathComponent("doc.json").path
        #expect(mkfifo(fifo, 0o600) == 0)
        Thread.detachNewThread {
            if let handle = FileHandle(forWritingAtPath: fifo) {
                handle.write(Data(#"{"result":{"id":42}}"#.utf8))
                try? handle.close()
            }
        }
        let r = try await vigil(["query", "result.id", fifo], in: dir)
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stdout.contains("42"), "\(r.stdout)")
    }

    /// `vigil query Q <(cmd)` as a shell gives it: a `/dev/fd/N` pipe, like `vigil run` reads.
    @Test func queryReadsProcessSubstitution() throws {
        let r = try runTool("bash", ["-c", #"exec "$0" query result.id <(printf '{"result":{"id":42}}')"#, vigilBinary.path])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("42"), "\(r.output)")
    }

    /// A request that timed out shows the time it waited, on the console and in the reports, not `(0ms)`.
    @Test func aTimedOutRequestShowsItsRealDuration() async throws {
        let server = try await ScriptedHTTPServer.start { _ in .silence }
        defer { Task { await server.stop() } }
        let dir = try scratch([
            "c.yaml": "requests:\n  - name: Wait for nothing\n    GET: \"{{baseUrl}}/silent\"\n    timeout: 400ms\n",
            "env.yaml": "name: Silent\nvariables:\n  baseUrl: \"\(server.baseURL)\"\n",
        ])
        let r = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--report", "json=r.json", "--report", "junit=j.xml"], in: dir)
        #expect(r.status == 3, "\(r.all)")
        let line = try #require(r.stdout.split(separator: "\n").first { $0.contains("Wait for nothing") }, "\(r.stdout)")
        let shown = try #require(line.firstMatch(of: /\((\d+)ms\)/)?.output.1, "\(line)")
        #expect((400..<5_000).contains(Int(shown) ?? 0), "\(line)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("r.json"))) as? [String: Any]
        let suites = json?["suites"] as? [[String: Any]]
        let request = (suites?.first?["requests"] as? [[String: Any]])?.first
        #expect(((request?["durationMs"] as? Int) ?? 0) >= 400, "\(String(describing: request?["durationMs"]))")
        let junit = try String(contentsOf: dir.appendingPathComponent("j.xml"), encoding: .utf8)
        let time = try #require(junit.firstMatch(of: /<testcase[^>]*time="([0-9.]+)"/)?.output.1)
        #expect((Double(time) ?? 0) >= 0.4, "\(time)")
    }

    @Test func theHTMLReportCountsInTheRightNumber() async throws {
        let dir = try scratch(["c.yaml": "requests:\n  - GET: \"{{baseUrl}}/api/.well-known/uris\"\n"])
        let r = try await vigil(["run", "c.yaml", "--report", "html=r.html"], in: dir)
        #expect(r.status == 0, "\(r.all)")
        let html = try String(contentsOf: dir.appendingPathComponent("r.html"), encoding: .utf8)
        #expect(html.contains("1 collection run ·"), "one run, singular")
        #expect(html.contains("0 errors"))
    }
}
