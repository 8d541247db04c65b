import Testing
import VigilCore
import VigilRunner
import VigilTestSupport

/// `retry: { onTransportError: N }`: opt-in resending after a failure with no response.
@Suite struct TransportRetryTests {
    static func collection(_ method: String = "GET", retries: Int, extra: String = "") -> String {
        """
        requests:
          - name: Flaky
            \(method): "{{baseUrl}}/x"
            retry: { onTransportError: \(retries), interval: 10ms\(extra) }
            expect: { status: 200, body: { ok: true } }
        """
    }

    static func runAgainst(_ server: ScriptedHTTPServer, _ yaml: String) async throws -> CollectionResult {
        let collection = try CollectionLoader.load(yaml, file: "c.yaml")
        let transport = try TransportFactory.make(tls: TLSSettings())
        let context = RunContext(transport: transport, redactor: Redactor(), observer: EventLog(), defaultTimeout: .seconds(5))
        let result = await CollectionRunner(context: context).run(
            collection, in: Environment(file: "e.yaml", name: "e"),
            provided: [("baseUrl", .string(server.baseURL))])
        await transport.shutdown()
        return result
    }

    static let ok = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}"

    @Test func aDroppedConnectionIsSentAgainAndPasses() async throws {
        let calls = Counter()
        let server = try await ScriptedHTTPServer.start { _ in calls.next() <= 2 ? .close : .send(Self.ok) }
        defer { Task { await server.stop() } }
        let result = try await Self.runAgainst(server, Self.collection(retries: 2))
        let r = try #require(result.results.first)
        #expect(r.outcome == .passed, "\(r.message ?? "")")
        #expect(r.attempts == 3)
        #expect(calls.current == 3)
    }

    @Test func retriesRunOutWithTheCauseAndTheAttempts() async throws {
        let server = try await ScriptedHTTPServer.start { _ in .close }
        defer { Task { await server.stop() } }
        let result = try await Self.runAgainst(server, Self.collection(retries: 1))
        let r = try #require(result.results.first)
        #expect(r.outcome == .error)
        #expect(r.attempts == 2)
        #expect(r.message?.hasSuffix("(after 2 attempts)") == true, "\(r.message ?? "")")
    }

    @Test func withoutRetriesATransportErrorIsFinal() async throws {
        let calls = Counter()
        let server = try await ScriptedHTTPServer.start { _ in calls.next() == 1 ? .close : .send(Self.ok) }
        defer { Task { await server.stop() } }
        let result = try await Self.runAgainst(server, "requests:\n  - GET: \"{{baseUrl}}/x\"\n")
        #expect(result.results.first?.outcome == .error)
        #expect(calls.current == 1)
    }

    @Test func postNeedsAnyMethodToBeRetried() throws {
        let error = try #require(throws: LoadError.self) { try CollectionLoader.load(Self.collection("POST", retries: 2), file: "c.yaml") }
        #expect(error.description.contains("c.yaml:4:12: onTransportError retries only idempotent methods"), "\(error)")
        _ = try CollectionLoader.load(Self.collection("POST", retries: 2, extra: ", anyMethod: true"), file: "c.yaml")
    }
}
