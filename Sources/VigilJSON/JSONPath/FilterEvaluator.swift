/// Filter expression evaluation (RFC 9535 §2.3.5.2).
extension PathEvaluator {
    /// Whether `current` (the `@` node) passes the filter.
    func test(_ expression: LogicalExpression, current: JSONValue) -> Bool {
        switch expression {
        case .or(let operands):
            return operands.contains { test($0, current: current) }
        case .and(let operands):
            return operands.allSatisfy { test($0, current: current) }
        case .not(let operand):
            return !test(operand, current: current)
        case .exists(let query):
            if query.isSingular { return singularValue(query, current: current) != nil }
            return selectsAny(query, current: current)
        case .function(let call):
            return test(call, current: current)
        case .comparison(let op, let left, let right):
            return PathEvaluator.compare(
                value(of: left, current: current), op,
                value(of: right, current: current))
        }
    }

    /// Value of a comparison operand; `nil` is Nothing.
    func value(of operand: Comparable, current: JSONValue) -> JSONValue? {
        switch operand {
        case .literal(let value): return value
        case .query(let query): return singularValue(query, current: current)
        case .function(let call): return valueOf(call, current: current)
        }
    }

    /// Comparison with RFC semantics: Nothing equals only Nothing; `<` only between
    /// two numbers (by value) or two strings (by Unicode scalar values).
    static func compare(_ a: JSONValue?, _ op: ComparisonOperator, _ b: JSONValue?) -> Bool {
        switch op {
        case .equal: return equal(a, b)
        case .notEqual: return !equal(a, b)
        case .less: return less(a, b)
        case .lessOrEqual: return less(a, b) || equal(a, b)
        case .greater: return less(b, a)
        case .greaterOrEqual: return less(b, a) || equal(a, b)
        }
    }

    private static func equal(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let a?, let b?): return a == b
        default: return false
        }
    }

    private static func less(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        switch (a, b) {
        case (.int(let x)?, .int(let y)?): return x < y
        case (.string(let x)?, .string(let y)?): return x < y
        case (let x?, let y?):
            guard let dx = x.numericValue, let dy = y.numericValue else { return false }
            return dx < dy
        default: return false
        }
    }
}

extension JSONValue {
    /// The number as a Double for mixed int/double ordering; nil for non-numbers.
    fileprivate var numericValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }
}
