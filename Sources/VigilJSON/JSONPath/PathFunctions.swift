/// The RFC 9535 function extensions (§2.4.4–§2.4.8) with their declared types.
enum PathFunction: String, Sendable, CaseIterable {
    case length, count, match, search, value

    var parameterTypes: [FunctionType] {
        switch self {
        case .length: [.value]
        case .count, .value: [.nodes]
        case .match, .search: [.value, .value]
        }
    }

    var resultType: FunctionType {
        switch self {
        case .length, .count, .value: .value
        case .match, .search: .logical
        }
    }

    /// For match()/search() whose pattern is a string literal, the regex compiled
    /// once at parse time (possibly as "invalid", which makes the function false).
    func compileLiteralPattern(_ arguments: [FunctionArgument]) -> CompiledIRegexp? {
        guard self == .match || self == .search, arguments.count == 2,
            case .value(.literal(.string(let pattern))) = arguments[1]
        else { return nil }
        return CompiledIRegexp(pattern.string, wholeString: self == .match)
    }
}

extension PathEvaluator {
    /// Evaluates a ValueType function; `nil` is Nothing.
    func valueOf(_ call: FunctionCall, current: JSONValue) -> JSONValue? {
        switch call.function {
        case .length:
            guard case .value(let operand) = call.arguments[0] else { return nil }
            switch value(of: operand, current: current) {
            case .string(let s): return .int(Int64(s.string.unicodeScalars.count))
            case .array(let a): return .int(Int64(a.count))
            case .object(let o): return .int(Int64(o.count))
            default: return nil
            }
        case .count:
            guard case .nodes(let query) = call.arguments[0] else { return nil }
            return .int(Int64(values(of: query, current: current).count))
        case .value:
            guard case .nodes(let query) = call.arguments[0] else { return nil }
            let nodes = values(of: query, current: current)
            // Not a ternary: `nil` there would become JSONValue.null (ExpressibleByNilLiteral).
            guard nodes.count == 1 else { return nil }
            return nodes[0]
        case .match, .search:
            return nil
        }
    }

    /// Evaluates a LogicalType (or NodesType, as non-empty) function.
    func test(_ call: FunctionCall, current: JSONValue) -> Bool {
        switch call.function {
        case .match, .search:
            guard case .value(let subjectOperand) = call.arguments[0],
                case .value(let patternOperand) = call.arguments[1],
                case .string(let subject)? = value(of: subjectOperand, current: current)
            else { return false }
            let regex: CompiledIRegexp
            if let literal = call.literalRegex {
                regex = literal
            } else {
                guard case .string(let pattern)? = value(of: patternOperand, current: current) else { return false }
                regex = context.regex(pattern.string, wholeString: call.function == .match)
            }
            return regex.matches(subject.string)
        case .length, .count, .value:
            return false  // ValueType functions are rejected as tests at parse time.
        }
    }
}
