import VigilRunner

/// The one consumer of a run's events: reads the run's ``RunEventStream`` on a task of its own
/// and hands each event to the console, the file reports, the recorder and the matrix grid,
/// which are therefore single-owner values without locks.
///
/// In a matrix, and with `--jobs`, collection runs go in parallel and their events interleave.
/// The reports, the recorder and the grid take them as they come (they file each event under
/// its collection and environment, and order them by the ``RunOrder``). The console shows one
/// collection × environment at a time, whole, in the run's order: the first is shown live; the
/// events of the others are held until their turn, reduced to what
/// the console prints (``held(_:keepsExchanges:)``: no request and response bodies unless
/// `--verbose`, no passed checks or captures), so what is held stays small.
public final class RunEventDispatcher {
    private let console: any RunEventConsumer
    private let others: [any RunEventConsumer]
    private let grouped: Bool
    private let keepsExchanges: Bool
    /// Blocks (by ``key(_:)``) in the order the console shows them; those before `head` are
    /// shown, the one at `head` is live, the ones after it are held.
    private var queue: [String] = []
    private var head = 0
    /// The blocks in `queue` from `head` on.
    private var queued: Set<String> = []
    private var held: [String: [RunEvent]] = [:]
    private var finished: Set<String> = []
    private let order: RunOrder?

    /// `grouped`: hold back all but one collection × environment for the console (a matrix,
    /// `--jobs`); `keepsExchanges`: the console prints requests and responses, so held events
    /// keep them. With an `order`, blocks are shown in it (``RunOrder``), whichever runs first;
    /// without one, in the order they start.
    public init(console: any RunEventConsumer, others: [any RunEventConsumer], grouped: Bool, keepsExchanges: Bool, order: RunOrder? = nil) {
        self.console = console
        self.others = others
        self.grouped = grouped
        self.keepsExchanges = keepsExchanges
        self.order = order
        if grouped, let order {
            // Planned blocks wait for their turn even before they start.
            queue = order.cells.map { Self.key(file: $0.file, collection: $0.collection, environment: $0.environment) }
            queued = Set(queue)
        }
    }

    /// Reads `events` to their end, then shows whatever is still held.
    public func run(_ events: RunEventStream) async {
        for await event in events { consume(event) }
        flush()
    }

    public func consume(_ event: RunEvent) {
        for o in others { o.consume(event) }
        guard grouped else {
            console.consume(event)
            return
        }
        let key = Self.key(event, order: order)
        if !queued.contains(key) {
            // Not planned, or started again after it was shown (it is shown again, later).
            queue.append(key)
            queued.insert(key)
        }
        if key == queue[head] {
            console.consume(event)
            if case .collectionFinished = event { advance() }
            return
        }
        if let kept = Self.held(event, keepsExchanges: keepsExchanges) { held[key, default: []].append(kept) }
        if case .collectionFinished = event { finished.insert(key) }
    }

    /// The live block finished: show the held blocks that finished meanwhile, then make the
    /// next unfinished one live (what it has sent so far shown at once).
    private func advance() {
        queued.remove(queue[head])
        head += 1
        while head < queue.count {
            let next = queue[head]
            for e in held.removeValue(forKey: next) ?? [] { console.consume(e) }
            guard finished.remove(next) != nil else { return }
            queued.remove(next)
            head += 1
        }
    }

    /// The end of the run: everything still held, in order.
    private func flush() {
        for key in queue[head...] {
            for e in held.removeValue(forKey: key) ?? [] { console.consume(e) }
        }
        queue = []
        head = 0
        queued = []
    }

    static func key(file: String, collection: String, environment: String) -> String { file + "\u{0}" + collection + "\u{0}" + environment }

    /// The block an event belongs to: its collection run (file, collection, environment). With
    /// an `order` made from files alone, the collection's name is left out, as in its plan.
    static func key(_ event: RunEvent, order: RunOrder? = nil) -> String {
        func k(_ file: String, _ name: String, _ env: String) -> String {
            key(file: file, collection: order?.plannedName(file: file, collection: name, environment: env) ?? name, environment: env)
        }
        switch event {
        case .collectionLoaded(let c, let env): return k(c.file, c.name, env)
        case .collectionStarted(let name, let file, let env, _): return k(file, name, env)
        case .requestStarted(let ref, _), .attempt(let ref, _, _, _): return k(ref.file, ref.collection, ref.environment)
        case .requestFinished(let r): return k(r.ref.file, r.ref.collection, r.ref.environment)
        case .collectionFinished(let c): return k(c.file, c.collection, c.environment)
        case .openAPICoverage(let c): return "\u{0}openapi\u{0}" + c.environment
        }
    }

    /// What is held of an event for the console: only what it shows. A request's progress (and,
    /// unless verbose, a poll's attempt) is not, as the block is shown once it is over; a finished
    /// request keeps its failed checks, and its exchange only when `keepsExchanges`.
    static func held(_ event: RunEvent, keepsExchanges: Bool) -> RunEvent? {
        switch event {
        case .requestStarted: return nil
        case .attempt: return keepsExchanges ? event : nil
        case .requestFinished(var r):
            if !keepsExchanges { r.exchange = nil }
            r.spec = nil
            r.captures = []
            r.notes = []
            if r.checks.contains(where: { !$0.failed }) { r.checks = r.checks.filter(\.failed) }
            return .requestFinished(r)
        default: return event
        }
    }
}
