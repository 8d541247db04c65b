/// A compiled RFC 9535 JSONPath query. Parse once, evaluate many times.
///
/// ```swift
/// let ids = try JSONPath("$.array[?@.ptzEnabled == true].id").select(response)
/// let first = try JSONPath(shorthand: "array[0].id").select(response).first?.value
/// ```
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// The query as the user wrote it (for shorthand queries, without the `$.`).
    public let text: String
    /// The full RFC 9535 query that was compiled (`$…`).
    let query: String
    let compiled: PathQuery

    /// Compiles a strict RFC 9535 query; it must start with `$`.
    public init(_ query: String) throws(JSONPathError) {
        var parser = PathParser(query)
        compiled = try parser.parseQuery()
        text = query
        self.query = query
    }

    /// Compiles Vigil's collection syntax: a query not starting with `$` means
    /// `$.` + query (`result.path.id`, `array[0].id`, `array[-1]`, `array[*].id`);
    /// one starting with `[` or `..` means `$` + query. Error offsets point into
    /// the text as written.
    public init(shorthand query: String) throws(JSONPathError) {
        let prefix: String
        if query.hasPrefix("$") {
            prefix = ""
        } else if query.hasPrefix("[") || query.hasPrefix("..") {
            prefix = "$"
        } else {
            prefix = "$."
        }
        var parser = PathParser(prefix + query, prefixLength: prefix.unicodeScalars.count)
        compiled = try parser.parseQuery()
        text = query
        self.query = prefix + query
    }

    /// Selects the nodes of `root` matched by the query, in RFC 9535 order, each
    /// with its normalized path.
    public func select(_ root: JSONValue) -> [JSONPathNode] {
        let evaluator = PathEvaluator(root: root, context: EvaluationContext())
        return evaluator.select(compiled, from: root, trace: LinkTrace(link: nil)).map { value, trace in
            JSONPathNode(path: trace.path, value: value)
        }
    }

    /// How many nodes a bounded selection may visit (walks and filter tests together): a
    /// plain query over a 60 MB document visits a few million; nested descendant filters can
    /// need billions.
    public static let defaultBudget = 20_000_000

    /// ``select(_:)`` that gives up once it has visited `budget` nodes, for queries written
    /// by others against documents sent by others.
    public func select(_ root: JSONValue, budget: Int) throws(JSONPathBudgetExceeded) -> [JSONPathNode] {
        let context = EvaluationContext(budget: budget)
        let evaluator = PathEvaluator(root: root, context: context)
        let nodes = evaluator.select(compiled, from: root, trace: LinkTrace(link: nil))
        if context.exhausted { throw JSONPathBudgetExceeded(query: text, budget: budget) }
        return nodes.map { value, trace in JSONPathNode(path: trace.path, value: value) }
    }

    /// Only the values of `select(_:)`.
    public func values(in root: JSONValue) -> [JSONValue] {
        let evaluator = PathEvaluator(root: root, context: EvaluationContext())
        return evaluator.select(compiled, from: root, trace: NoTrace()).map(\.0)
    }

    /// RFC 9535 singular query: selects at most one node (only names and indices).
    public var isSingular: Bool { compiled.isSingular }

    /// The full `$…` query.
    public var description: String { query }

    public static func == (lhs: JSONPath, rhs: JSONPath) -> Bool { lhs.query == rhs.query }
    public func hash(into hasher: inout Hasher) { hasher.combine(query) }
}
