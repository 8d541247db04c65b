import Foundation
import Synchronization
import Testing
import VigilJSON
import VigilTestSupport

/// Issue 14, points 3 and 4 through the binary: `--jobs`, `--shard`, `vigil merge`.
@Suite(.serialized) struct ParallelRunTests {
    /// `/item/N` answers `{"id":N,…}`, `/missing` 404, `/token` a token (counted), `/silent` nothing.
    static func server(signIns: Counter? = nil) async throws -> ScriptedHTTPServer {
        try await ScriptedHTTPServer.start { request in
            let path = requestPath(request)
            if path.hasPrefix("/silent") { return .silence }
            if path == "/token" {
                signIns?.count.withLock { $0 += 1 }
                return .send(httpResponse(#"{"access_token":"tok-1","token_type":"Bearer","expires_in":3600}"#))
            }
            if path == "/missing" { return .send(httpResponse(#"{"error":"no such thing"}"#, status: "404 Not Found")) }
            let id = path.split(separator: "/").last.map(String.init) ?? "0"
            return .send(httpResponse(#"{"id":"\#(id.prefix { $0 != "?" })","name":"item \#(id.prefix { $0 != "?" })","state":"done"}"#))
        }
    }

    static func environment(_ name: String) -> String {
        """
        name: \(name)
        auth:
          xprotect:
            type: xprotect-basic
            username: qa
            password: secret-pw
            tokenUrl: "{{baseUrl}}/token"
        """
    }

    /// Six collections (signed in, captures, a failure and the skips after it, `finally`, the
    /// password written in one of them) and two environments.
    static func suite() throws -> URL {
        var files = ["a.yaml": environment("Env A"), "b.yaml": environment("Env B")]
        for c in 1...6 {
            var requests = ""
            for r in 1...4 {
                requests += """
                      - name: Item \(c)-\(r)
                        GET: "{{baseUrl}}/item/\(c * 10 + r)"
                        capture: { last\(r): id }
                        expect: { status: 200, body: { name: "item \(c * 10 + r)" } }

                    """
            }
            if c == 3 { requests += "  - name: Missing\n    GET: \"{{baseUrl}}/missing\"\n  - name: After the failure\n    GET: \"{{baseUrl}}/item/99\"\n" }
            if c == 5 { requests += "  - name: Says the password\n    GET: \"{{baseUrl}}/item/5?note=secret-pw\"\n" }
            files["suite/c\(c).yaml"] = """
                name: Collection \(c)
                description: The \(c)th of six.
                auth: xprotect
                requests:
                \(requests)
                finally:
                  - name: Clean up \(c)
                    GET: "{{baseUrl}}/item/{{last1}}"
                """
        }
        return try scratch(files)
    }

    /// Timings and times of day out: what may differ between two runs of the same suite.
    static func timeless(_ text: String) -> String {
        var t = text
        for (pattern, with) in [
            (#""(durationMs|elapsedMs)": [0-9]+"#, #""$1": 0"#), (#""started": "[^"]*""#, #""started": """#), (#"time="[0-9.]+""#, #"time="""#),
            (#"timestamp="[^"]*""#, #"timestamp="""#), (#"[0-9]+(\.[0-9]+)?(µs|ms|s|m)\b"#, "T"),
        ] {
            t = t.replacingOccurrences(of: pattern, with: with, options: .regularExpression)
        }
        return t
    }

    /// Every report in `dir` (JSON, JUnit, HTML, the Markdown pages), timeless.
    static func reports(_ dir: URL) throws -> [String: String] {
        var out: [String: String] = [:]
        let fm = FileManager.default
        for name in try fm.subpathsOfDirectory(atPath: dir.path) where !name.hasPrefix(".") {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: dir.appendingPathComponent(name).path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            out[name] = timeless(try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8))
        }
        return out
    }

    static func reportArguments(_ dir: String) -> [String] {
        ["--report", "json=\(dir)/r.json", "--report", "junit=\(dir)/r.xml", "--report", "html=\(dir)/r.html", "--report", "markdown=\(dir)/docs"]
    }

    @Test func jobsKeepTheConsoleAndTheReportsOfASerialRunAndSignInOnce() async throws {
        let signIns = Counter()
        let server = try await Self.server(signIns: signIns)
        defer { Task { await server.stop() } }
        let dir = try Self.suite()
        let base = ["run", "suite", "-e", "a.yaml", "--var", "baseUrl=\(server.baseURL)"]
        let serial = try await vigil(base + ["--jobs", "1"] + Self.reportArguments("serial"), in: dir)
        signIns.count.withLock { $0 = 0 }
        let connectionsBefore = server.connections
        let parallel = try await vigil(base + ["--jobs", "3"] + Self.reportArguments("parallel"), in: dir)
        #expect(serial.status == 1 && parallel.status == 1, "\(serial.all)\n\(parallel.all)")
        #expect(signIns.count.withLock { $0 } == 1, "one sign-in for the environment, whatever the number of jobs")
        #expect(server.connections - connectionsBefore >= 3, "a connection per job")
        #expect(Self.timeless(parallel.stdout) == Self.timeless(serial.stdout), "\(parallel.stdout)")
        // Grouped: each collection's block whole, in file order.
        let headers = parallel.stdout.split(separator: "\n").filter { $0.hasPrefix("Collection ") }.map { String($0.prefix(12)) }
        #expect(headers == (1...6).map { "Collection \($0)" })
        #expect(!parallel.all.contains("secret-pw"))
        let serialReports = try Self.reports(dir.appendingPathComponent("serial"))
        let parallelReports = try Self.reports(dir.appendingPathComponent("parallel"))
        #expect(serialReports.keys.sorted() == ["docs/README.md"] + (1...6).map { "docs/c\($0).md" } + ["r.html", "r.json", "r.xml"])
        for (name, text) in serialReports {
            #expect(parallelReports[name] == text, "\(name) differs")
        }
    }

    /// Three machines, each its share; merged, the reports of one run of the whole suite (a
    /// matrix of two environments), whatever order the shards' reports are given in.
    @Test func threeShardsMergedAreOneRun() async throws {
        let server = try await Self.server()
        defer { Task { await server.stop() } }
        let dir = try Self.suite()
        let base = ["run", "suite", "-e", "a.yaml", "-e", "b.yaml", "--var", "baseUrl=\(server.baseURL)", "--quiet"]
        let whole = try await vigil(base + Self.reportArguments("whole"), in: dir)
        #expect(whole.status == 1, "\(whole.all)")
        var ran: [String] = []
        for i in 1...3 {
            let shard = try await vigil(base + ["--shard", "\(i)/3", "--jobs", "2", "--report", "json=shards/\(i).json"], in: dir)
            #expect(shard.status <= 1, "\(shard.all)")
            let json = try JSONValue(parsing: Array(try Data(contentsOf: dir.appendingPathComponent("shards/\(i).json"))))
            ran += (json["suites"]?.arrayValue ?? []).compactMap { $0["file"]?.stringValue }
            #expect(json["shard"]?["index"]?.intValue == Int64(i))
        }
        // Every file in exactly one shard (once per environment).
        #expect(ran.sorted() == (1...6).flatMap { ["suite/c\($0).yaml", "suite/c\($0).yaml"] })
        let merge = try await vigil(["merge", "shards/3.json", "shards/1.json", "shards/2.json"] + Self.reportArguments("merged"), in: dir)
        #expect(merge.status == 1, "a check failed in a shard: \(merge.all)")
        #expect(merge.stdout.contains("merged 3 reports: 12 collection runs, 66 requests: 62 passed, 2 failed, 0 errors, 2 skipped"), "\(merge.all)")
        let wholeReports = try Self.reports(dir.appendingPathComponent("whole"))
        let mergedReports = try Self.reports(dir.appendingPathComponent("merged"))
        // JSON, JUnit, HTML, and the docs: an index and a page per collection in each environment.
        #expect(wholeReports.count == 3 + 1 + 12)
        #expect(mergedReports.keys.sorted() == wholeReports.keys.sorted())
        for (name, text) in wholeReports {
            #expect(mergedReports[name] == text, "\(name) differs")
            #expect(!text.contains("secret-pw"), "\(name)")
        }
    }

    @Test func listShowsEachShardsShare() async throws {
        let dir = try Self.suite()
        var listed: [String] = []
        for i in 1...4 {
            let r = try await vigil(["run", "suite", "--shard", "\(i)/4", "--list"], in: dir)
            #expect(r.status == 0, "\(r.all)")
            listed += r.stdout.split(separator: "\n").filter { $0.hasPrefix("Collection ") }.map(String.init)
        }
        #expect(listed.count == 6)
        #expect(Set(listed).count == 6)
        // The rule: sorted paths c1…c6, rank k to shard k mod 4 + 1.
        let first = try await vigil(["run", "suite", "--shard", "1/4", "--list"], in: dir)
        #expect(first.stdout.contains("(suite/c1.yaml)") && first.stdout.contains("(suite/c5.yaml)"), "\(first.stdout)")
        #expect(first.stdout.contains("in 2 collections"), "\(first.stdout)")
    }

    @Test(arguments: [
        (["--shard", "0/2"], "i from 1 to n (1-based), got 0/2"), (["--shard", "3/2"], "i from 1 to n (1-based), got 3/2"),
        (["--shard", "1/0"], "n at least 1, got 1/0"), (["--shard", "two"], "--shard takes i/n"),
        (["--jobs", "0"], "--jobs takes a whole number of at least 1"),
        (["--jobs", "65"], "--jobs takes at most 64"), (["--jobs", "x"], "--jobs"),
    ])
    func badValuesAreUsageErrors(_ arguments: [String], _ message: String) async throws {
        let r = try await vigil(["run", "collections"] + arguments)
        #expect(r.status == 4, "\(r.all)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func mergeRefusesWhatIsNotTheShardsOfOneRun() async throws {
        let server = try await Self.server()
        defer { Task { await server.stop() } }
        let dir = try Self.suite()
        let run = ["run", "suite", "-e", "a.yaml", "--var", "baseUrl=\(server.baseURL)", "--quiet"]
        _ = try await vigil(run + ["--report", "json=one.json"], in: dir)
        _ = try await vigil(run + ["--shard", "1/2", "--report", "json=half.json"], in: dir)
        try "not json".write(to: dir.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        let cases: [([String], Int32, String)] = [
            (["merge", "one.json"], 4, "give at least one --report KIND=PATH"),
            (["merge", "--report", "json=m.json"], 4, "give the JSON reports to merge"),
            (["merge", "one.json", "half.json", "--report", "json=m.json"], 2, "is in both one.json and half.json"),
            (["merge", "bad.json", "--report", "json=m.json"], 2, "bad.json:1:1: not JSON"),
            (["merge", "none.json", "--report", "json=m.json"], 2, "none.json: no such file"),
        ]
        for (arguments, status, message) in cases {
            let r = try await vigil(arguments, in: dir)
            #expect(r.status == status, "\(arguments): \(r.all)")
            #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("m.json").path))
        let partial = try await vigil(["merge", "half.json", "--report", "json=m.json"], in: dir)
        #expect(partial.stderr.contains("warning: shard 2/2 missing: the merged report lacks its collections"), "\(partial.all)")
    }

    /// Ctrl-C with two jobs: both requests in flight are cancelled, both `finally` run.
    @Test func aSignalStopsEveryJobAndEachFinallyRuns() async throws {
        let server = try await Self.server()
        defer { Task { await server.stop() } }
        var files = ["env.yaml": "name: Silent server\n"]
        for c in 1...2 {
            files["suite/s\(c).yaml"] = """
                name: Hangs \(c)
                defaults: { timeout: 60s }
                requests:
                  - name: Hang \(c)
                    GET: "{{baseUrl}}/silent/\(c)"
                finally:
                  - name: Cleanup \(c)
                    GET: "{{baseUrl}}/item/\(c)"
                """
        }
        let dir = try scratch(files)
        let clock = ContinuousClock()
        let started = clock.now
        let r = try await vigil(
            ["run", "suite", "-e", "env.yaml", "--var", "baseUrl=\(server.baseURL)", "--jobs", "2", "--report", "json=r.json"], in: dir,
            signal: (.milliseconds(1500), SIGINT))
        #expect(r.status == 130, "\(r.all)")
        #expect(clock.now - started < .milliseconds(2500), "both requests in flight were cancelled")
        #expect(r.stdout.contains("✓ finally: Cleanup 1") && r.stdout.contains("✓ finally: Cleanup 2"), "\(r.stdout)")
        let json = try JSONValue(parsing: Array(try Data(contentsOf: dir.appendingPathComponent("r.json"))))
        #expect(json["interrupted"] == .bool(true))
        #expect(json["summary"]?["passed"]?.intValue == 2, "\(json["summary"]?.serialized() ?? "")")
    }

    /// `--bail` with jobs: once a collection failed, no new one starts; the one running beside
    /// it goes on to its end, `finally` included.
    @Test func bailStopsStartingCollections() async throws {
        let server = try await Self.server()
        defer { Task { await server.stop() } }
        var files = ["a.yaml": Self.environment("Env A")]
        for c in 1...6 {
            // The first fails at once; the others take four requests each.
            let requests =
                c == 1
                ? "  - name: Missing\n    GET: \"{{baseUrl}}/missing\"\n"
                : (1...4).map { "  - name: Item \(c)-\($0)\n    GET: \"{{baseUrl}}/item/\(c * 10 + $0)\"\n" }.joined()
            files["suite/c\(c).yaml"] = "name: Collection \(c)\nrequests:\n\(requests)finally:\n  - name: Clean up \(c)\n    GET: \"{{baseUrl}}/item/\(c)\"\n"
        }
        let dir = try scratch(files)
        let r = try await vigil(["run", "suite", "-e", "a.yaml", "--var", "baseUrl=\(server.baseURL)", "--jobs", "2", "--bail"], in: dir)
        #expect(r.status == 1, "\(r.all)")
        #expect(r.stdout.contains("✗ Missing"), "\(r.stdout)")
        #expect(r.stdout.contains("✓ finally: Clean up 1"), "\(r.stdout)")
        #expect(r.stdout.contains("✓ Item 2-4") && r.stdout.contains("✓ finally: Clean up 2"), "running beside it, it ran to its end: \(r.stdout)")
        #expect(r.stdout.contains("– Item 6-1  skipped: --bail: collection 'Collection 1' failed"), "\(r.stdout)")
        #expect(r.stdout.contains("– finally: Clean up 6  skipped: --bail: collection 'Collection 1' failed"), "\(r.stdout)")
    }
}

/// A count shared with a server's handler.
final class Counter: Sendable {
    let count = Mutex(0)
}
