import Synchronization

/// A run's stop request (Ctrl-C): the runner finishes the request in flight, sends no
/// further request of `requests`, still runs `finally`, and marks its results interrupted.
///
/// A flag rather than task cancellation, so that `finally` requests and sign-in still work
/// after the stop was asked for.
public final class Interruption: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func interrupt() { flag.store(true, ordering: .relaxed) }

    public var isInterrupted: Bool { flag.load(ordering: .relaxed) }

    /// Sleeps for `duration`, waking early when the run is interrupted.
    func sleep(for duration: Duration) async {
        let clock = ContinuousClock()
        let end = clock.now + duration
        while !isInterrupted, clock.now < end {
            let slice = min(.milliseconds(50), end - clock.now)
            try? await Task.sleep(for: slice)
        }
    }
}
