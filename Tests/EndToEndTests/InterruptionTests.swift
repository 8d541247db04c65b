import Foundation
import Testing
import VigilJSON
import VigilTestSupport

/// Ctrl-C and SIGTERM with the real binary, against a server that never answers, with a 60 s
/// timeout: the request in flight is cancelled at once, the rest skipped, `finally` runs, both
/// reports are written complete and marked interrupted, and the exit code says which signal.
@Suite(.serialized) struct InterruptionTests {
    /// A server where `/silent…` never answers, `/poll` answers "still running", anything else `{"ok":true}`.
    static func server() async throws -> ScriptedHTTPServer {
        try await ScriptedHTTPServer.start { request in
            let path = requestPath(request)
            if path.hasPrefix("/silent") { return .silence }
            if path == "/poll" { return .send(httpResponse(#"{"state":"Running"}"#)) }
            return .send(httpResponse(#"{"ok":true}"#))
        }
    }

    static let environment = """
        name: Silent server
        auth:
          xprotect:
            type: xprotect-basic
            username: qa
            password: secret
            tokenUrl: "{{baseUrl}}/silent/token"
        """

    /// `first` is the request that hangs; then one that is never sent, and a `finally`.
    static func collection(_ first: String, auth: String = "none") -> String {
        """
        name: Stop
        auth: \(auth)
        defaults: { timeout: 60s }
        requests:
        \(first)
          - name: Never sent
            GET: "{{baseUrl}}/ok"
        finally:
          - name: Cleanup
            GET: "{{baseUrl}}/ok"
            auth: none
        """
    }

    static let hangs: [(String, String, String)] = [
        ("in flight", "  - name: Hang\n    GET: \"{{baseUrl}}/silent\"", "none"),
        ("during sign-in", "  - name: Hang\n    GET: \"{{baseUrl}}/ok\"", "xprotect"),
        (
            "during a poll", "  - name: Hang\n    GET: \"{{baseUrl}}/poll\"\n    retry: { until: { body: { state: Success } }, interval: 20s, timeout: 60s }",
            "none"
        ),
    ]

    /// A second Ctrl-C abandons `finally` (which hangs too): the process ends at once, with
    /// what was printed flushed and the reports written, marked interrupted.
    @Test func aSecondSignalAbandonsFinallyAndStillWritesTheReports() async throws {
        let server = try await Self.server()
        defer { Task { await server.stop() } }
        let collection = """
            name: Stop twice
            defaults: { timeout: 60s }
            requests:
              - name: Hang
                GET: "{{baseUrl}}/silent"
            finally:
              - name: Hanging cleanup
                GET: "{{baseUrl}}/silent-too"
            """
        let dir = try scratch(["c.yaml": collection, "env.yaml": "name: Silent server\n"])
        let clock = ContinuousClock()
        let started = clock.now
        let r = try await vigil(
            ["run", "c.yaml", "-e", "env.yaml", "--var", "baseUrl=\(server.baseURL)", "--finally-budget", "60s", "--report", "json=r.json"],
            in: dir, signals: [(.milliseconds(1200), SIGINT), (.milliseconds(2200), SIGINT)])
        let elapsed = clock.now - started
        #expect(r.status == 130, "\(r.all)")
        #expect(elapsed < .milliseconds(2200) + .seconds(1), "the process ran \(elapsed)")
        #expect(r.stderr.contains("interrupted again: finally abandoned"), "\(r.stderr)")
        #expect(r.stdout.contains("finally: Hanging cleanup"), "\(r.stdout)")
        #expect(r.stdout.contains("0 passed, 2 failed"), "the summary was flushed: \(r.stdout)")
        let json = try JSONValue(parsing: Array(try Data(contentsOf: dir.appendingPathComponent("r.json"))))
        #expect(json["interrupted"] == .bool(true))
    }

    @Test(arguments: [0, 1, 2], [SIGINT, SIGTERM])
    func aSignalStopsTheRunAtOnceRunsFinallyAndWritesTheReports(_ which: Int, _ signal: Int32) async throws {
        let (label, first, auth) = Self.hangs[which]
        let server = try await Self.server()
        defer { Task { await server.stop() } }
        let dir = try scratch(["c.yaml": Self.collection(first, auth: auth), "env.yaml": Self.environment])
        let clock = ContinuousClock()
        let started = clock.now
        let signalAfter = Duration.milliseconds(1500)
        let r = try await vigil(
            [
                "run", "c.yaml", "-e", "env.yaml", "--var", "baseUrl=\(server.baseURL)",
                "--report", "json=r.json", "--report", "junit=j.xml",
            ],
            in: dir, signal: (signalAfter, signal))
        let elapsed = clock.now - started
        #expect(r.status == (signal == SIGTERM ? 143 : 130), "\(label): \(r.all)")
        #expect(elapsed < signalAfter + .seconds(1), "\(label): the process ran \(elapsed) for a signal at \(signalAfter)")
        #expect(r.stdout.contains("✓ finally: Cleanup"), "\(label): \(r.stdout)")
        #expect(r.stdout.contains("skipped: the run was interrupted"), "\(label): \(r.stdout)")
        let json = try JSONValue(parsing: Array(try Data(contentsOf: dir.appendingPathComponent("r.json"))))
        #expect(json["interrupted"] == .bool(true), "\(label)")
        #expect(json["summary"]?["skipped"]?.intValue == 1, "\(label): \(json["summary"]?.serialized() ?? "")")
        #expect(json["summary"]?["passed"]?.intValue == 1, "\(label): finally passed")
        let xml = try String(contentsOf: dir.appendingPathComponent("j.xml"), encoding: .utf8)
        #expect(xml.contains("<property name=\"interrupted\" value=\"true\"/>"), "\(label)")
        #expect(xml.contains("Cleanup"), "\(label)")
    }

    /// `finally` gets its own budget after a stop: a hanging cleanup is abandoned, not waited for.
    @Test func aHangingFinallyIsAbandonedAfterItsBudget() async throws {
        let server = try await Self.server()
        defer { Task { await server.stop() } }
        let collection = """
            name: Stop
            defaults: { timeout: 60s }
            requests:
              - name: Hang
                GET: "{{baseUrl}}/silent"
            finally:
              - name: Hanging cleanup
                GET: "{{baseUrl}}/silent/cleanup"
              - name: Last cleanup
                GET: "{{baseUrl}}/ok"
            """
        let dir = try scratch(["c.yaml": collection, "env.yaml": "name: Silent server\n"])
        let clock = ContinuousClock()
        let started = clock.now
        let r = try await vigil(
            ["run", "c.yaml", "-e", "env.yaml", "--var", "baseUrl=\(server.baseURL)", "--finally-budget", "1s"],
            in: dir, signal: (.milliseconds(1000), SIGINT))
        let elapsed = clock.now - started
        #expect(r.status == 130, "\(r.all)")
        #expect(elapsed < .seconds(4), "ran \(elapsed): the finally budget is 1s")
        #expect(r.stdout.contains("Hanging cleanup"), "\(r.stdout)")
        #expect(r.stdout.contains("abandoned: the 1s that finally may run after an interruption ran out"), "\(r.stdout)")
    }
}
