import Synchronization

/// A run's stop request (Ctrl-C, SIGTERM). When it comes, the request in flight is cancelled at
/// once (whatever its timeout), no further request of `requests` is sent, and `finally` still
/// runs, within a budget of its own (``finallyBudget``) counted from the stop.
///
/// The runner runs each request in a task of its own that the stop cancels (``guarded(grace:_:)``);
/// cancelling is Swift task cancellation, which the transport turns into closing the connection.
/// A second stop (``abandon()``) cancels `finally` too, at once, so the run ends and its reports
/// are still written.
public final class Interruption: Sendable {
    /// How long `finally` may still run after the stop; then its requests are abandoned too.
    public let finallyBudget: Duration

    private struct State {
        var stoppedAt: ContinuousClock.Instant?
        var abandoned = false
        var nextID = 0
        var cancellers: [Int: @Sendable (Duration) -> Void] = [:]
    }

    private let state = Mutex(State())
    private let flag = Atomic<Bool>(false)

    public init(finallyBudget: Duration = .seconds(10)) {
        self.finallyBudget = finallyBudget
    }

    /// Stops the run: every guarded operation is cancelled, after its grace.
    public func interrupt() {
        let now = ContinuousClock.now
        let cancellers = state.withLock { s -> [@Sendable (Duration) -> Void] in
            guard s.stoppedAt == nil else { return [] }
            s.stoppedAt = now
            return Array(s.cancellers.values)
        }
        flag.store(true, ordering: .releasing)
        for cancel in cancellers { cancel(.zero) }
    }

    public var isInterrupted: Bool { flag.load(ordering: .acquiring) }

    /// Stops the run and abandons `finally` as well: every guarded operation is cancelled now,
    /// whatever its grace, and later ones as soon as they start.
    public func abandon() {
        let now = ContinuousClock.now
        let cancellers = state.withLock { s -> [@Sendable (Duration) -> Void] in
            if s.stoppedAt == nil { s.stoppedAt = now }
            s.abandoned = true
            return Array(s.cancellers.values)
        }
        flag.store(true, ordering: .releasing)
        for cancel in cancellers { cancel(.seconds(Int64.max)) }
    }

    /// Time left of `grace` since the stop (zero when there was no stop or it is spent).
    public func remaining(of grace: Duration) -> Duration {
        let (stoppedAt, abandoned) = state.withLock { ($0.stoppedAt, $0.abandoned) }
        guard let stoppedAt else { return grace }
        return abandoned ? .zero : max(.zero, grace - (ContinuousClock.now - stoppedAt))
    }

    /// Runs `operation` in a task of its own that a stop cancels, `grace` after the stop (zero:
    /// at once), on `executor` when given. Cancelling the caller cancels it too.
    public func guarded<T: Sendable>(
        grace: Duration = .zero, on executor: (any TaskExecutor)? = nil, _ operation: @escaping @Sendable () async -> T
    ) async -> T {
        let task = Task(executorPreference: executor) { await operation() }
        let cancel: @Sendable (Duration) -> Void = { elapsed in
            let wait = grace - elapsed
            if wait <= .zero {
                task.cancel()
            } else {
                Task {
                    try? await Task.sleep(for: wait)
                    task.cancel()
                }
            }
        }
        let (id, stoppedAt, abandoned) = state.withLock { s -> (Int, ContinuousClock.Instant?, Bool) in
            s.nextID += 1
            s.cancellers[s.nextID] = cancel
            return (s.nextID, s.stoppedAt, s.abandoned)
        }
        if abandoned {
            cancel(.seconds(Int64.max))
        } else if let stoppedAt {
            cancel(ContinuousClock.now - stoppedAt)
        }
        let result = await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
        _ = state.withLock { $0.cancellers.removeValue(forKey: id) }
        return result
    }

}
