import DequeModule
import Synchronization

/// The one bounded stream of a run's events: every runner task sends into it (``RunObserver``),
/// one consumer task reads from it. A sender waits while `capacity` events are queued, so a
/// slow consumer (a terminal, a report) slows the run a little instead of growing memory.
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
    }

    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 256) {
        self.capacity = Swift.max(1, capacity)
    }

    /// Queues `event`; waits while the buffer is full. Events sent after ``finish()`` are dropped.
    public func handle(_ event: RunEvent) async {
        enum Step { case done, resume(CheckedContinuation<RunEvent?, Never>), wait }
        let step = state.withLock { s -> Step in
            if s.finished { return .done }
            if let consumer = s.consumer {
                s.consumer = nil
                return .resume(consumer)
            }
            if s.buffer.count < capacity {
                s.buffer.append(event)
                return .done
            }
            return .wait
        }
        switch step {
        case .done:
            return
        case .resume(let consumer):
            consumer.resume(returning: event)
        case .wait:
            await withCheckedContinuation { (resume: CheckedContinuation<Void, Never>) in
                let accepted = state.withLock { s -> Bool in
                    if s.finished { return false }
                    // The consumer may have made room (or be waiting) meanwhile.
                    if let consumer = s.consumer {
                        s.consumer = nil
                        s.buffer.append(event)
                        let first = s.buffer.removeFirst()
                        consumer.resume(returning: first)
                        return false
                    }
                    if s.buffer.count < capacity {
                        s.buffer.append(event)
                        return false
                    }
                    s.senders.append((event, resume))
                    return true
                }
                if !accepted { resume.resume() }
            }
        }
    }

    /// No more events: the consumer's loop ends once the buffer is drained.
    public func finish() {
        let (consumer, senders) = state.withLock { s -> (CheckedContinuation<RunEvent?, Never>?, [CheckedContinuation<Void, Never>]) in
            s.finished = true
            let waiting = s.senders.map(\.resume)
            for (event, _) in s.senders { s.buffer.append(event) }
            s.senders.removeAll()
            defer { s.consumer = nil }
            return (s.buffer.isEmpty ? s.consumer : nil, waiting)
        }
        consumer?.resume(returning: nil)
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
