import DequeModule
import Synchronization

/// The one bounded stream of a run's events: every runner task sends into it (``RunObserver``),
/// one consumer task reads from it. A sender waits while `capacity` events are queued, so a
/// slow consumer (a terminal, a report) slows the run a little instead of growing memory.
///
/// A waiting consumer is woken in batches, not for every event (a wake-up is a thread switch,
/// and a fast run makes thousands of events a second): at once for the start and end of a
/// collection and when `batch` events are queued, otherwise at most `linger` after the first
/// queued event, so the console still follows a slow run closely.
///
/// Written here rather than taken from swift-async-algorithms: its `AsyncChannel` hands over one
/// element at a time (a wait per event), and `AsyncStream` is unbounded or drops events when
/// full; a run needs a buffer that neither loses events nor grows without bound.
public final class RunEventStream: RunObserver, AsyncSequence {
    public typealias Element = RunEvent

    private struct State {
        var buffer = Deque<RunEvent>()
        var consumer: CheckedContinuation<RunEvent?, Never>?
        var senders = Deque<(event: RunEvent, resume: CheckedContinuation<Void, Never>)>()
        var finished = false
        /// A wake-up of the consumer is scheduled (``linger``).
        var timerArmed = false
    }

    public let capacity: Int
    /// Queued events that wake a waiting consumer at once.
    public let batch: Int
    /// The longest a queued event waits before the consumer is woken for it.
    public let linger: Duration
    private let state = Mutex(State())

    public init(capacity: Int = 256, batch: Int = 32, linger: Duration = .milliseconds(20)) {
        self.capacity = Swift.max(1, capacity)
        self.batch = Swift.min(Swift.max(1, batch), self.capacity)
        self.linger = linger
    }

    /// Queues `event`; waits while the buffer is full. Events sent after ``finish()`` are dropped.
    public func handle(_ event: RunEvent) async {
        enum Step { case done, resume(CheckedContinuation<RunEvent?, Never>, RunEvent), armTimer, wait }
        let urgent = Self.isBoundary(event)
        let step = state.withLock { s -> Step in
            if s.finished { return .done }
            guard s.buffer.count < capacity else { return .wait }
            s.buffer.append(event)
            guard let consumer = s.consumer else { return .done }
            if urgent || s.buffer.count >= batch {
                s.consumer = nil
                return .resume(consumer, s.buffer.removeFirst())
            }
            if s.timerArmed { return .done }
            s.timerArmed = true
            return .armTimer
        }
        switch step {
        case .done:
            return
        case .resume(let consumer, let first):
            consumer.resume(returning: first)
        case .armTimer:
            let linger = linger
            Task { [weak self] in
                try? await Task.sleep(for: linger)
                self?.wakeConsumer()
            }
        case .wait:
            await withCheckedContinuation { (resume: CheckedContinuation<Void, Never>) in
                // The consumer may have made room meanwhile; otherwise wait for it to.
                let taken = state.withLock { s -> (taken: Bool, wake: (CheckedContinuation<RunEvent?, Never>, RunEvent)?) in
                    if s.finished { return (true, nil) }
                    guard s.buffer.count < capacity else {
                        s.senders.append((event, resume))
                        return (false, nil)
                    }
                    s.buffer.append(event)
                    guard let consumer = s.consumer else { return (true, nil) }
                    s.consumer = nil
                    return (true, (consumer, s.buffer.removeFirst()))
                }
                if taken.taken { resume.resume() }
                if let (consumer, first) = taken.wake { consumer.resume(returning: first) }
            }
        }
    }

    /// The linger is over: hand the consumer what is queued.
    private func wakeConsumer() {
        let resume = state.withLock { s -> (CheckedContinuation<RunEvent?, Never>, RunEvent)? in
            s.timerArmed = false
            guard let consumer = s.consumer, let first = s.buffer.popFirst() else { return nil }
            s.consumer = nil
            return (consumer, first)
        }
        if let (consumer, first) = resume { consumer.resume(returning: first) }
    }

    /// The start and end of a collection reach the consumer at once.
    private static func isBoundary(_ event: RunEvent) -> Bool {
        switch event {
        case .collectionStarted, .collectionFinished: true
        default: false
        }
    }

    /// No more events: the consumer's loop ends once the buffer is drained.
    public func finish() {
        let (consumer, first, senders) = state.withLock { s -> (CheckedContinuation<RunEvent?, Never>?, RunEvent?, [CheckedContinuation<Void, Never>]) in
            s.finished = true
            let waiting = s.senders.map(\.resume)
            for (event, _) in s.senders { s.buffer.append(event) }
            s.senders.removeAll()
            defer { s.consumer = nil }
            // A consumer waiting (events may be lingering) gets the first, or the end.
            return (s.consumer, s.consumer == nil ? nil : s.buffer.popFirst(), waiting)
        }
        consumer?.resume(returning: first)
        for s in senders { s.resume() }
    }

    /// The next event, or nil when the stream is finished and drained.
    func next() async -> RunEvent? {
        enum Step { case event(RunEvent, CheckedContinuation<Void, Never>?), end, wait }
        let step = state.withLock { s -> Step in
            if let first = s.buffer.popFirst() {
                // Room for one waiting sender.
                var resumed: CheckedContinuation<Void, Never>?
                if let sender = s.senders.popFirst() {
                    s.buffer.append(sender.event)
                    resumed = sender.resume
                }
                return .event(first, resumed)
            }
            if let sender = s.senders.popFirst() { return .event(sender.event, sender.resume) }
            return s.finished ? .end : .wait
        }
        switch step {
        case .event(let event, let resume):
            resume?.resume()
            return event
        case .end:
            return nil
        case .wait:
            return await withCheckedContinuation { (next: CheckedContinuation<RunEvent?, Never>) in
                let immediate = state.withLock { s -> RunEvent?? in
                    if let first = s.buffer.popFirst() { return .some(first) }
                    if s.finished { return .some(nil) }
                    s.consumer = next
                    return .none
                }
                if let immediate { next.resume(returning: immediate) }
            }
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let stream: RunEventStream
        public mutating func next() async -> RunEvent? { await stream.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(stream: self) }
}
