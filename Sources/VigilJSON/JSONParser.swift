extension JSONValue {
    /// Deepest allowed nesting of arrays/objects; deeper input is a parse error
    /// (never a stack overflow).
    public static let maximumNestingDepth = 512

    /// Parses RFC 8259 JSON from UTF-8 bytes. Contiguous inputs (`[UInt8]`,
    /// `ArraySlice`, `Data`, …) are parsed in place without copying.
    ///
    /// Strict: no trailing commas, comments, leading zeros, NaN/Infinity, or
    /// invalid UTF-8. Only the seven short escapes and `\uXXXX` are accepted; a
    /// lone (unpaired) surrogate escape is an error. Integers that fit `Int64`
    /// become `.int` (`-0` becomes `.int(0)`), other numbers `.double`. Duplicate
    /// object keys: the last value wins, at the position of the first occurrence.
    public init(parsing bytes: some Sequence<UInt8>) throws(JSONParseError) {
        let result = bytes.withContiguousStorageIfAvailable { JSONParser.parse($0) }
        if let result {
            self = try result.get()
        } else {
            let array = Array(bytes)
            self = try array.withUnsafeBufferPointer { JSONParser.parse($0) }.get()
        }
    }

    /// Parses RFC 8259 JSON text (see `init(parsing:)` for the rules).
    public init(parsing text: String) throws(JSONParseError) {
        var text = text
        self = try text.withUTF8 { JSONParser.parse($0) }.get()
    }
}

/// Recursive-descent parser over a UTF-8 buffer.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let end: Int
    var pos = 0
    var depth = 0
    /// Reused buffer for strings containing escapes.
    var scratch: [UInt8] = []
    /// Keys too long to be stored inline (16 to 64 bytes) seen so far, by a hash of their bytes:
    /// a key repeated in every element of a large list (`recordOnRelatedDevices`) is then one
    /// shared buffer, not one allocation per element. The first ``internLimit`` distinct ones
    /// are kept.
    var interned: [UInt64: String] = [:]
    /// String values of 16 to 64 bytes seen so far, as `interned`: a value repeated in every
    /// element (a date, a storage id) is stored in a chunk once.
    var internedValues: [UInt64: JSONString] = [:]
    static let internLimit = 4096
    /// Where string values of 16 to ``chunkedStringLimit`` bytes are copied (one allocation for
    /// many strings, none a string); a new chunk is started when the text does not fit.
    var chunk: JSONTextChunk?
    /// Elements / members of the arrays and objects being parsed, so that each
    /// finished container is allocated once at its exact size.
    var valueStack: [JSONValue] = []
    /// Keys of the objects being parsed (their values are on `valueStack`).
    var keyStack: [String] = []
    /// The shape of the last object finished at each depth (the last slot serves deeper ones).
    var lastShapes = [JSONShape?](repeating: nil, count: 64)

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONParseError> {
        var parser = JSONParser(bytes: bytes, end: bytes.count)
        do throws(JSONParseError) {
            return .success(try parser.parseDocument())
        } catch {
            return .failure(error)
        }
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        if pos < end, pos == 0, end >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw error("byte order mark is not allowed")
        }
        let value = try parseValue()
        skipWhitespace()
        if pos < end { throw error("unexpected character after the JSON value") }
        return value
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < end {
            switch bytes[pos] {
            case 0x20, 0x0A, 0x0D, 0x09: pos += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard pos < end else { throw error("expected a JSON value") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseStringValue())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("expected a JSON value")
        }
    }

    mutating func expectLiteral(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        let start = pos
        for i in 0..<count {
            guard pos + i < end, bytes[pos + i] == word.utf8Start[i] else {
                pos = start
                throw error("invalid literal, expected '\(word)'")
            }
        }
        pos += count
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > JSONValue.maximumNestingDepth {
            throw error("nesting deeper than \(JSONValue.maximumNestingDepth) levels")
        }
    }

    mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        pos += 1  // '{'
        skipWhitespace()
        if pos < end, bytes[pos] == UInt8(ascii: "}") {
            pos += 1
            depth -= 1
            return .object(JSONObject())
        }
        let base = keyStack.count
        let valueBase = valueStack.count
        var index: [ScalarKey: Int]?  // only for objects with many members
        while true {
            guard pos < end, bytes[pos] == UInt8(ascii: "\"") else {
                throw error(
                    keyStack.count == base
                        ? "expected '\"' to start an object key or '}'"
                        : "expected '\"' to start an object key after ','")
            }
            let key = try parseString()
            skipWhitespace()
            guard pos < end, bytes[pos] == UInt8(ascii: ":") else {
                throw error("expected ':' after object key")
            }
            pos += 1
            skipWhitespace()
            let value = try parseValue()
            if let i = existingMember(key, base: base, index: &index) {
                valueStack[valueBase + i - base] = value  // duplicate: last value wins, first position kept
            } else {
                keyStack.append(key)
                valueStack.append(value)
                index?[ScalarKey(key)] = keyStack.count - 1
            }
            skipWhitespace()
            guard pos < end else { throw error("expected ',' or '}' after object member") }
            if bytes[pos] == UInt8(ascii: ",") {
                pos += 1
                skipWhitespace()
                if pos < end, bytes[pos] == UInt8(ascii: "}") {
                    throw error("trailing comma before '}'")
                }
            } else if bytes[pos] == UInt8(ascii: "}") {
                pos += 1
                let shape = shapeOfKeys(from: base)
                depth -= 1
                return .object(JSONObject(shape: shape, values: JSONParser.take(&valueStack, from: valueBase)))
            } else {
                throw error("expected ',' or '}' after object member")
            }
        }
    }

    /// The shape for the keys `keyStack[base...]` (popped): the previous object's at this depth
    /// when the keys are the same (the elements of a list mostly are), else a new one.
    private mutating func shapeOfKeys(from base: Int) -> JSONShape {
        let slot = depth < lastShapes.count ? depth : lastShapes.count - 1
        let reused = keyStack.withUnsafeBufferPointer { keys -> JSONShape? in
            guard let last = lastShapes[slot], last.hasKeys(UnsafeBufferPointer(rebasing: keys[base...])) else { return nil }
            return last
        }
        if let reused {
            keyStack.removeSubrange(base...)
            return reused
        }
        let shape = JSONShape(keys: Array(keyStack[base...]))
        keyStack.removeSubrange(base...)
        lastShapes[slot] = shape
        return shape
    }

    /// Position in `keyStack` of an earlier member named `key`, if any.
    private func existingMember(_ key: String, base: Int, index: inout [ScalarKey: Int]?) -> Int? {
        if let index { return index[ScalarKey(key)] }
        let count = keyStack.count - base
        if count > JSONObject.indexThreshold {
            var map = [ScalarKey: Int](minimumCapacity: count * 2)
            for i in base..<keyStack.count { map[ScalarKey(keyStack[i])] = i }
            index = map
            return map[ScalarKey(key)]
        }
        for i in base..<keyStack.count where scalarsEqual(keyStack[i], key) { return i }
        return nil
    }

    /// Moves `stack[base...]` into a new exactly-sized array and pops it (moves,
    /// no retain/release; the vacated slots are refilled with a trivial value).
    @inline(__always)
    static func take(_ stack: inout [JSONValue], from base: Int) -> [JSONValue] {
        let n = stack.count - base
        guard n > 0 else { return [] }
        if base == 0, n >= 4096 {
            // A large container with nothing below it (the document's list, say) takes the
            // stack itself: no second copy of it at the moment the tree is complete.
            var whole: [JSONValue] = []
            swap(&whole, &stack)
            return whole
        }
        let result = [JSONValue](unsafeUninitializedCapacity: n) { buffer, count in
            stack.withUnsafeMutableBufferPointer { slots in
                let source = slots.baseAddress! + base
                buffer.baseAddress!.moveInitialize(from: source, count: n)
                source.initialize(repeating: .null, count: n)
            }
            count = n
        }
        stack.removeSubrange(base...)
        return result
    }

    mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        pos += 1  // '['
        skipWhitespace()
        if pos < end, bytes[pos] == UInt8(ascii: "]") {
            pos += 1
            depth -= 1
            return .array([])
        }
        let base = valueStack.count
        while true {
            let element = try parseValue()
            valueStack.append(element)
            skipWhitespace()
            guard pos < end else { throw error("expected ',' or ']' after array element") }
            if bytes[pos] == UInt8(ascii: ",") {
                pos += 1
                skipWhitespace()
                if pos < end, bytes[pos] == UInt8(ascii: "]") {
                    throw error("trailing comma before ']'")
                }
            } else if bytes[pos] == UInt8(ascii: "]") {
                pos += 1
                depth -= 1
                return .array(JSONParser.take(&valueStack, from: base))
            } else {
                throw error("expected ',' or ']' after array element")
            }
        }
    }

    /// An error at `offset` (default: the current position), with line/column.
    func error(_ message: String, at offset: Int? = nil) -> JSONParseError {
        let offset = min(offset ?? pos, end)
        var line = 1
        var column = 1
        for i in 0..<offset {
            let b = bytes[i]
            if b == 0x0A {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
        }
        let text = offset >= end ? "unexpected end of input, \(message)" : message
        return JSONParseError(offset: offset, line: line, column: column, message: text)
    }
}
