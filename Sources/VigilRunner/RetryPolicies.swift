import VigilCore

/// Why a request got no usable response, typed until a reporter renders it.
public enum RequestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No response: the transport's kind and message (a cancellation is `.cancelled`).
    case transport(TransportError.Kind, String)
    /// Signing in failed (wrong credentials, an IDP error, or the IDP unreachable).
    case signIn(String)
    /// An auth profile the environment does not define, or whose values cannot be resolved.
    case authProfile(String)

    public var description: String {
        switch self {
        case .transport(_, let message), .signIn(let message), .authProfile(let message): message
        }
    }

    /// Whether sending again could help: a transport failure, but not a cancellation.
    var isRetriable: Bool {
        if case .transport(let kind, _) = self { return kind != .cancelled }
        return false
    }
}

/// When to send a request again after a transport failure (no response at all):
/// `retry: { onTransportError: N }`. A value, without I/O: the runner asks it what to do.
/// Retries wait `interval`, multiplied by `backoff` after each, and stop at `timeout`
/// (counted from the first attempt) when the request's retry block sets one.
struct TransportRetryPolicy: Sendable, Hashable {
    var remaining: Int
    var interval: Duration
    var backoff: Double
    var timeout: Duration?

    init(_ retry: RetryPolicy?) {
        remaining = retry?.onTransportError ?? 0
        interval = retry?.interval ?? .milliseconds(500)
        backoff = retry?.backoff ?? 1
        timeout = retry.flatMap { $0.polls ? $0.timeout : nil }
    }

    init(remaining: Int, interval: Duration, backoff: Double = 1, timeout: Duration? = nil) {
        self.remaining = remaining
        self.interval = interval
        self.backoff = backoff
        self.timeout = timeout
    }

    /// The wait before sending again after `error`, `elapsed` after the first attempt; nil to give up.
    mutating func next(after error: RequestError, elapsed: Duration) -> Duration? {
        guard error.isRetriable, remaining > 0 else { return nil }
        if let timeout, elapsed + interval > timeout { return nil }
        remaining -= 1
        defer { interval = grown(interval, by: backoff, upTo: timeout ?? .seconds(3600)) }
        return interval
    }
}

/// Repeating a request until a condition holds: `retry: { until, failWhen, interval, backoff,
/// timeout }`. A value, without I/O: given what the last response satisfied and the time spent,
/// it says whether to stop (and why) or how long to wait.
struct PollingPolicy: Sendable, Hashable {
    var interval: Duration
    var backoff: Double
    var timeout: Duration

    enum Decision: Sendable, Hashable {
        /// The goal holds.
        case reached
        /// `failWhen` holds: a terminal state, stop now.
        case failed
        /// The time is up before the goal held.
        case gaveUp
        /// Send again after this wait.
        case wait(Duration)
    }

    init(_ retry: RetryPolicy) {
        interval = retry.interval
        backoff = retry.backoff
        timeout = retry.timeout
    }

    init(interval: Duration, backoff: Double = 1, timeout: Duration) {
        self.interval = interval
        self.backoff = backoff
        self.timeout = timeout
    }

    /// After an attempt: `failWhenHeld` wins over `goalHeld`; otherwise wait, unless the next
    /// attempt would start past the timeout.
    mutating func decide(goalHeld: Bool, failWhenHeld: Bool, elapsed: Duration) -> Decision {
        if failWhenHeld { return .failed }
        if goalHeld { return .reached }
        if elapsed + interval > timeout { return .gaveUp }
        defer { interval = grown(interval, by: backoff, upTo: timeout) }
        return .wait(interval)
    }
}

/// `interval` times `backoff`, but never past `cap` (the timeout: a longer wait no longer
/// matters), so a huge `backoff` (1e30) never multiplies a Duration out of its range.
func grown(_ interval: Duration, by backoff: Double, upTo cap: Duration) -> Duration {
    interval > cap / max(backoff, 1) ? max(interval, cap) : interval * backoff
}
