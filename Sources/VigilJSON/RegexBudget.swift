import Dispatch
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization

/// Bounds regular-expression matches that may backtrack exponentially.
///
/// Swift's `Regex` backtracks and checks neither a deadline nor task cancellation: `^(a+)+$`
/// on 30 `a`s and a `!` runs for hours, and a signal cannot stop it. A pattern whose shape can
/// do that (``mayBacktrackBadly(_:)``: a repeated group that itself repeats or alternates, or
/// a back-reference) is matched on a thread of its own, and the caller waits at most
/// ``limit``; past it the match is left to finish in the background (the process ends
/// it) and the caller is told it was not decided. Other patterns run inline, at no cost.
public enum RegexBudget {
    /// How long one match of a pattern that may backtrack badly is waited for.
    public static let limit: Duration = .seconds(2)

    /// Whether `pattern` (ECMA-262 or ICU-like syntax) has a shape that can take exponential
    /// time: a group repeated by `*`, `+` or `{…}` that holds a quantifier or an alternation
    /// (`(a+)+`, `(a|aa)*`, `(\d+\.)+`), or a back-reference (`\1`, `\k<name>`). Conservative:
    /// some safe patterns are counted too, and only pay for a thread.
    public static func mayBacktrackBadly(_ pattern: String) -> Bool {
        let s = Array(pattern.unicodeScalars)
        // Per open group: whether it holds a quantifier or an alternation.
        var groups: [Bool] = []
        var inClass = false
        var closedRepeating = false
        var i = 0
        while i < s.count {
            let c = s[i]
            let afterGroup = closedRepeating
            closedRepeating = false
            if c == "\\" {
                if i + 1 < s.count, !inClass, ("1"..."9").contains(s[i + 1]) || s[i + 1] == "k" { return true }
                i += 2
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
                i += 1
                continue
            }
            switch c {
            case "[": inClass = true
            case "(": groups.append(false)
            case ")":
                let holds = groups.popLast() ?? false
                if holds, !groups.isEmpty { groups[groups.count - 1] = true }
                closedRepeating = holds
            case "*", "+", "{":
                if afterGroup { return true }
                if !groups.isEmpty { groups[groups.count - 1] = true }
            case "|":
                if !groups.isEmpty { groups[groups.count - 1] = true }
            default: break
            }
            i += 1
        }
        return false
    }

    /// The result of `work`, or nil when it did not end within ``limit``. `work` runs on a
    /// thread of its own, never one of the concurrency pool's (a match left running there
    /// would take a thread every task needs: with two cores, two such matches stall the run).
    public static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) -> T? {
        let job = Job(work)
        let done = job.done
        guard job.start() else { return work() }
        guard done.wait(timeout: .now() + .seconds(Int(limit.components.seconds))) == .success else { return nil }
        return job.result.withLock { $0 }
    }

    /// One match on a detached thread: the thread holds the job until it ends.
    fileprivate final class Job<T: Sendable>: Sendable {
        let work: @Sendable () -> T
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)

        init(_ work: @escaping @Sendable () -> T) { self.work = work }

        /// Starts the thread; false when no thread could be made.
        func start() -> Bool {
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            defer { pthread_attr_destroy(&attributes) }
            pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
            let context = Unmanaged.passRetained(self as AnyObject).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(
                &thread, &attributes,
                { context in
                    let job = Unmanaged<AnyObject>.fromOpaque(context!).takeRetainedValue() as! Runnable
                    job.runOnce()
                    return nil
                }, context)
            if status != 0 { Unmanaged<AnyObject>.fromOpaque(context).release() }
            return status == 0
        }
    }
}

/// A job a thread can run without knowing its result type.
private protocol Runnable: AnyObject { func runOnce() }

extension RegexBudget.Job: Runnable {
    func runOnce() {
        let value = work()
        result.withLock { $0 = value }
        done.signal()
    }
}

/// A match that ran over ``RegexBudget/limit``: neither a match nor a mismatch.
public struct RegexTooSlow: Error, Sendable, CustomStringConvertible {
    public var pattern: String
    public var textLength: Int

    public init(pattern: String, textLength: Int) {
        self.pattern = pattern
        self.textLength = textLength
    }

    public var description: String {
        "/\(pattern)/ did not finish within \(RegexBudget.limit.components.seconds)s on a text of \(textLength) characters "
            + "(a repeated group that repeats inside, such as (a+)+, can take exponential time): not decided"
    }
}
