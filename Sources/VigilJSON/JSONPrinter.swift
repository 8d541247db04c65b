extension JSONValue {
    /// JSON text. Compact: `{"a":1,"b":[true,null]}`. Pretty: 2-space indent,
    /// `"key": value`, one member/element per line, `[]`/`{}` when empty. Keys are
    /// printed in stored order; non-ASCII is kept as-is; `"`, `\` and control
    /// characters are escaped.
    ///
    /// Doubles print in the shortest form that round-trips. Integral doubles with
    /// magnitude below 2^63 print as digits plus `.0` (`1.0`, `10000000000000000.0`,
    /// never `1e+16`); larger ones use exponent form (`1e+20`). Non-finite doubles
    /// (not representable in JSON) print as `null`.
    ///
    /// `level`: the depth the value is at, when pretty (its lines after the first are indented
    /// as if it were nested that deep), so a document can be written in parts.
    public func serialized(pretty: Bool = false, level: Int = 0) -> String {
        var printer = JSONPrinter(pretty: pretty)
        printer.write(self, indent: level)
        return String(decoding: printer.output, as: UTF8.self)
    }
}

/// Writes JSON into a byte buffer.
struct JSONPrinter {
    let pretty: Bool
    var output: [UInt8] = []

    init(pretty: Bool) {
        self.pretty = pretty
        output.reserveCapacity(256)
    }

    mutating func write(_ value: JSONValue, indent: Int) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .int(let i): append(String(i))
        case .double(let d): append(JSONPrinter.format(d))
        case .string(let s): writeString(s)
        case .array(let elements):
            if elements.isEmpty { return append("[]") }
            output.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                write(element, indent: indent + 1)
            }
            newline(indent)
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            if object.isEmpty { return append("{}") }
            output.append(UInt8(ascii: "{"))
            for (i, entry) in object.entries.enumerated() {
                if i > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                writeString(entry.key)
                output.append(UInt8(ascii: ":"))
                if pretty { output.append(UInt8(ascii: " ")) }
                write(entry.value, indent: indent + 1)
            }
            newline(indent)
            output.append(UInt8(ascii: "}"))
        }
    }

    @inline(__always)
    private mutating func newline(_ indent: Int) {
        guard pretty else { return }
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    @inline(__always)
    private mutating func append(_ text: String) {
        output.append(contentsOf: text.utf8)
    }

    mutating func writeString(_ s: String) {
        output.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var runStart = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                runStart = i + 1
                output.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(b)
                case 0x08: output.append(UInt8(ascii: "b"))
                case 0x0C: output.append(UInt8(ascii: "f"))
                case 0x0A: output.append(UInt8(ascii: "n"))
                case 0x0D: output.append(UInt8(ascii: "r"))
                case 0x09: output.append(UInt8(ascii: "t"))
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    output.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Shortest round-trip text for a double, with `.0` for integral values below 2^63.
    static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(.towardZero), abs(d) < 9_223_372_036_854_775_808.0 {
            return d.sign == .minus && d == 0 ? "-0.0" : "\(Int64(d)).0"
        }
        return d.description
    }
}
