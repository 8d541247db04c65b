/// Path of a node being built during evaluation; `NoTrace` costs nothing for
/// filter sub-queries, `LinkTrace` shares prefixes between result nodes.
protocol PathTrace {
    func child(_ component: @autoclosure () -> NormalizedPath.Component) -> Self
}

struct NoTrace: PathTrace {
    @inline(__always)
    func child(_ component: @autoclosure () -> NormalizedPath.Component) -> NoTrace { self }
}

struct LinkTrace: PathTrace {
    final class Link: Sendable {
        let parent: Link?
        let component: NormalizedPath.Component
        init(parent: Link?, component: NormalizedPath.Component) {
            self.parent = parent
            self.component = component
        }
    }

    let link: Link?

    func child(_ component: @autoclosure () -> NormalizedPath.Component) -> LinkTrace {
        LinkTrace(link: Link(parent: link, component: component()))
    }

    var path: NormalizedPath {
        var components: [NormalizedPath.Component] = []
        var node = link
        while let current = node {
            components.append(current.component)
            node = current.parent
        }
        return NormalizedPath(components.reversed())
    }
}

/// Per-`select` state: regexes compiled from patterns found in the document, and the work
/// budget: nested descendant segments in filters (`$..[?@..[?@..x]]`) cost the square or cube
/// of the document's size, so a query counts the nodes it visits and stops at `budget`.
final class EvaluationContext {
    private var regexes: [String: CompiledIRegexp] = [:]
    let budget: Int
    private(set) var steps = 0
    /// Set once the budget is spent: every walk and filter stops, the result is discarded.
    private(set) var exhausted = false

    init(budget: Int = .max) { self.budget = budget }

    /// Counts one visited node; false once the budget is spent.
    @inline(__always)
    func step() -> Bool {
        if exhausted { return false }
        steps &+= 1
        if steps > budget { exhausted = true }
        return !exhausted
    }

    func regex(_ pattern: String, wholeString: Bool) -> CompiledIRegexp {
        let key = (wholeString ? "m" : "s") + pattern
        if let cached = regexes[key] { return cached }
        let compiled = CompiledIRegexp(pattern, wholeString: wholeString)
        regexes[key] = compiled
        return compiled
    }
}

/// Evaluates compiled queries against a document (RFC 9535 §2.3–§2.5).
struct PathEvaluator {
    let root: JSONValue
    let context: EvaluationContext

    /// All nodes selected by `query` starting at `start`, with their paths.
    /// With `firstOnly`, the last segment stops at its first node (an existence test).
    func select<T: PathTrace>(_ query: PathQuery, from start: JSONValue, trace: T, firstOnly: Bool = false) -> [(JSONValue, T)] {
        var nodes = [(start, trace)]
        for (s, segment) in query.segments.enumerated() {
            if context.exhausted { return [] }
            let stop = firstOnly && s == query.segments.count - 1
            var next: [(JSONValue, T)] = []
            for (value, path) in nodes {
                if segment.isDescendant {
                    descend(value, path, segment.selectors, stop: stop, into: &next)
                } else {
                    for selector in segment.selectors { apply(selector, value, path, into: &next) }
                }
                if stop, !next.isEmpty { break }
            }
            nodes = next
            if nodes.isEmpty { break }
        }
        return nodes
    }

    /// Values selected by a filter sub-query (`@…` relative to `current`, or `$…`).
    func values(of query: PathQuery, current: JSONValue) -> [JSONValue] {
        select(query, from: query.isRelative ? current : root, trace: NoTrace()).map(\.0)
    }

    /// Whether a filter sub-query selects anything: stops at the first node.
    func selectsAny(_ query: PathQuery, current: JSONValue) -> Bool {
        !select(query, from: query.isRelative ? current : root, trace: NoTrace(), firstOnly: true).isEmpty
    }

    /// Value of a singular query, or `nil` (Nothing). Walks names/indices directly.
    func singularValue(_ query: PathQuery, current: JSONValue) -> JSONValue? {
        var value = query.isRelative ? current : root
        for segment in query.segments {
            switch segment.selectors[0] {
            case .name(let name):
                guard case .object(let object) = value, let member = object[name] else { return nil }
                value = member
            case .index(let index):
                guard case .array(let array) = value else { return nil }
                let i = index < 0 ? array.count + index : index
                guard i >= 0, i < array.count else { return nil }
                value = array[i]
            default:
                return nil
            }
        }
        return value
    }

    /// Pre-order walk: the node, then its children in order (RFC 9535 §2.5.2.2).
    ///
    /// Paths are built lazily: the walk keeps the components of the current node on a stack
    /// and makes a trace only for a node some selector takes from. Only arrays and objects
    /// are visited: no selector takes anything from a scalar. (`$..id` over 1 MB made a path
    /// step for each of its 150,000 nodes.)
    private func descend<T: PathTrace>(
        _ value: JSONValue, _ path: T, _ selectors: [PathSelector], stop: Bool = false,
        into out: inout [(JSONValue, T)]
    ) {
        var walk = DescentWalk(base: path)
        descend(value, selectors, &walk, stop: stop, into: &out)
    }

    /// With `stop`, returns as soon as `out` holds a node.
    private func descend<T: PathTrace>(
        _ value: JSONValue, _ selectors: [PathSelector], _ walk: inout DescentWalk<T>, stop: Bool,
        into out: inout [(JSONValue, T)]
    ) {
        guard context.step() else { return }
        switch value {
        case .array(let array):
            if !array.isEmpty, selectors.contains(where: { $0.mayTakeFromArray }) {
                let path = walk.current()
                for selector in selectors { apply(selector, value, path, into: &out) }
                if stop, !out.isEmpty { return }
            }
            for (i, element) in array.enumerated() where element.isContainer {
                walk.push(.index(i))
                descend(element, selectors, &walk, stop: stop, into: &out)
                walk.pop()
                if stop, !out.isEmpty { return }
            }
        case .object(let object):
            if selectors.contains(where: { $0.mayTake(from: object) }) {
                let path = walk.current()
                for selector in selectors { apply(selector, value, path, into: &out) }
                if stop, !out.isEmpty { return }
            }
            for entry in object where entry.value.isContainer {
                walk.push(.name(entry.key))
                descend(entry.value, selectors, &walk, stop: stop, into: &out)
                walk.pop()
                if stop, !out.isEmpty { return }
            }
        default:
            break
        }
    }

    private func apply<T: PathTrace>(
        _ selector: PathSelector, _ value: JSONValue, _ path: T,
        into out: inout [(JSONValue, T)]
    ) {
        switch selector {
        case .name(let name):
            if case .object(let object) = value, let member = object[name] {
                out.append((member, path.child(.name(name))))
            }
        case .wildcard:
            switch value {
            case .array(let array):
                for (i, element) in array.enumerated() { out.append((element, path.child(.index(i)))) }
            case .object(let object):
                for entry in object { out.append((entry.value, path.child(.name(entry.key)))) }
            default: break
            }
        case .index(let index):
            if case .array(let array) = value {
                let i = index < 0 ? array.count + index : index
                if i >= 0, i < array.count { out.append((array[i], path.child(.index(i)))) }
            }
        case .slice(let start, let end, let step):
            if case .array(let array) = value {
                for i in PathEvaluator.sliceIndices(count: array.count, start: start, end: end, step: step) {
                    out.append((array[i], path.child(.index(i))))
                }
            }
        case .filter(let expression):
            switch value {
            case .array(let array):
                for (i, element) in array.enumerated() where context.step() && test(expression, current: element) {
                    out.append((element, path.child(.index(i))))
                }
            case .object(let object):
                for entry in object where context.step() && test(expression, current: entry.value) {
                    out.append((entry.value, path.child(.name(entry.key))))
                }
            default: break
            }
        }
    }

    /// Array indices selected by a slice, in order (RFC 9535 §2.3.4.2.2).
    static func sliceIndices(count len: Int, start: Int?, end: Int?, step: Int?) -> [Int] {
        let step = step ?? 1
        if step == 0 || len == 0 { return [] }
        func normalize(_ i: Int) -> Int { i >= 0 ? i : len + i }
        var indices: [Int] = []
        if step > 0 {
            let lower = min(max(normalize(start ?? 0), 0), len)
            let upper = min(max(normalize(end ?? len), 0), len)
            var i = lower
            while i < upper {
                indices.append(i)
                i += step
            }
        } else {
            let upper = min(max(normalize(start ?? len - 1), -1), len - 1)
            let lower = min(max(normalize(end ?? -len - 1), -1), len - 1)
            var i = upper
            while lower < i {
                indices.append(i)
                i += step
            }
        }
        return indices
    }
}

/// The path of the node a descendant walk is at: components on a stack, traces made only
/// when asked for, and kept for the ancestors so that results share them.
struct DescentWalk<T: PathTrace> {
    private var components: [NormalizedPath.Component] = []
    /// `traces[k]` is the base extended by the first `k` components.
    private var traces: [T]

    init(base: T) { traces = [base] }

    mutating func push(_ component: NormalizedPath.Component) { components.append(component) }

    mutating func pop() {
        components.removeLast()
        if traces.count > components.count + 1 { traces.removeLast(traces.count - components.count - 1) }
    }

    mutating func current() -> T {
        while traces.count <= components.count { traces.append(traces[traces.count - 1].child(components[traces.count - 1])) }
        return traces[components.count]
    }
}

extension JSONValue {
    var isContainer: Bool {
        switch self {
        case .array, .object: return true
        default: return false
        }
    }
}

extension PathSelector {
    /// Whether the selector may take a node from a non-empty array.
    var mayTakeFromArray: Bool {
        if case .name = self { return false }
        return true
    }

    /// Whether the selector may take a node from `object` (a name only when it is there).
    func mayTake(from object: JSONObject) -> Bool {
        switch self {
        case .name(let name): return object[name] != nil
        case .wildcard, .filter: return !object.isEmpty
        case .index, .slice: return false
        }
    }
}
