/// Recursive-descent parser for RFC 9535 queries: segments and selectors.
/// Filter expressions are in `PathParser+Filter.swift`.
struct PathParser {
    var scanner: PathScanner
    /// Nesting of filters/parentheses/function calls, bounded to avoid stack overflow.
    var depth = 0
    static let maximumDepth = 64

    init(_ text: String, prefixLength: Int = 0) {
        scanner = PathScanner(text, prefixLength: prefixLength)
    }

    /// query = "$" segments, and nothing after it (not even blank space).
    mutating func parseQuery() throws(JSONPathError) -> PathQuery {
        guard scanner.at("$") else {
            throw scanner.error("a JSONPath query must start with '$'")
        }
        scanner.pos += 1
        let segments = try parseSegments()
        if !scanner.atEnd {
            let blank = scanner.peek().map { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D } ?? false
            throw scanner.error(
                blank
                    ? "blank space after the end of the query"
                    : "expected '.', '..' or '[' but found \(scanner.found)")
        }
        return PathQuery(isRelative: false, segments: segments)
    }

    /// segments = *(S segment). Blank space is consumed only if a segment follows.
    mutating func parseSegments() throws(JSONPathError) -> [PathSegment] {
        var segments: [PathSegment] = []
        while true {
            let save = scanner.pos
            scanner.skipBlank()
            if scanner.at("[") {
                segments.append(PathSegment(isDescendant: false, selectors: try parseBracketed()))
            } else if scanner.at("."), scanner.at(".", 1) {
                scanner.pos += 2
                segments.append(PathSegment(isDescendant: true, selectors: try parseAfterDescendant()))
            } else if scanner.at(".") {
                scanner.pos += 1
                segments.append(PathSegment(isDescendant: false, selectors: [try parseDotMember()]))
            } else {
                scanner.pos = save
                return segments
            }
        }
    }

    /// After `.`: `*` or a member name.
    private mutating func parseDotMember() throws(JSONPathError) -> PathSelector {
        if scanner.at("*") {
            scanner.pos += 1
            return .wildcard
        }
        guard let c = scanner.peek(), PathScanner.isNameFirst(c) else {
            throw scanner.error("expected a member name or '*' after '.' but found \(scanner.found)")
        }
        return .name(scanner.memberName())
    }

    /// After `..`: a bracketed selection, `*` or a member name.
    private mutating func parseAfterDescendant() throws(JSONPathError) -> [PathSelector] {
        if scanner.at("[") { return try parseBracketed() }
        if scanner.at("*") {
            scanner.pos += 1
            return [.wildcard]
        }
        guard let c = scanner.peek(), PathScanner.isNameFirst(c) else {
            throw scanner.error("expected a member name, '*' or '[' after '..' but found \(scanner.found)")
        }
        return [.name(scanner.memberName())]
    }

    /// "[" S selector *(S "," S selector) S "]"
    private mutating func parseBracketed() throws(JSONPathError) -> [PathSelector] {
        let open = scanner.pos
        scanner.pos += 1
        var selectors: [PathSelector] = []
        while true {
            scanner.skipBlank()
            if selectors.isEmpty, scanner.at("]") {
                throw scanner.error("empty brackets: expected a selector")
            }
            selectors.append(try parseSelector())
            scanner.skipBlank()
            if scanner.at(",") {
                scanner.pos += 1
            } else if scanner.at("]") {
                scanner.pos += 1
                return selectors
            } else if scanner.atEnd {
                throw scanner.error("unclosed '[' (expected ']')", at: open)
            } else {
                throw scanner.error("expected ',' or ']' after selector but found \(scanner.found)")
            }
        }
    }

    private mutating func parseSelector() throws(JSONPathError) -> PathSelector {
        guard let c = scanner.peek() else { throw scanner.error("expected a selector but found end of query") }
        switch c {
        case 0x27, 0x22:  // ' "
            return .name(try scanner.stringLiteral())
        case 0x2A:  // *
            scanner.pos += 1
            return .wildcard
        case 0x3F:  // ?
            scanner.pos += 1
            scanner.skipBlank()
            return .filter(try parseFilter())
        case 0x2D, 0x3A, 0x30...0x39:  // - : digit
            return try parseIndexOrSlice()
        default:
            throw scanner.error("expected a selector (quoted name, '*', index, slice or '?' filter) but found \(scanner.found)")
        }
    }

    /// index = int; slice = [start S] ":" S [end S] [":" [S step]]
    private mutating func parseIndexOrSlice() throws(JSONPathError) -> PathSelector {
        var start: Int?
        if !scanner.at(":") { start = try scanner.integer() }
        let afterStart = scanner.pos
        scanner.skipBlank()
        guard scanner.at(":") else {
            scanner.pos = afterStart
            guard let start else { throw scanner.error("expected an integer") }
            return .index(start)
        }
        scanner.pos += 1
        scanner.skipBlank()
        var end: Int?
        if scanner.at("-") || scanner.peek().map(PathScanner.isDigit) == true {
            end = try scanner.integer()
        }
        let afterEnd = scanner.pos
        scanner.skipBlank()
        var step: Int?
        if scanner.at(":") {
            scanner.pos += 1
            scanner.skipBlank()
            if scanner.at("-") || scanner.peek().map(PathScanner.isDigit) == true {
                step = try scanner.integer()
            }
        } else {
            scanner.pos = afterEnd
        }
        return .slice(start: start, end: end, step: step)
    }

    mutating func enter() throws(JSONPathError) {
        depth += 1
        if depth > PathParser.maximumDepth {
            throw scanner.error("filter expression nested too deeply")
        }
    }
}
