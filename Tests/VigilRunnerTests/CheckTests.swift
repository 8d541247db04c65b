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
}
