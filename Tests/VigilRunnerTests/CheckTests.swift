import Testing
import VigilCore
import VigilRunner
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
