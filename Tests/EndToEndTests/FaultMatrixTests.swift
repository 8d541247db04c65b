import Foundation
import Testing
import VigilTestSupport
import XProtectEmulator

/// The fault matrix of docs/reliability.md, end to end: the real `vigil` binary against a server
/// that misbehaves. For every fault the failing request names its cause on the line after its
/// own, the rest of `requests` is skipped, `finally` still runs (and passes), the exit code is
/// the documented one, both file reports are written, nothing waits past the configured
/// timeouts, and no secret shows in any output.
///
/// Emulator faults use an in-process ``EmbeddedEmulator`` with ``EmulatorFaults`` and an external
/// environment pointed at it (`--var baseUrl=…`). Its schedule is deterministic and counts the
/// sign-in (request 1), so each rate below makes exactly the second eligible request, "List
/// sites", the faulted one. Faults the emulator cannot make come from ``ScriptedHTTPServer``.
@Suite(.serialized) struct FaultMatrixTests {
    static let password = "pw-Fault-Matrix-5e1d9c"
    static let apiKey = "key-Fault-Matrix-a07b33"
    static let bearer = "tok-Fault-Matrix-77c2f4"
    static let secrets = [password, apiKey, bearer]
    static let processEnvironment = ["VIGIL_FAULT_PASSWORD": password, "VIGIL_FAULT_API_KEY": apiKey, "VIGIL_FAULT_TOKEN": bearer]

    // MARK: Emulator faults

    /// The environment for the emulator: a user whose password, and an API key, come from the
    /// process environment (so both are secrets).
    static let emulatorEnvironment = """
        name: Faulty emulator
        variables:
          api: "{{baseUrl}}/api/rest/v1"
          apiKey: "{{$env.VIGIL_FAULT_API_KEY}}"
        secrets: [apiKey]
        auth:
          xprotect:
            type: xprotect-basic
            username: qa
            password: "{{$env.VIGIL_FAULT_PASSWORD}}"
        """

    static func emulatorCollection(auth: String = "xprotect") -> String {
        """
        name: Fault matrix
        auth: \(auth)
        defaults:
          timeout: 500ms
          headers: { X-Api-Key: "{{apiKey}}" }
        requests:
          - name: List sites
            GET: "{{api}}/sites"
            expect:
              status: 200
              body:
                array[0].id: { exists: true }
          - name: Never sent
            GET: "{{api}}/sites"
        finally:
          - name: Check up
            GET: "{{baseUrl}}/api/.well-known/uris"
            auth: none
        """
    }

    struct EmulatorFault: Sendable, CustomTestStringConvertible {
        var spec: String
        var exit: Int32
        var cause: String
        var testDescription: String { spec }
    }

    static let emulatorFaults: [EmulatorFault] = [
        .init(spec: "5xx=0.5", exit: 1, cause: "status: expected 200, got 500 "),
        .init(spec: "5xx=0.5,5xx-status=502", exit: 1, cause: "status: expected 200, got 502 "),
        .init(spec: "5xx=0.5,5xx-status=503", exit: 1, cause: "status: expected 200, got 503 "),
        .init(spec: "reset=0.5", exit: 3, cause: "the connection closed in the middle of the response"),
        .init(spec: "truncate=0.4", exit: 1, cause: "body: expected JSON, got a body that is not JSON (line 1, column"),
        .init(spec: "invalid-json=0.2", exit: 1, cause: "body: expected JSON, got a body that is not JSON (line 1, column 27: expected a JSON value)"),
    ]

    /// The emulator with the test's user and `faults` switched on.
    static func emulator(faults: String) async throws -> EmbeddedEmulator {
        var configuration = EmulatorConfiguration()
        configuration.users = ["qa": password]
        configuration.faults = try EmulatorFaults(parsing: faults)
        return try await EmbeddedEmulator.start(configuration)
    }

    @Test(arguments: emulatorFaults)
    func emulatorFaultFailsTheRequestAndRunsFinally(fault: EmulatorFault) async throws {
        let emulator = try await Self.emulator(faults: fault.spec)
        defer { Task { await emulator.shutdown() } }

        let run = try await FaultRun.start(
            collection: Self.emulatorCollection(), environment: Self.emulatorEnvironment,
            baseURL: emulator.baseURL)
        run.expectFailure(of: "List sites", exit: fault.exit, cause: fault.cause)
        #expect(await emulator.tokenRequestCount == 1, "the sign-in must not be the faulted request")
    }

    @Test func latencyBeyondTheRequestTimeoutFailsWithinTheTimeout() async throws {
        let emulator = try await Self.emulator(faults: "latency=5s")
        defer { Task { await emulator.shutdown() } }

        let run = try await FaultRun.start(
            collection: Self.emulatorCollection(auth: "none"), environment: Self.emulatorEnvironment,
            baseURL: emulator.baseURL)
        run.expectFailure(of: "List sites", exit: 3, cause: "no answer within 500ms (timed out)")
        #expect(run.elapsed < .seconds(4), "took \(run.elapsed) for a 500ms timeout against 5s of latency")
    }

    @Test func latencyOnTheSignInFailsWithinTheRequestTimeout() async throws {
        let emulator = try await Self.emulator(faults: "latency=5s")
        defer { Task { await emulator.shutdown() } }

        let run = try await FaultRun.start(
            collection: Self.emulatorCollection(), environment: Self.emulatorEnvironment,
            baseURL: emulator.baseURL)
        run.expectFailure(of: "List sites", exit: 3, cause: "sign-in at \(emulator.baseURL)/API/IDP/connect/token failed: no answer within 500ms (timed out)")
        #expect(run.elapsed < .seconds(4), "took \(run.elapsed) for a 500ms timeout against 5s of latency")
    }

    // MARK: Faults of a scripted server

    /// The environment for ``ScriptedHTTPServer``: a bearer token from the process environment.
    static let serverEnvironment = """
        name: Faulty server
        variables:
          apiKey: "{{$env.VIGIL_FAULT_API_KEY}}"
        secrets: [apiKey]
        auth:
          service:
            type: bearer
            token: "{{$env.VIGIL_FAULT_TOKEN}}"
          xprotect:
            type: xprotect-basic
            username: qa
            password: "{{$env.VIGIL_FAULT_PASSWORD}}"
            tokenUrl: "{{baseUrl}}/silent/token"
        """

    static func serverCollection(
        path: String, auth: String = "service", extra: String = "",
        expect: String = """
              body:
                id: 1
        """
    ) -> String {
        """
        name: Fault matrix
        auth: \(auth)
        defaults:
          timeout: 500ms
          headers: { X-Api-Key: "{{apiKey}}" }
        requests:
          - name: Fetch the thing
            GET: "{{baseUrl}}\(path)"
        \(extra)
            expect:
              status: 200
        \(expect)
          - name: Never sent
            GET: "{{baseUrl}}/ok"
        finally:
          - name: Check up
            GET: "{{baseUrl}}/ok"
            auth: none
            expect:
              body:
                ok: true
        """
    }

    /// `/ok` answers; the rest is up to `fault`.
    static func server(_ fault: @escaping @Sendable (String) -> ScriptedReply) async throws -> ScriptedHTTPServer {
        try await ScriptedHTTPServer.start { request in
            requestPath(request) == "/ok" ? .send(httpResponse(#"{"ok":true}"#)) : fault(request)
        }
    }

    @Test func anEmptyBodyWhereJSONIsExpectedFailsTheRequest() async throws {
        let server = try await Self.server { _ in .send(httpResponse("")) }
        defer { Task { await server.stop() } }
        let run = try await FaultRun.start(
            collection: Self.serverCollection(path: "/empty"), environment: Self.serverEnvironment,
            baseURL: server.baseURL)
        run.expectFailure(of: "Fetch the thing", exit: 1, cause: "body: expected JSON, got an empty body")
    }

    @Test func aTenMegabyteBodyIsCheckedAndNeverPrinted() async throws {
        // A valid JSON object of 10 MB whose `id` is wrong: the failure shows an excerpt only.
        let filler = String(repeating: "x", count: 1024)
        let body = Array(("{\"id\":2,\"items\":[" + Array(repeating: "\"\(filler)\"", count: 10 * 1024).joined(separator: ",") + "]}").utf8)
        #expect(body.count > 10_000_000)
        let server = try await Self.server { _ in .send(httpResponse(body)) }
        defer { Task { await server.stop() } }
        let run = try await FaultRun.start(
            collection: Self.serverCollection(path: "/huge"), environment: Self.serverEnvironment,
            baseURL: server.baseURL)
        run.expectFailure(of: "Fetch the thing", exit: 1, cause: "$['id']: expected 1, got 2")
        #expect(run.result.all.utf8.count < 20_000, "the console printed \(run.result.all.utf8.count) bytes")
        // The JSON report keeps the whole response (about 10 MB); the JUnit report only the failure.
        #expect(run.reportSizes.first.map { $0 < 20_000 } == true, "report sizes \(run.reportSizes)")
    }

    @Test func aRedirectLoopStopsAfterTenHops() async throws {
        let server = try await Self.server { _ in .send(httpResponse("", status: "302 Found", extra: "Location: /loop\r\n")) }
        defer { Task { await server.stop() } }
        let run = try await FaultRun.start(
            collection: Self.serverCollection(path: "/loop", extra: "    followRedirects: true"),
            environment: Self.serverEnvironment, baseURL: server.baseURL)
        run.expectFailure(of: "Fetch the thing", exit: 3, cause: "more than 10 redirects (a redirect loop?), last to /loop")
        // The first request and ten hops, then the finally request.
        #expect(server.requestCount == 12)
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let server = try await Self.server { _ in .silence }
        defer { Task { await server.stop() } }
        let run = try await FaultRun.start(
            collection: Self.serverCollection(path: "/silent"), environment: Self.serverEnvironment,
            baseURL: server.baseURL)
        run.expectFailure(of: "Fetch the thing", exit: 3, cause: "no answer within 500ms (timed out)")
        #expect(run.elapsed < .seconds(4), "took \(run.elapsed) for a 500ms timeout")
    }

    @Test func aSignInThatNeverAnswersTimesOutWithinTheRequestTimeout() async throws {
        let server = try await Self.server { _ in .silence }
        defer { Task { await server.stop() } }
        let run = try await FaultRun.start(
            collection: Self.serverCollection(path: "/ok", auth: "xprotect"),
            environment: Self.serverEnvironment, baseURL: server.baseURL)
        run.expectFailure(
            of: "Fetch the thing", exit: 3,
            cause: "sign-in at \(server.baseURL)/silent/token failed: no answer within 500ms (timed out)")
        #expect(run.elapsed < .seconds(4), "took \(run.elapsed) for a 500ms timeout")
    }

    @Test func anErrorBodyEchoingTheCredentialsShowsThemMasked() async throws {
        // Error messages are where secrets leak: this server echoes the request in its 500 answer.
        let server = try await Self.server { request in
            .send(httpResponse(JSONEcho.object(["error": request]), status: "500 Internal Server Error"))
        }
        defer { Task { await server.stop() } }
        let run = try await FaultRun.start(
            collection: Self.serverCollection(path: "/echo"), environment: Self.serverEnvironment,
            baseURL: server.baseURL)
        run.expectFailure(of: "Fetch the thing", exit: 1, cause: "status: expected 200, got 500 ")
        #expect(run.result.stdout.contains("Bearer ••••"), "\(run.result.stdout)")
    }

    @Test func aConnectionClosedBeforeAnyAnswerFailsTheRequest() async throws {
        let server = try await Self.server { _ in .send([], thenClose: true) }
        defer { Task { await server.stop() } }
        let run = try await FaultRun.start(
            collection: Self.serverCollection(path: "/close"), environment: Self.serverEnvironment,
            baseURL: server.baseURL)
        run.expectFailure(of: "Fetch the thing", exit: 3, cause: "the server closed the connection before the response was complete")
    }

    @Test func aBodyCutShortOfItsContentLengthFailsTheRequest() async throws {
        let server = try await Self.server { _ in
            .send(Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":".utf8), thenClose: true)
        }
        defer { Task { await server.stop() } }
        let run = try await FaultRun.start(
            collection: Self.serverCollection(path: "/cut"), environment: Self.serverEnvironment,
            baseURL: server.baseURL)
        run.expectFailure(of: "Fetch the thing", exit: 3, cause: "the connection closed in the middle of the response")
    }
}

/// One `vigil run` of a collection against a misbehaving server, with a JUnit and a JSON report.
struct FaultRun {
    var result: ProcessResult
    var elapsed: Duration
    var directory: URL
    var reports: [String: String]
    var reportSizes: [Int]

    static func start(collection: String, environment: String, baseURL: String) async throws -> FaultRun {
        let dir = try scratch(["c.yaml": collection, "env.yaml": environment])
        let clock = ContinuousClock()
        let started = clock.now
        let result = try await vigil(
            ["run", "c.yaml", "-e", "env.yaml", "--var", "baseUrl=\(baseURL)", "--report", "junit=report.xml", "--report", "json=report.json"],
            in: dir, environment: FaultMatrixTests.processEnvironment)
        let elapsed = clock.now - started
        var reports: [String: String] = [:]
        var sizes: [Int] = []
        for name in ["report.xml", "report.json"] {
            if let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path) {
                reports[name] = String(decoding: data, as: UTF8.self)
                sizes.append(data.count)
            }
        }
        return FaultRun(result: result, elapsed: elapsed, directory: dir, reports: reports, reportSizes: sizes)
    }

    /// `request` failed with `cause` on the line after its own; the next request was skipped;
    /// `finally` passed; the exit code is `exit`; the reports exist; no secret anywhere.
    func expectFailure(of request: String, exit: Int32, cause: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let r = result
        #expect(r.status == exit, "exit \(r.status), expected \(exit)\n\(r.all)", sourceLocation: sourceLocation)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        if let i = lines.firstIndex(where: { $0.contains("✗ \(request)") }) {
            let next = i + 1 < lines.count ? lines[i + 1] : ""
            #expect(next.contains(cause), "the line after '\(request)' is\n\(next)\nexpected it to contain\n\(cause)", sourceLocation: sourceLocation)
            #expect(next.utf8.count < 1_000, "the cause is \(next.utf8.count) bytes long", sourceLocation: sourceLocation)
        } else {
            Issue.record("no failed '\(request)' in\n\(r.all)", sourceLocation: sourceLocation)
        }
        #expect(
            lines.contains { $0.contains("– Never sent") && $0.contains("skipped: an earlier request failed ('\(request)')") },
            "\(r.stdout)", sourceLocation: sourceLocation)
        #expect(lines.contains { $0.contains("✓ finally: Check up") }, "finally did not pass:\n\(r.all)", sourceLocation: sourceLocation)
        #expect(reports.count == 2, "reports written: \(reports.keys.sorted())", sourceLocation: sourceLocation)
        if let xml = reports["report.xml"] {
            #expect(xml.contains(request) && (xml.contains("<failure") || xml.contains("<error")), "\(xml.prefix(2000))", sourceLocation: sourceLocation)
        }
        for secret in FaultMatrixTests.secrets {
            #expect(!r.all.contains(secret), "secret in the console output:\n\(r.all)", sourceLocation: sourceLocation)
            for (name, text) in reports {
                #expect(!text.contains(secret), "secret in \(name)", sourceLocation: sourceLocation)
            }
        }
    }
}

/// Just enough JSON writing for the echo server.
enum JSONEcho {
    static func object(_ fields: [String: String]) -> String {
        let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
