// String and number scanning for `JSONParser`.
extension JSONParser {
    /// Parses a string (an object key) starting at the opening quote.
    mutating func parseString() throws(JSONParseError) -> String {
        guard let range = try scanString() else { return String(decoding: scratch, as: UTF8.self) }
        let text = UnsafeBufferPointer(rebasing: bytes[range])
        return text.count > 15 && text.count <= 64 ? interned(text) : String(decoding: text, as: UTF8.self)
    }

    /// Scans the string whose opening quote is at `pos` and moves past it: its bytes' range
    /// when it has no escapes, else nil with its decoded bytes in `scratch`.
    mutating func scanString() throws(JSONParseError) -> Range<Int>? {
        let start = pos + 1
        var i = start
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                pos = i + 1
                return start..<i
            } else if b == UInt8(ascii: "\\") {
                try scanEscapedString(start: start, firstEscape: i)
                return nil
            } else if b < 0x20 {
                throw error("unescaped control character in string", at: i)
            } else if b >= 0x80 {
                i = try validateUTF8(at: i)
            } else {
                i += 1
            }
        }
        throw error("unterminated string", at: end)
    }

    /// The string of `text`, shared with an earlier equal one when there was one.
    private mutating func interned(_ text: UnsafeBufferPointer<UInt8>) -> String {
        let hash = JSONParser.hash(text)
        if let known = interned[hash] {
            let same = known.utf8.withContiguousStorageIfAvailable { bytesEqual($0, text) } ?? known.utf8.elementsEqual(text)
            if same { return known }
            return String(decoding: text, as: UTF8.self)
        }
        let string = String(decoding: text, as: UTF8.self)
        if interned.count < JSONParser.internLimit { interned[hash] = string }
        return string
    }

    /// Slow path: the string has escapes; bytes are collected in `scratch`.
    private mutating func scanEscapedString(start: Int, firstEscape: Int) throws(JSONParseError) {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<firstEscape]))
        var i = firstEscape
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                pos = i + 1
                return
            } else if b == UInt8(ascii: "\\") {
                i = try parseEscape(at: i)
            } else if b < 0x20 {
                throw error("unescaped control character in string", at: i)
            } else if b >= 0x80 {
                let next = try validateUTF8(at: i)
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<next]))
                i = next
            } else {
                scratch.append(b)
                i += 1
            }
        }
        throw error("unterminated string", at: end)
    }

    /// Decodes the escape at `i` (a backslash) into `scratch`; returns the next index.
    private mutating func parseEscape(at i: Int) throws(JSONParseError) -> Int {
        guard i + 1 < end else { throw error("unterminated string", at: end) }
        let c = bytes[i + 1]
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(c)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4(at: i + 2)
            var next = i + 6
            if scalar >= 0xDC00, scalar <= 0xDFFF {
                throw error("lone low surrogate escape in string", at: i)
            }
            if scalar >= 0xD800, scalar <= 0xDBFF {
                guard next + 1 < end, bytes[next] == UInt8(ascii: "\\"), bytes[next + 1] == UInt8(ascii: "u")
                else { throw error("lone high surrogate escape in string", at: i) }
                let low = try hex4(at: next + 2)
                guard low >= 0xDC00, low <= 0xDFFF else {
                    throw error("lone high surrogate escape in string", at: i)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                next += 6
            }
            appendUTF8(scalar)
            return next
        default:
            throw error("invalid escape sequence in string", at: i)
        }
        return i + 2
    }

    private func hex4(at i: Int) throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 {
            guard i + k < end else { throw error("unterminated string", at: end) }
            let b = bytes[i + k]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw error("expected 4 hex digits after \\u", at: i + k)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case ..<0x80: scratch.append(UInt8(scalar))
        case ..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Validates one multi-byte UTF-8 sequence at `i`; returns the index after it.
    private func validateUTF8(at i: Int) throws(JSONParseError) -> Int {
        let b0 = bytes[i]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xED: length = 3; high = 0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0: length = 4; low = 0x90
        case 0xF4: length = 4; high = 0x8F
        case 0xF1...0xF3: length = 4
        default: throw error("invalid UTF-8 in string", at: i)
        }
        guard i + length <= end else { throw error("invalid UTF-8 in string", at: i) }
        let b1 = bytes[i + 1]
        guard b1 >= low, b1 <= high else { throw error("invalid UTF-8 in string", at: i) }
        for k in 2..<max(length, 2) where bytes[i + k] & 0xC0 != 0x80 {
            throw error("invalid UTF-8 in string", at: i)
        }
        return i + length
    }

    /// Parses a number per RFC 8259; integers that fit `Int64` become `.int`.
    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = pos
        var i = pos
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        guard i < end, isDigit(bytes[i]) else { throw error("expected digit after '-'", at: i) }
        var mantissa: UInt64 = 0
        var overflow = false
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < end, isDigit(bytes[i]) { throw error("leading zeros are not allowed", at: start) }
        } else {
            while i < end, isDigit(bytes[i]) {
                accumulate(bytes[i], &mantissa, &overflow)
                i += 1
            }
        }
        var fractionDigits = 0
        var isInteger = true
        if i < end, bytes[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            guard i < end, isDigit(bytes[i]) else { throw error("expected digit after '.'", at: i) }
            while i < end, isDigit(bytes[i]) {
                if mantissa != 0 || bytes[i] != UInt8(ascii: "0") {
                    accumulate(bytes[i], &mantissa, &overflow)
                }
                fractionDigits += 1
                i += 1
            }
        }
        var exponent = 0
        if i < end, bytes[i] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            i += 1
            var expNegative = false
            if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < end, isDigit(bytes[i]) else { throw error("expected digit in exponent", at: i) }
            while i < end, isDigit(bytes[i]) {
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[i] - UInt8(ascii: "0")) }
                i += 1
            }
            if expNegative { exponent = -exponent }
        }
        pos = i
        if isInteger, !overflow {
            if !negative, mantissa <= UInt64(Int64.max) { return .int(Int64(mantissa)) }
            if negative, mantissa <= UInt64(Int64.max) + 1 { return .int(Int64(truncatingIfNeeded: 0 &- mantissa)) }
        }
        // Clinger's fast path: exact mantissa and a small power of ten.
        let scale = exponent - fractionDigits
        if !overflow, mantissa < (1 << 53), scale >= -22, scale <= 22 {
            var value = Double(mantissa)
            value = scale < 0 ? value / powersOfTen[-scale] : value * powersOfTen[scale]
            return .double(negative ? -value : value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw error("number is too large", at: start)
        }
        return .double(value)
    }

    @inline(__always)
    private func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    @inline(__always)
    private func accumulate(_ b: UInt8, _ mantissa: inout UInt64, _ overflow: inout Bool) {
        let (m1, o1) = mantissa.multipliedReportingOverflow(by: 10)
        let (m2, o2) = m1.addingReportingOverflow(UInt64(b - UInt8(ascii: "0")))
        if o1 || o2 { overflow = true } else { mantissa = m2 }
    }
}

private let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]
