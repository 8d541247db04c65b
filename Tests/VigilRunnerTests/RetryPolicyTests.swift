import Testing
@testable import VigilRunner
import VigilCore
import XProtectEmulator

/// The retry and polling policies as values: no sockets, no clock.
@Suite struct RetryPolicyTests {
    static let refused = RequestError.transport(.connectionRefused, "connection refused")

    @Test func transportRetriesCountDownWithBackoff() {
        var p = TransportRetryPolicy(remaining: 3, interval: .milliseconds(100), backoff: 2)
        #expect(p.next(after: Self.refused, elapsed: .zero) == .milliseconds(100))
        #expect(p.next(after: Self.refused, elapsed: .milliseconds(100)) == .milliseconds(200))
        #expect(p.next(after: Self.refused, elapsed: .milliseconds(300)) == .milliseconds(400))
        #expect(p.next(after: Self.refused, elapsed: .milliseconds(700)) == nil, "three retries, then give up")
    }

    @Test func transportRetriesStopAtTheTimeout() {
        var p = TransportRetryPolicy(remaining: 10, interval: .seconds(1), timeout: .milliseconds(2500))
        #expect(p.next(after: Self.refused, elapsed: .zero) == .seconds(1))
        #expect(p.next(after: Self.refused, elapsed: .seconds(1)) == .seconds(1))
        #expect(p.next(after: Self.refused, elapsed: .seconds(2)) == nil, "the next attempt would start past 2.5 s")
    }

    @Test func signInFailuresAndCancellationsAreNeverRetried() {
        var p = TransportRetryPolicy(remaining: 5, interval: .milliseconds(10))
        #expect(p.next(after: .signIn("sign-in as 'qa' answered 400: invalid_grant"), elapsed: .zero) == nil)
        #expect(p.next(after: .authProfile("auth profile 'x' is not defined"), elapsed: .zero) == nil)
        #expect(p.next(after: .transport(.cancelled, "interrupted"), elapsed: .zero) == nil)
        #expect(p.remaining == 5)
    }

    @Test func pollingWaitsWithBackoffUntilTheGoalOrTheTimeout() {
        var p = PollingPolicy(interval: .milliseconds(100), backoff: 1.5, timeout: .seconds(1))
        #expect(p.decide(goalHeld: false, failWhenHeld: false, elapsed: .zero) == .wait(.milliseconds(100)))
        #expect(p.decide(goalHeld: false, failWhenHeld: false, elapsed: .milliseconds(100)) == .wait(.milliseconds(150)))
        #expect(p.decide(goalHeld: true, failWhenHeld: false, elapsed: .milliseconds(250)) == .reached)
        #expect(p.decide(goalHeld: true, failWhenHeld: true, elapsed: .milliseconds(250)) == .failed, "failWhen wins")
        #expect(p.decide(goalHeld: false, failWhenHeld: false, elapsed: .milliseconds(900)) == .gaveUp)
    }

    /// End to end: with `onTransportError`, a wrong password is one sign-in, not several.
    @Test func aFailedSignInIsNotSentAgain() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let (result, _) = try await run(
            """
            auth: xprotect
            requests:
              - name: Cameras
                GET: "{{api}}/cameras"
                retry: { onTransportError: 3, interval: 10ms }
            """, on: emulator, environment: try emulatorEnvironment(password: "wrong"))
        let r = try #require(result.results.first)
        #expect(r.outcome == .error)
        #expect(r.attempts == 1)
        guard case .signIn = r.error else { Issue.record("expected a sign-in error, got \(String(describing: r.error))"); return }
        #expect(await emulator.tokenRequestCount == 1)
    }
}
