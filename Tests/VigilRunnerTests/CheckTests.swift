import Synchronization
import Testing
import VigilCore
import VigilRunner
import VigilTestSupport
import XProtectEmulator

/// Checks that cannot be made fail: a check never passes because its expected value is missing.
@Suite struct CheckTests {
    /// (Duration matchers take literal durations only, checked at load time.)
    @Test func aStatusMatcherWithAnUnresolvedPlaceholderFailsAsCannotCheck() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let (result, _) = try await run(
            """
            auth: xprotect
            requests:
              - name: Find nothing
                GET: "{{api}}/cameras"
                capture: { missing: { path: "$.array[?@.name == 'none'].id", optional: true } }
              - name: Status against nothing
                GET: "{{api}}/cameras"
                expect: { status: { eq: "{{missing}}" } }
            """, on: emulator)
        #expect(result.results[0].outcome == .passed)
        let status = result.results[1]
        #expect(status.outcome == .failed)
        #expect(status.failures.map(\.subject) == ["status"])
        #expect(status.failures.first?.actual.hasPrefix("cannot check: ") == true, "\(status.failures)")
    }

    /// A line break in a header value (from a variable) is Vigil's refusal, not the server's.
    @Test func aHeaderWithALineBreakIsNotSent() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let (result, _) = try await run(
            """
            variables: { injected: "a\\r\\nX-Admin: true" }
            requests:
              - name: Injected
                GET: "{{baseUrl}}/api/.well-known/uris"
                headers: { X-Note: "{{injected}}" }
            """, on: emulator)
        #expect(result.results[0].outcome == .failed)
        #expect(
            result.results[0].message
                == "not sent: header 'X-Note' holds a line break (CR or LF) or NUL once resolved; a header value cannot, it would start another header")
        #expect(result.results[0].status == nil)
    }
}

/// An environment's `defaults:` apply under the collection's, and its headers and query go only
/// to the origins the environment names.
@Suite struct EnvironmentDefaultsTests {
    @Test func environmentDefaultsApplyUnderTheCollectionsAndOnlyToItsOrigins() async throws {
        let seen = Mutex<[String]>([])
        let named = try await ScriptedHTTPServer.start { request in
            seen.withLock { $0.append(request) }
            return .send(httpResponse(#"{"ok":true}"#))
        }
        let other = try await ScriptedHTTPServer.start { request in
            seen.withLock { $0.append(request) }
            return .send(httpResponse(#"{"ok":true}"#))
        }
        defer {
            Task {
                await named.stop(); await other.stop()
            }
        }
        let environment = try EnvironmentLoader.load(
            """
            name: e
            variables: { baseUrl: "\(named.baseURL)" }
            defaults:
              headers: { X-Env: from-env, X-Both: env }
              query: { tenant: t1 }
              timeout: 7s
            """, file: "e.yaml", processEnvironment: [:])
        #expect(environment.defaults.timeout == .seconds(7))
        let collection = try CollectionLoader.load(
            """
            defaults: { headers: { X-Both: collection } }
            requests:
              - GET: "{{baseUrl}}/named"
              - GET: "\(other.baseURL)/other"
            """, file: "c.yaml")
        let transport = try TransportFactory.make(tls: TLSSettings())
        let context = RunContext(transport: transport, redactor: Redactor(), observer: EventLog(), defaultTimeout: .seconds(5))
        let result = await CollectionRunner(context: context).run(collection, in: environment)
        await transport.shutdown()
        #expect(result.passed == 2)
        let requests = seen.withLock { $0 }
        let toNamed = requests.first { $0.contains("/named") } ?? ""
        let toOther = requests.first { $0.contains("/other") } ?? ""
        #expect(toNamed.contains("GET /named?tenant=t1 "), "\(toNamed)")
        #expect(toNamed.contains("X-Env: from-env"))
        #expect(toNamed.contains("X-Both: collection") && !toNamed.contains("X-Both: env"))
        #expect(!toOther.contains("X-Env") && !toOther.contains("tenant"), "\(toOther)")
        #expect(toOther.contains("X-Both: collection"))
    }
}
