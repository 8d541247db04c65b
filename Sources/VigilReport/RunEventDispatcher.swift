import VigilRunner

/// The one consumer of a run's events: reads the run's ``RunEventStream`` on a task of its own
/// and hands each event to the console, the file reports, the recorder and the matrix grid,
/// which are therefore single-owner values without locks.
///
/// In a matrix, environments run in parallel and their events interleave. The reports, the
/// recorder and the grid take them as they come (they file each event under its collection and
/// environment). The console shows one collection × environment at a time, whole: the first
/// to start is shown live; the events of the others are held until it finishes, reduced to what
/// the console prints (``held(_:keepsExchanges:)``: no request and response bodies unless
/// `--verbose`, no passed checks or captures), so what is held stays small.
public final class RunEventDispatcher {
    private let console: any RunEventConsumer
    private let others: [any RunEventConsumer]
    private let grouped: Bool
    private let keepsExchanges: Bool
    /// The block shown live, by ``key(_:)``.
    private var current: String?
    /// Blocks waiting for the console, in the order they started.
    private var waiting: [String] = []
    private var held: [String: [RunEvent]] = [:]
    private var finished: Set<String> = []

    /// `grouped`: hold back all but one collection × environment for the console (a matrix);
    /// `keepsExchanges`: the console prints requests and responses, so held events keep them.
    public init(console: any RunEventConsumer, others: [any RunEventConsumer], grouped: Bool, keepsExchanges: Bool) {
        self.console = console
        self.others = others
        self.grouped = grouped
        self.keepsExchanges = keepsExchanges
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
        let key = Self.key(event)
        if current == nil, !waiting.contains(key) { current = key }
        if key == current {
            console.consume(event)
            if case .collectionFinished = event { advance() }
            return
        }
        if held[key] == nil { waiting.append(key) }
        if let kept = Self.held(event, keepsExchanges: keepsExchanges) { held[key, default: []].append(kept) }
        if case .collectionFinished = event { finished.insert(key) }
    }

    /// The live block finished: show the held blocks that finished meanwhile, then make the
    /// oldest unfinished one live.
    private func advance() {
        current = nil
        while let next = waiting.first {
            waiting.removeFirst()
            for e in held.removeValue(forKey: next) ?? [] { console.consume(e) }
            if finished.remove(next) == nil {
                current = next
                return
            }
        }
    }

    /// The end of the run: everything still held, in the order the blocks started.
    private func flush() {
        for key in waiting {
            for e in held.removeValue(forKey: key) ?? [] { console.consume(e) }
        }
        waiting = []
        current = nil
    }

    static func key(_ event: RunEvent) -> String {
        switch event {
        case .collectionLoaded(let c, let env): c.file + "\u{0}" + c.name + "\u{0}" + env
        case .collectionStarted(let name, let file, let env, _): file + "\u{0}" + name + "\u{0}" + env
        case .requestStarted(let ref, _), .attempt(let ref, _, _, _): ref.file + "\u{0}" + ref.collection + "\u{0}" + ref.environment
        case .requestFinished(let r): r.ref.file + "\u{0}" + r.ref.collection + "\u{0}" + r.ref.environment
        case .collectionFinished(let c): c.file + "\u{0}" + c.collection + "\u{0}" + c.environment
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
