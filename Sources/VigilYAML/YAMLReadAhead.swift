#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the items of a streamed document come from: read in place (``YAMLItemReader``) or
/// ahead, on a thread of their own (``YAMLReadAhead``).
public protocol YAMLItemSource: AnyObject {
    /// The next item of a streamed list, in file order; nil at the end of the document.
    func next() throws(YAMLError) -> YAMLItem?
    /// The document once ``next()`` has returned nil; streamed lists are empty in it.
    var document: YAMLNode? { get }
}

extension YAMLItemReader: YAMLItemSource {}

/// Reads a document on a thread of its own, a few dozen items ahead of its consumer, and hands
/// out the same items as ``YAMLItemReader``.
///
/// For large files on machines with more than one core: libyaml and the node tree then run
/// beside the decoding of the items (a third of the work beside the rest).
public final class YAMLReadAhead: YAMLItemSource {
    /// Whether reading ahead is worth a thread: a file of at least `bytes` on more than one core.
    public static func isWorthwhile(bytes: Int) -> Bool {
        bytes >= 256 * 1024 && machineHasSpareCore
    }

    private let items: ReadAhead<YAMLItem, YAMLNode?, YAMLError>
    public private(set) var document: YAMLNode?

    public init(source: YAMLSource, streaming: Set<String>, limits: YAMLLoader = YAMLLoader()) {
        items = ReadAhead { (emit) throws(YAMLError) -> YAMLNode? in
            let reader = YAMLItemReader(source: source, streaming: streaming, limits: limits)
            while let item = try reader.next() {
                guard emit(item) else { break }
            }
            return reader.document
        }
    }

    public func next() throws(YAMLError) -> YAMLItem? {
        switch try items.next() {
        case .element(let item): return item
        case .end(let root):
            document = root
            return nil
        }
    }
}

/// Whether the machine has more than one core: else a thread that reads ahead only adds switching.
public var machineHasSpareCore: Bool { sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1 }

/// Runs a producer on a thread of its own and hands out what it makes, in order, a few dozen
/// elements ahead of the consumer: for work that can run beside its consumer on a second core
/// (parsing a large file, decoding the next requests of a run while this one waits).
///
/// A bounded queue keeps the producer at most ``maxBatches`` batches ahead, so memory stays
/// that of a few elements. Plain pthreads: the queue is a mutex and a condition, and the thread
/// is joined when the consumer lets go, whether or not it took everything.
public final class ReadAhead<Element: Sendable, End: Sendable, Failure: Error> {
    /// Elements handed over at once: one lock per batch, not per element.
    static var batchSize: Int { 64 }
    static var maxBatches: Int { 8 }

    /// What ``next()`` gives: an element, or the producer's end value once all were taken.
    public enum Step {
        case element(Element)
        case end(End)
    }

    private let channel: Channel
    private var thread = pthread_t()
    private let started: Bool
    private var current: [Element] = []
    private var position = 0
    private var finished: Result<End, Failure>?

    /// `produce` runs on the new thread; it passes each element to `emit`, which returns false
    /// when the consumer has gone (the producer should then stop), and returns its end value.
    public init(_ produce: @escaping @Sendable (_ emit: (Element) -> Bool) throws(Failure) -> End) {
        let channel = Channel()
        self.channel = channel
        let work = ThreadWork { Self.produce(with: produce, into: channel) }
        let context = Unmanaged.passRetained(work).toOpaque()
        started =
            pthread_create(
                &thread, nil,
                { context in
                    Unmanaged<ThreadWork>.fromOpaque(context!).takeRetainedValue().body()
                    return nil
                }, context) == 0
        if !started {
            // No thread to be had: produce here and now (the same elements, just not ahead).
            channel.unbounded()
            Unmanaged<ThreadWork>.fromOpaque(context).takeRetainedValue().body()
        }
    }

    deinit {
        channel.cancel()
        if started { pthread_join(thread, nil) }
    }

    /// The next element, or the end; waits for the producer when it is not ahead.
    public func next() throws(Failure) -> Step {
        while position == current.count {
            if let finished { return .end(try finished.get()) }
            switch channel.take() {
            case .items(let batch):
                current = batch
                position = 0
            case .end(let result):
                finished = result
            }
        }
        defer { position += 1 }
        return .element(current[position])
    }

    /// The producing thread's work: elements gathered into batches, then the end.
    private static func produce(with produce: (_ emit: (Element) -> Bool) throws(Failure) -> End, into channel: Channel) {
        let sink = Sink(channel)
        let result: Result<End, Failure>
        do {
            result = .success(try produce(sink.emit))
        } catch {
            result = .failure(error)
        }
        sink.flush()
        if sink.open { channel.finish(result) }
    }

    /// Gathers elements on the producing thread and hands them over a batch at a time.
    private final class Sink {
        let channel: Channel
        var batch: [Element] = []
        /// False once the consumer has gone.
        var open = true

        init(_ channel: Channel) {
            self.channel = channel
            batch.reserveCapacity(ReadAhead.batchSize)
        }

        func emit(_ element: Element) -> Bool {
            guard open else { return false }
            batch.append(element)
            if batch.count == ReadAhead.batchSize { flush() }
            return open
        }

        func flush() {
            guard open, !batch.isEmpty else { return }
            open = channel.put(batch)
            batch.removeAll(keepingCapacity: true)
        }
    }

    /// The bounded queue between the producing thread and the consumer.
    private final class Channel: @unchecked Sendable {
        enum Message {
            case items([Element])
            case end(Result<End, Failure>)
        }

        private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        // Guarded by `mutex`.
        private var batches: [[Element]] = []
        private var end: Result<End, Failure>?
        private var cancelled = false
        private var limit = ReadAhead.maxBatches

        init() {
            pthread_mutex_init(mutex, nil)
            pthread_cond_init(changed, nil)
        }

        deinit {
            pthread_cond_destroy(changed)
            pthread_mutex_destroy(mutex)
            changed.deallocate()
            mutex.deallocate()
        }

        /// For a producer on the consumer's own thread: it must never wait for room.
        func unbounded() {
            pthread_mutex_lock(mutex)
            limit = .max
            pthread_mutex_unlock(mutex)
        }

        /// Waits for room; false when the consumer has gone.
        func put(_ batch: [Element]) -> Bool {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            while batches.count >= limit && !cancelled { pthread_cond_wait(changed, mutex) }
            guard !cancelled else { return false }
            batches.append(batch)
            pthread_cond_broadcast(changed)
            return true
        }

        func finish(_ result: Result<End, Failure>) {
            pthread_mutex_lock(mutex)
            end = result
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(mutex)
        }

        /// Waits for a batch or the end.
        func take() -> Message {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            while batches.isEmpty && end == nil { pthread_cond_wait(changed, mutex) }
            if !batches.isEmpty {
                let batch = batches.removeFirst()
                pthread_cond_broadcast(changed)
                return .items(batch)
            }
            return .end(end!)
        }

        func cancel() {
            pthread_mutex_lock(mutex)
            cancelled = true
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(mutex)
        }
    }
}

/// A thread's body, passed through pthread_create's context pointer (outside the generic
/// class: a C function pointer cannot refer to generic context).
private final class ThreadWork: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}
