import Foundation
import Synchronization
import Testing
import VigilTestSupport

/// What an attacker probe of session 7 found, each fixed: a shared collection's data file
/// moving sign-in, inputs that validated and then crashed the run, reports on standard output,
/// runs that tested nothing, bad headers blamed on the server, environment files accepted by
/// validate and refused by run.
@Suite struct ProbeFindingsTests {
    /// An environment whose auth signs in at `{{baseUrl}}` (the default token URL), with the
    /// password from the process environment.
    static func signInEnvironment(_ baseURL: String) -> String {
        """
        name: Real server
        variables:
          baseUrl: \(baseURL)
          password: "{{$env.PROBE_PASSWORD}}"
        auth:
          xprotect: { type: xprotect-basic, username: admin, password: "{{password}}" }
        """
    }

    @Test func aDataFileColumnCannotMoveSignInToAnotherServer() async throws {
        let seen = Mutex<[String]>([])
        let catcher = try await ScriptedHTTPServer.start { request in
            seen.withLock { $0.append(request) }
            return .send(String(decoding: httpResponse("{}"), as: UTF8.self))
        }
        defer { Task { await catcher.stop() } }
        let dir = try scratch([
            "env.yaml": Self.signInEnvironment("http://127.0.0.1:9"),
            "rows.csv": "baseUrl\n\(catcher.baseURL)\n",
            "shared.yaml": """
            name: Cameras
            data: rows.csv
            auth: xprotect
            requests:
              - name: List cameras
                GET: "{{baseUrl}}/cameras"
            """,
        ])
        for command in ["validate", "run"] {
            let r = try await vigil([command, "shared.yaml", "-e", "env.yaml"], in: dir, environment: ["PROBE_PASSWORD": "S3cret-Admin-PW"])
            #expect(r.status == 2, "\(command): \(r.all)")
            #expect(
                r.stderr.contains(
                    "shared.yaml:2:7: column 'baseUrl' of the data file rows.csv would change where sign-in and credentials go (the environment's auth uses it); rename it"
                ), "\(r.all)")
        }
        #expect(seen.withLock { $0 }.isEmpty)
    }

    @Test func inputsThatOnceCrashedTheRunFailCleanly() async throws {
        let dir = try scratch([
            "index.yaml": """
            name: Index
            continueOnFailure: true
            requests:
              - GET: "{{baseUrl}}/api/.well-known/uris"
                expect: { headers: { "Content-Type[-9223372036854775808]": "x" } }
              - GET: "{{baseUrl}}/api/.well-known/uris"
                capture: { a: { header: "Content-Type[-9223372036854775808]" } }
            """,
            "backoff.yaml": """
            name: Backoff
            requests:
              - GET: "{{baseUrl}}/api/.well-known/uris"
                retry: { until: { status: 599 }, interval: 1ms, backoff: 1e30, timeout: 200ms }
            """,
        ])
        let index = try await vigil(["run", "index.yaml"], in: dir)
        #expect(index.status == 1, "\(index.all)")
        #expect(!index.all.contains("runtime failure"))
        let backoff = try await vigil(["run", "backoff.yaml"], in: dir)
        #expect(backoff.status == 1, "\(backoff.all)")
        #expect(backoff.stdout.contains("gave up after"), "\(backoff.all)")
        let infinite = try scratch(["c.yaml": "name: x\nrequests:\n  - GET: http://127.0.0.1:9/\n    retry: { until: { status: 200 }, backoff: .inf }\n"])
        let refused = try await vigil(["validate", "c.yaml"], in: infinite)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("c.yaml:4:47: backoff must be a number of at least 1"), "\(refused.all)")
    }

    @Test func aReportOnStandardOutputKeepsItToItself() async throws {
        let dir = try scratch([
            "c.yaml": "name: x\nrequests:\n  - GET: \"{{baseUrl}}/api/.well-known/uris\"\n    expect: { status: 200 }\n"
        ])
        for path in ["-", "/dev/stdout"] {
            let r = try await vigil(["run", "c.yaml", "--report", "junit=\(path)"], in: dir)
            #expect(r.status == 0, "\(r.all)")
            // Standard output is a pipe here: the report alone, the console on standard error.
            #expect(r.stdout.hasPrefix("<?xml"), "\(path): \(r.stdout.prefix(200))")
            #expect(r.stdout.hasSuffix("</testsuites>\n"), "\(path): \(r.stdout.suffix(200))")
            #expect(r.stderr.contains("1 passed, 0 failed"), "\(r.stderr)")
            let file = dir.appendingPathComponent("junit.xml")
            try r.stdout.write(to: file, atomically: true, encoding: .utf8)
            #expect(try runTool("xmllint", ["--noout", file.path]).status == 0)
        }
        let markdown = try await vigil(["run", "c.yaml", "--report", "markdown=-"], in: dir)
        #expect(markdown.status != 0)
        #expect(markdown.stderr.contains("a markdown report is a folder of pages; it cannot go to standard output (-)"), "\(markdown.all)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("-").path))
    }

    @Test func aReportToTheFileStandardOutputGoesToIsWrittenInPlace() async throws {
        let dir = try scratch([
            "c.yaml": "name: x\nrequests:\n  - GET: \"{{baseUrl}}/api/.well-known/uris\"\n"
        ])
        let r = try runTool("sh", ["-c", "cd '\(dir.path)' && exec '\(vigilBinary.path)' run c.yaml --report json=/dev/stdout > out.txt 2> err.txt"])
        #expect(r.status == 0, "\(r.output)")
        let out = try String(contentsOf: dir.appendingPathComponent("out.txt"), encoding: .utf8)
        let object = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
        #expect((object?["summary"] as? [String: Any])?["passed"] as? Int == 1, "\(out.prefix(300))")
        let err = try String(contentsOf: dir.appendingPathComponent("err.txt"), encoding: .utf8)
        #expect(err.contains("1 passed"))
    }

    @Test func runsThatWouldTestNothingAreRefused() async throws {
        let dir = try scratch([
            "empty.yaml": "name: x\nrequests: []\n",
            "only/fragment.yaml": "- GET: \"{{baseUrl}}/x\"\n",
            "only/env.yaml": "name: e\nvariables: { baseUrl: \"http://127.0.0.1:9\" }\n",
        ])
        let empty = try await vigil(["run", "empty.yaml", "--fail-on-skip"], in: dir)
        #expect(empty.status == 2, "\(empty.all)")
        #expect(empty.stderr.contains("empty.yaml:2:11: the collection has no requests: a run of it would test nothing"), "\(empty.all)")
        let folder = try await vigil(["run", "only"], in: dir)
        #expect(folder.status == 2, "\(folder.all)")
        #expect(folder.stderr.contains("only: holds no collection to run (only include: fragments or environment files)"), "\(folder.all)")
    }

    @Test func badHeadersAreOurRefusalNotTheServers() async throws {
        let server = try await ScriptedHTTPServer.start { _ in .send(String(decoding: httpResponse("{}"), as: UTF8.self)) }
        defer { Task { await server.stop() } }
        let dir = try scratch([
            "literal.yaml": """
            name: x
            requests:
              - GET: "\(server.baseURL)/x"
                headers: { "X:Y": a, "Bad Name": b, X-Bell: "a\\x07b" }
            """,
            "resolved.yaml": """
            name: x
            variables: { bell: "a\\x01b" }
            requests:
              - GET: "\(server.baseURL)/x"
                headers: { X-Note: "{{bell}}" }
            """,
        ])
        let literal = try await vigil(["validate", "literal.yaml"], in: dir)
        #expect(literal.status == 2)
        #expect(literal.stderr.contains("literal.yaml:4:16: 'X:Y' is not a header name"), "\(literal.all)")
        #expect(literal.stderr.contains("literal.yaml:4:26: 'Bad Name' is not a header name"), "\(literal.all)")
        #expect(literal.stderr.contains("literal.yaml:4:49: header 'X-Bell' holds a control character (a\\x07b)"), "\(literal.all)")
        let resolved = try await vigil(["run", "resolved.yaml"], in: dir)
        #expect(resolved.status == 1, "\(resolved.all)")
        #expect(resolved.stdout.contains("header 'X-Note' holds a control character once resolved"), "\(resolved.all)")
        #expect(!resolved.all.contains("not valid HTTP/1.1"))
        #expect(server.requestCount == 0)
    }

    @Test func environmentFilesRunWouldRefuseAreRefusedByValidate() async throws {
        let dir = try scratch([
            "c.yaml": "name: x\nrequests:\n  - GET: \"{{baseUrl}}/x\"\n",
            "junk.pem": "not a certificate\n",
            "tls.yaml": "name: t\nvariables: { baseUrl: \"https://127.0.0.1:9\" }\ntls: { ca: junk.pem }\n",
            "folder.yaml": "name: t\nvariables: { baseUrl: \"https://127.0.0.1:9\" }\ntls: { ca: . }\n",
            "profile.yaml": "name: p\nserver: embedded\nprofile: \"9999 R9\"\n",
        ])
        let tls = try await vigil(["validate", "c.yaml", "-e", "tls.yaml"], in: dir)
        #expect(tls.status == 2)
        #expect(tls.stderr.contains("tls.yaml:3:12: tls.ca: 'junk.pem' holds no PEM certificate (-----BEGIN CERTIFICATE-----)"), "\(tls.all)")
        let folder = try await vigil(["validate", "c.yaml", "-e", "folder.yaml"], in: dir)
        #expect(folder.stderr.contains("folder.yaml:3:12: tls.ca: '.' is a folder, not a PEM file"), "\(folder.all)")
        for command in ["validate", "run"] {
            let profile = try await vigil([command, "c.yaml", "-e", "profile.yaml"], in: dir)
            #expect(profile.status == 2, "\(profile.all)")
            #expect(profile.stderr.contains("profile.yaml:3:10: unknown emulator profile '9999 R9'; profiles: "), "\(profile.all)")
        }
    }
}
