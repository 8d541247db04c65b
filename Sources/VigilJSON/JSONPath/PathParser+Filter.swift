/// Filter expressions (RFC 9535 §2.3.5) and their type checking (§2.4.3).
extension PathParser {
    /// An expression before its context is known: a bare literal, query or
    /// function call can still become a comparison operand, an existence test or a
    /// function argument.
    enum RawExpression {
        case literal(JSONValue, offset: Int)
        case query(PathQuery, offset: Int)
        case function(FunctionCall, offset: Int)
        case logical(LogicalExpression)
    }

    /// filter-selector = "?" S logical-expr
    mutating func parseFilter() throws(JSONPathError) -> LogicalExpression {
        try logical(try parseOr())
    }

    /// logical-or-expr = logical-and-expr *(S "||" S logical-and-expr)
    mutating func parseOr() throws(JSONPathError) -> RawExpression {
        try enter()
        defer { depth -= 1 }
        let first = try parseAnd()
        var operands: [LogicalExpression] = []
        while true {
            let save = scanner.pos
            scanner.skipBlank()
            guard scanner.consume("||") else {
                scanner.pos = save
                break
            }
            if operands.isEmpty { operands.append(try logical(first)) }
            scanner.skipBlank()
            operands.append(try logical(try parseAnd()))
        }
        return operands.isEmpty ? first : .logical(.or(operands))
    }

    /// logical-and-expr = basic-expr *(S "&&" S basic-expr)
    private mutating func parseAnd() throws(JSONPathError) -> RawExpression {
        let first = try parseBasic()
        var operands: [LogicalExpression] = []
        while true {
            let save = scanner.pos
            scanner.skipBlank()
            guard scanner.consume("&&") else {
                scanner.pos = save
                break
            }
            if operands.isEmpty { operands.append(try logical(first)) }
            scanner.skipBlank()
            operands.append(try logical(try parseBasic()))
        }
        return operands.isEmpty ? first : .logical(.and(operands))
    }

    /// basic-expr = paren-expr / comparison-expr / test-expr
    private mutating func parseBasic() throws(JSONPathError) -> RawExpression {
        if scanner.at("!"), !scanner.at("=", 1) {
            scanner.pos += 1
            scanner.skipBlank()
            if scanner.at("(") { return .logical(.not(try parseParenthesized())) }
            let operandStart = scanner.pos
            let operand = try parsePrimary()
            if case .literal = operand {
                throw scanner.error("'!' must be followed by a query, a function call or '('", at: operandStart)
            }
            return .logical(.not(try logical(operand)))
        }
        if scanner.at("(") { return .logical(try parseParenthesized()) }
        let left = try parsePrimary()
        let save = scanner.pos
        scanner.skipBlank()
        guard let op = parseComparisonOperator() else {
            scanner.pos = save
            return left
        }
        scanner.skipBlank()
        if scanner.at("!") || scanner.at("(") {
            throw scanner.error("expected a literal, singular query or function call after '\(op.rawValue)'")
        }
        let right = try parsePrimary()
        return .logical(.comparison(op, try comparable(left), try comparable(right)))
    }

    private mutating func parseComparisonOperator() -> ComparisonOperator? {
        for op in [ComparisonOperator.equal, .notEqual, .lessOrEqual, .greaterOrEqual, .less, .greater]
        where scanner.consume(op.rawValue) {
            return op
        }
        return nil
    }

    /// "(" S logical-expr S ")"
    private mutating func parseParenthesized() throws(JSONPathError) -> LogicalExpression {
        let open = scanner.pos
        scanner.pos += 1
        scanner.skipBlank()
        let inner = try logical(try parseOr())
        scanner.skipBlank()
        guard scanner.at(")") else {
            if scanner.atEnd { throw scanner.error("unclosed '(' (expected ')')", at: open) }
            throw scanner.error("expected ')' but found \(scanner.found)")
        }
        scanner.pos += 1
        return inner
    }

    /// A literal, `@`/`$` query or function call.
    private mutating func parsePrimary() throws(JSONPathError) -> RawExpression {
        let start = scanner.pos
        guard let c = scanner.peek() else {
            throw scanner.error("expected an expression but found end of query")
        }
        switch c {
        case 0x40, 0x24:  // @ $
            scanner.pos += 1
            let segments = try parseSegments()
            return .query(PathQuery(isRelative: c == 0x40, segments: segments), offset: start)
        case 0x27, 0x22:
            return .literal(.string(try scanner.stringLiteral()), offset: start)
        case 0x2D, 0x30...0x39:
            return .literal(try scanner.number(), offset: start)
        case 0x61...0x7A:
            var name = ""
            while let c = scanner.peek(),
                (c >= 0x61 && c <= 0x7A) || PathScanner.isDigit(c) || c == 0x5F
            {
                name.unicodeScalars.append(Unicode.Scalar(c)!)
                scanner.pos += 1
            }
            if scanner.at("(") { return try parseFunctionCall(name, start: start) }
            switch name {
            case "true": return .literal(.bool(true), offset: start)
            case "false": return .literal(.bool(false), offset: start)
            case "null": return .literal(.null, offset: start)
            default:
                throw scanner.error("unknown literal '\(name)' (a function call needs '(' right after the name)", at: start)
            }
        default:
            throw scanner.error("expected a literal, query, function call or '(' but found \(scanner.found)")
        }
    }

    /// function-expr = function-name "(" S [function-argument *(S "," S function-argument)] S ")"
    private mutating func parseFunctionCall(_ name: String, start: Int) throws(JSONPathError) -> RawExpression {
        guard let function = PathFunction(rawValue: name) else {
            throw scanner.error("unknown function '\(name)'", at: start)
        }
        try enter()
        defer { depth -= 1 }
        scanner.pos += 1  // (
        scanner.skipBlank()
        var raw: [(RawExpression, Int)] = []
        if !scanner.at(")") {
            while true {
                let argumentStart = scanner.pos
                raw.append((try parseOr(), argumentStart))
                scanner.skipBlank()
                if scanner.at(",") {
                    scanner.pos += 1
                    scanner.skipBlank()
                } else {
                    break
                }
            }
        }
        guard scanner.at(")") else {
            throw scanner.error("expected ',' or ')' in call of \(name)() but found \(scanner.found)")
        }
        scanner.pos += 1
        let parameters = function.parameterTypes
        guard raw.count == parameters.count else {
            let plural = parameters.count == 1 ? "" : "s"
            throw scanner.error("\(name)() takes \(parameters.count) argument\(plural), got \(raw.count)", at: start)
        }
        var arguments: [FunctionArgument] = []
        for ((expression, offset), type) in zip(raw, parameters) {
            arguments.append(try argument(expression, as: type, of: function, at: offset))
        }
        let call = FunctionCall(
            function: function, arguments: arguments,
            literalRegex: function.compileLiteralPattern(arguments))
        return .function(call, offset: start)
    }

    /// Converts an argument to its declared parameter type (§2.4.3), or fails.
    private func argument(
        _ expression: RawExpression, as type: FunctionType, of function: PathFunction,
        at offset: Int
    ) throws(JSONPathError) -> FunctionArgument {
        let name = function.rawValue
        switch type {
        case .value:
            switch expression {
            case .logical:
                throw scanner.error("\(name)() expects a value here, not a logical expression", at: offset)
            case .query(let query, _) where !query.isSingular:
                throw scanner.error("\(name)() expects a value here; a non-singular query is not one", at: offset)
            default:
                return .value(try comparable(expression))
            }
        case .nodes:
            switch expression {
            case .query(let query, _): return .nodes(query)
            default:
                throw scanner.error("\(name)() expects a query (nodes) argument here", at: offset)
            }
        case .logical:
            return .logical(try logical(expression))
        }
    }

    /// The expression as LogicalType (test-expr rules), or a type error.
    func logical(_ expression: RawExpression) throws(JSONPathError) -> LogicalExpression {
        switch expression {
        case .logical(let logical): return logical
        case .query(let query, _): return .exists(query)
        case .literal(_, let offset):
            throw scanner.error("a literal cannot be used as a test; compare it with something", at: offset)
        case .function(let call, let offset):
            guard call.function.resultType != .value else {
                throw scanner.error("\(call.function.rawValue)() returns a value; it must be compared, not tested", at: offset)
            }
            return .function(call)
        }
    }

    /// The expression as a comparison operand (ValueType), or a type error.
    func comparable(_ expression: RawExpression) throws(JSONPathError) -> Comparable {
        switch expression {
        case .literal(let value, _): return .literal(value)
        case .query(let query, let offset):
            guard query.isSingular else {
                throw scanner.error("only singular queries (names and indices only) can be compared", at: offset)
            }
            return .query(query)
        case .function(let call, let offset):
            guard call.function.resultType == .value else {
                throw scanner.error("\(call.function.rawValue)() returns a logical result and cannot be compared", at: offset)
            }
            return .function(call)
        case .logical:
            throw scanner.error("a logical expression cannot be compared", at: scanner.pos)
        }
    }
}
