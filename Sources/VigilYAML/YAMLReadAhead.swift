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
/// beside the decoding of the items (a third of the work beside the rest). A bounded queue
/// keeps the reader at most ``maxBatches`` batches ahead, so memory stays that of a few items.
/// Plain pthreads: the queue is a mutex and two conditions, and the thread is joined when the
/// consumer lets go, whether or not it read to the end.
public final class YAMLReadAhead: YAMLItemSource {
    /// Items handed over at once: one lock per batch, not per item.
    static let batchSize = 64
    static let maxBatches = 8

    /// Whether reading ahead is worth a thread: a file of at least `bytes` on more than one core.
    public static func isWorthwhile(bytes: Int) -> Bool {
        bytes >= 256 * 1024 && sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1
    }

    private let channel: Channel
    private var thread = pthread_t()
    private let started: Bool
    private var current: [YAMLItem] = []
    private var position = 0
    public private(set) var document: YAMLNode?

    public init(source: YAMLSource, streaming: Set<String>, limits: YAMLLoader = YAMLLoader()) {
        let channel = Channel()
        self.channel = channel
        let work = Work {
            let reader = YAMLItemReader(source: source, streaming: streaming, limits: limits)
            var batch: [YAMLItem] = []
            batch.reserveCapacity(YAMLReadAhead.batchSize)
            do throws(YAMLError) {
                while let item = try reader.next() {
                    batch.append(item)
                    if batch.count == YAMLReadAhead.batchSize {
                        guard channel.put(batch) else { return }
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { guard channel.put(batch) else { return } }
                channel.finish(.success(reader.document))
            } catch {
                if !batch.isEmpty { guard channel.put(batch) else { return } }
                channel.finish(.failure(error))
            }
        }
        let context = Unmanaged.passRetained(work).toOpaque()
        started = pthread_create(&thread, nil, { context in
            let work = Unmanaged<Work>.fromOpaque(context!).takeRetainedValue()
            work.body()
            return nil
        }, context) == 0
        if !started {
            // No thread: read here instead, now (the same items, just not ahead).
            Unmanaged<Work>.fromOpaque(context).takeRetainedValue().body()
        }
    }

    deinit {
        channel.cancel()
        if started { pthread_join(thread, nil) }
    }

    public func next() throws(YAMLError) -> YAMLItem? {
        while position == current.count {
            switch channel.take() {
            case .items(let batch):
                current = batch
                position = 0
            case .end(.success(let root)):
                document = root
                return nil
            case .end(.failure(let error)):
                throw error
            }
        }
        defer { position += 1 }
        return current[position]
    }

    private final class Work: @unchecked Sendable {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// The bounded queue between the reading thread and the consumer.
    private final class Channel: @unchecked Sendable {
        enum Message {
            case items([YAMLItem])
            case end(Result<YAMLNode?, YAMLError>)
        }

        private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        // Guarded by `mutex`.
        private var batches: [[YAMLItem]] = []
        private var end: Result<YAMLNode?, YAMLError>?
        private var cancelled = false

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

        /// Waits for room; false when the consumer has gone.
        func put(_ batch: [YAMLItem]) -> Bool {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            while batches.count >= YAMLReadAhead.maxBatches && !cancelled { pthread_cond_wait(changed, mutex) }
            guard !cancelled else { return false }
            batches.append(batch)
            pthread_cond_broadcast(changed)
            return true
        }

        func finish(_ result: Result<YAMLNode?, YAMLError>) {
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
