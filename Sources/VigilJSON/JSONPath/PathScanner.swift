/// Low-level scanning of JSONPath query text (RFC 9535 lexical rules): cursor,
/// blank space, member names, string literals, integers and numbers.
struct PathScanner {
    let scalars: [Unicode.Scalar]
    var pos = 0
    /// Characters prepended to the user's text (shorthand form); subtracted from
    /// error offsets so they point into what the user wrote.
    let prefixLength: Int

    init(_ text: String, prefixLength: Int = 0) {
        scalars = Array(text.unicodeScalars)
        self.prefixLength = prefixLength
    }

    var atEnd: Bool { pos >= scalars.count }

    @inline(__always)
    func peek(_ ahead: Int = 0) -> UInt32? {
        let i = pos + ahead
        return i < scalars.count ? scalars[i].value : nil
    }

    @inline(__always)
    func at(_ c: Unicode.Scalar, _ ahead: Int = 0) -> Bool { peek(ahead) == c.value }

    func error(_ message: String, at offset: Int? = nil) -> JSONPathError {
        JSONPathError(offset: max(0, (offset ?? pos) - prefixLength), message: message)
    }

    /// What is at the cursor, for messages: "'x'" or "end of query".
    var found: String {
        guard let c = peek() else { return "end of query" }
        return c < 0x20 ? "control character" : "'\(Character(Unicode.Scalar(c)!))'"
    }

    /// Skips RFC 9535 blank space (space, tab, LF, CR).
    mutating func skipBlank() {
        while let c = peek(), c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { pos += 1 }
    }

    /// Consumes `text` if it is next.
    mutating func consume(_ text: String) -> Bool {
        var i = 0
        for s in text.unicodeScalars {
            guard peek(i) == s.value else { return false }
            i += 1
        }
        pos += i
        return true
    }

    static func isNameFirst(_ c: UInt32) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
            || (c >= 0x80 && c <= 0xD7FF) || c >= 0xE000
    }

    static func isDigit(_ c: UInt32) -> Bool { c >= 0x30 && c <= 0x39 }

    /// member-name-shorthand = name-first *name-char
    mutating func memberName() -> String {
        var name = String.UnicodeScalarView()
        while let c = peek(), PathScanner.isNameFirst(c) || PathScanner.isDigit(c) {
            name.append(scalars[pos])
            pos += 1
        }
        return String(name)
    }

    /// A single- or double-quoted string literal with RFC 9535 escapes.
    mutating func stringLiteral() throws(JSONPathError) -> String {
        let start = pos
        let quote = scalars[pos].value
        pos += 1
        var out = String.UnicodeScalarView()
        while true {
            guard let c = peek() else { throw error("unterminated string literal", at: start) }
            if c == quote {
                pos += 1
                return String(out)
            }
            if c < 0x20 {
                throw error("control characters must be escaped in string literals")
            }
            if c != 0x5C {
                out.append(scalars[pos])
                pos += 1
                continue
            }
            let escapeStart = pos
            pos += 1
            guard let e = peek() else { throw error("unterminated string literal", at: start) }
            pos += 1
            switch e {
            case 0x62: out.append("\u{08}")
            case 0x66: out.append("\u{0C}")
            case 0x6E: out.append("\n")
            case 0x72: out.append("\r")
            case 0x74: out.append("\t")
            case 0x2F: out.append("/")
            case 0x5C: out.append("\\")
            case quote: out.append(Unicode.Scalar(quote)!)
            case 0x75: out.append(try unicodeEscape(escapeStart))
            default: throw error("invalid escape sequence in string literal", at: escapeStart)
            }
        }
    }

    /// After `\u`: 4 hex digits, or a surrogate pair `\uD8xx\uDCxx`.
    private mutating func unicodeEscape(_ escapeStart: Int) throws(JSONPathError) -> Unicode.Scalar {
        let high = try hex4()
        if high >= 0xDC00, high <= 0xDFFF {
            throw error("lone low surrogate in \\u escape", at: escapeStart)
        }
        if high >= 0xD800, high <= 0xDBFF {
            guard at("\\"), at("u", 1) else {
                throw error("high surrogate must be followed by a \\u low surrogate", at: escapeStart)
            }
            pos += 2
            let low = try hex4()
            guard low >= 0xDC00, low <= 0xDFFF else {
                throw error("high surrogate must be followed by a \\u low surrogate", at: escapeStart)
            }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
        }
        return Unicode.Scalar(high)!
    }

    private mutating func hex4() throws(JSONPathError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek(), let digit = Character(Unicode.Scalar(c)!).hexDigitValue else {
                throw error("expected 4 hex digits in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            pos += 1
        }
        return value
    }

    /// Largest magnitude allowed for integers in queries (I-JSON: 2^53 - 1).
    static let maxInteger = 9_007_199_254_740_991

    /// int = "0" / (["-"] DIGIT1 *DIGIT), within ±(2^53-1).
    mutating func integer() throws(JSONPathError) -> Int {
        let start = pos
        let negative = at("-")
        if negative { pos += 1 }
        guard let first = peek(), PathScanner.isDigit(first) else {
            throw error("expected an integer", at: start)
        }
        if first == 0x30 {
            pos += 1
            if let c = peek(), PathScanner.isDigit(c) { throw error("leading zeros are not allowed", at: start) }
            if negative { throw error("-0 is not a valid integer here", at: start) }
            return 0
        }
        var value = 0
        while let c = peek(), PathScanner.isDigit(c) {
            value = value * 10 + Int(c - 0x30)
            if value > PathScanner.maxInteger {
                throw error("integer out of range ±(2^53-1)", at: start)
            }
            pos += 1
        }
        return negative ? -value : value
    }

    /// number = (int / "-0") [ frac ] [ exp ] — a filter literal.
    mutating func number() throws(JSONPathError) -> JSONValue {
        let start = pos
        if at("-") { pos += 1 }
        guard let first = peek(), PathScanner.isDigit(first) else {
            throw error("expected a number", at: start)
        }
        if first == 0x30 {
            pos += 1
            if let c = peek(), PathScanner.isDigit(c) { throw error("leading zeros are not allowed", at: start) }
        } else {
            while let c = peek(), PathScanner.isDigit(c) { pos += 1 }
        }
        var isInteger = true
        if at(".") {
            isInteger = false
            pos += 1
            guard let c = peek(), PathScanner.isDigit(c) else { throw error("expected digit after '.'") }
            while let c = peek(), PathScanner.isDigit(c) { pos += 1 }
        }
        if at("e") || at("E") {
            isInteger = false
            pos += 1
            if at("+") || at("-") { pos += 1 }
            guard let c = peek(), PathScanner.isDigit(c) else { throw error("expected digit in exponent") }
            while let c = peek(), PathScanner.isDigit(c) { pos += 1 }
        }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[start..<pos])
        let literal = String(text)
        if isInteger, let i = Int64(literal) { return .int(i) }
        guard let d = Double(literal), d.isFinite else { throw error("number out of range", at: start) }
        return .double(d)
    }
}
