// The compiled form of a JSONPath query (RFC 9535). Built once by `PathParser`,
// evaluated many times by the evaluator; nothing here is re-parsed at run time.

/// `$…` or `@…` followed by segments.
struct PathQuery: Sendable {
    var isRelative: Bool
    var segments: [PathSegment]

    /// RFC 9535 singular query: only child segments with one name or index selector.
    var isSingular: Bool {
        segments.allSatisfy { segment in
            guard !segment.isDescendant, segment.selectors.count == 1 else { return false }
            switch segment.selectors[0] {
            case .name, .index: return true
            default: return false
            }
        }
    }
}

/// A child (`[…]`, `.name`, `.*`) or descendant (`..…`) segment.
struct PathSegment: Sendable {
    var isDescendant: Bool
    var selectors: [PathSelector]
}

enum PathSelector: Sendable {
    case name(String)
    case wildcard
    case index(Int)
    case slice(start: Int?, end: Int?, step: Int?)
    case filter(LogicalExpression)
}

/// A filter expression whose result is LogicalType.
indirect enum LogicalExpression: Sendable {
    case or([LogicalExpression])
    case and([LogicalExpression])
    case not(LogicalExpression)
    /// Existence test: true when the query selects at least one node.
    case exists(PathQuery)
    /// A function returning LogicalType or NodesType (non-empty → true).
    case function(FunctionCall)
    case comparison(ComparisonOperator, Comparable, Comparable)
}

enum ComparisonOperator: String, Sendable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<="
    case greater = ">", greaterOrEqual = ">="
}

/// Operand of a comparison, or a ValueType function argument.
enum Comparable: Sendable {
    case literal(JSONValue)
    /// A singular query (its single node's value, or Nothing).
    case query(PathQuery)
    /// A function whose result is ValueType.
    case function(FunctionCall)
}

/// The RFC 9535 function extension type system (§2.4.1).
enum FunctionType: Sendable {
    case value, logical, nodes
}

/// An argument, already converted to the parameter's declared type.
enum FunctionArgument: Sendable {
    case value(Comparable)
    case nodes(PathQuery)
    case logical(LogicalExpression)
}

struct FunctionCall: Sendable {
    var function: PathFunction
    var arguments: [FunctionArgument]
    /// For match()/search() with a string-literal pattern: compiled at parse time.
    var literalRegex: CompiledIRegexp?
}
