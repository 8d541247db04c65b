import Synchronization

/// Holds the events of each collection × environment run back until that run finishes,
/// then passes them on together, so that runs going on in parallel (a matrix) reach the
/// console and reports as whole blocks, each in its own order.
public final class GroupingObserver: RunObserver {
    private let inner: any RunObserver
    private let pending = Mutex<[String: [RunEvent]]>([:])

    public init(_ inner: any RunObserver) {
        self.inner = inner
    }

    public func handle(_ event: RunEvent) {
        guard let key = Self.key(event) else {
            inner.handle(event)
            return
        }
        let finished: [RunEvent]? = pending.withLock { p in
            p[key, default: []].append(event)
            guard case .collectionFinished = event else { return nil }
            return p.removeValue(forKey: key)
        }
        // One block at a time, whole.
        if let finished { Self.delivery.withLock { _ in for e in finished { inner.handle(e) } } }
    }

    private static let delivery = Mutex(())

    static func key(_ event: RunEvent) -> String? {
        switch event {
        case .collectionLoaded(let c, let env): return c.file + "\u{0}" + env
        case .collectionStarted(_, let file, let env, _): return file + "\u{0}" + env
        case .requestStarted(let ref, _), .attempt(let ref, _, _, _): return ref.file + "\u{0}" + ref.environment
        case .requestFinished(let r): return r.ref.file + "\u{0}" + r.ref.environment
        case .collectionFinished(let c): return c.file + "\u{0}" + c.environment
        case .warning: return nil
        }
    }
}
