import VigilCore
import VigilJSON

/// A list of a collection with its `forEach:` loops unrolled as the run reaches them: each
/// loop's list is read from the variables when the loop starts (so it may be a capture of an
/// earlier request), each item is bound to the loop's variable (and its 0-based position to
/// `<as>.index`), and each request of the loop's body is handed out once per item, named
/// `name [2/5]`. An empty list hands out the body as skipped, saying why; a value that is not
/// a list hands out an error naming where `forEach:` is written.
struct Iterations {
    /// What to report next.
    enum Step {
        /// Send it (named for its iteration).
        case run(RequestSpec)
        /// Report it as skipped, with the reason.
        case skipped(RequestSpec, String)
        /// Report it as an error, with the message.
        case error(RequestSpec, String)
    }

    /// One loop being run: its body, which item is bound, and where in the body the run is.
    private struct Frame {
        var loop: Loop
        var depth: Int
        var body: [RequestSpec]
        var items: [JSONValue]
        var item = 0
        var next = 0
    }

    private var base: RequestSpecs.Iterator
    private var peeked: RequestSpec?
    private var frames: [Frame] = []
    private var pending: [Step] = []
    private let store: VariableStore

    init(_ specs: RequestSpecs, store: VariableStore) {
        base = specs.makeIterator()
        self.store = store
    }

    /// Set when the list's file could not be read again (see ``RequestSpecs/Iterator/failure``).
    var failure: String? { base.failure }

    /// The next step. With `iterating` false (the run has stopped: every request left is
    /// skipped) no new loop starts, and the body of a loop is handed out once, unnamed.
    mutating func next(iterating: Bool = true) -> Step? {
        while true {
            if !pending.isEmpty { return pending.removeFirst() }
            guard var frame = frames.popLast() else {
                guard let spec = nextBase() else { return nil }
                guard let loop = spec.loops.first else { return .run(spec) }
                var body = [spec]
                while let more = nextBase() {
                    guard more.loops.first?.id == loop.id else {
                        peeked = more
                        break
                    }
                    body.append(more)
                }
                start(loop, depth: 0, body: body, iterating: iterating)
                continue
            }
            if frame.next < frame.body.count {
                let spec = frame.body[frame.next]
                let depth = frame.depth + 1
                if spec.loops.count > depth {
                    // A loop inside this one: its body is the run of requests that share it.
                    let inner = spec.loops[depth]
                    var end = frame.next + 1
                    while end < frame.body.count, frame.body[end].loops.count > depth, frame.body[end].loops[depth].id == inner.id { end += 1 }
                    let body = Array(frame.body[frame.next..<end])
                    frame.next = end
                    frames.append(frame)
                    start(inner, depth: depth, body: body, iterating: iterating)
                    continue
                }
                frame.next += 1
                frames.append(frame)
                var named = spec
                named.name = spec.iterationName(frames.map { ($0.item + 1, $0.items.count) })
                return .run(named)
            }
            // The body ran for this item: the next item, or the loop is done.
            frame.item += 1
            guard iterating, frame.item < frame.items.count else { continue }
            frame.next = 0
            bind(frame)
            frames.append(frame)
        }
    }

    private mutating func nextBase() -> RequestSpec? {
        if let p = peeked {
            peeked = nil
            return p
        }
        return base.next()
    }

    /// Reads the loop's list and binds its first item; or queues what to report instead.
    private mutating func start(_ loop: Loop, depth: Int, body: [RequestSpec], iterating: Bool) {
        guard iterating else {
            pending += body.map { .run($0) }
            return
        }
        let value: JSONValue
        do {
            value = try loop.list.resolve(store)
        } catch {
            fail(body, "forEach \(loop.listText) at \(loop.place): \(error)")
            return
        }
        guard let items = value.arrayValue else {
            fail(body, "forEach needs a list, but \(loop.listText) is \(Self.kind(of: value)) (forEach at \(loop.place))")
            return
        }
        guard !items.isEmpty else {
            pending += body.map { .skipped($0, "forEach \(loop.listText) is an empty list: nothing to iterate") }
            return
        }
        let frame = Frame(loop: loop, depth: depth, body: body, items: items)
        bind(frame)
        frames.append(frame)
    }

    /// The loop's first request is the error; the rest of its body is skipped.
    private mutating func fail(_ body: [RequestSpec], _ message: String) {
        pending.append(.error(body[0], message))
        pending += body.dropFirst().map { .skipped($0, "its forEach could not run") }
    }

    private func bind(_ frame: Frame) {
        store.set(frame.loop.variable, to: frame.items[frame.item])
        store.set(frame.loop.variable + ".index", to: .int(Int64(frame.item)))
    }

    private static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number (\(value.interpolationText))"
        case .string(let text):
            let s = text.string
            return "text ('\(s.count > 40 ? String(s.prefix(40)) + "…" : s)')"
        case .object: return "an object"
        case .array: return "a list"
        }
    }
}
