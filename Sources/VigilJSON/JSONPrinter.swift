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
        var printer = JSONPrinter(style: pretty ? .pretty : .compact)
        printer.write(self, indent: level)
        return String(decoding: printer.output, as: UTF8.self)
    }

    /// Pretty JSON text, handed to `body` in chunks of about `chunkSize` bytes, each a run of
    /// whole lines (a string value is never split), so a large document is written without
    /// being held as one text.
    ///
    /// `level`: as in ``serialized(pretty:level:)``. `rewritingStrings`: called with each string
    /// value and the key it is the value of (nil in a list); a text it returns is written
    /// instead, so a document can be written changed without a changed copy of it being made.
    public func writePretty(
        chunkSize: Int = 64 * 1024, level: Int = 0, rewritingStrings rewrite: ((_ key: String?, _ value: JSONString) -> String?)? = nil,
        to body: (inout [UInt8]) -> Void
    ) {
        withoutActuallyEscaping(body) { body in
            var printer = JSONPrinter(style: .pretty)
            printer.chunkSize = chunkSize
            printer.sink = body
            printer.rewrite = rewrite
            printer.write(self, indent: level)
            printer.sink = nil
            if !printer.output.isEmpty { body(&printer.output) }
        }
    }

    /// The start of the compact JSON text: printing stops once more than `bytes` bytes are
    /// written (the text may then end a little past them, never inside a character), so an
    /// excerpt of a large document costs its length, not the document's. `isComplete`: the
    /// text is the whole of ``serialized(pretty:level:)``.
    public func serializedPrefix(bytes: Int) -> (text: String, isComplete: Bool) {
        var printer = JSONPrinter(style: .compact)
        printer.stopAfter = max(bytes, 0)
        printer.write(self, indent: 0)
        let complete = printer.output.count <= printer.stopAfter
        return (String(decoding: printer.output, as: UTF8.self), complete)
    }

    /// JSON text in `style` (see ``JSONStyle``).
    public func serialized(_ style: JSONStyle) -> String {
        String(decoding: serializedBytes(style), as: UTF8.self)
    }

    /// JSON text in `style`, as UTF-8 bytes.
    public func serializedBytes(_ style: JSONStyle = .compact) -> [UInt8] {
        var printer = JSONPrinter(style: style)
        printer.write(self, indent: 0)
        return printer.output
    }
}

/// How ``JSONValue/serialized(_:)`` lays out text: Vigil's own compact and pretty forms, and the
/// one-line spacing of ASP.NET Web API answers on IIS, which the XProtect emulator reproduces byte
/// for byte.
public struct JSONStyle: Sendable, Hashable {
    public enum Layout: Sendable, Hashable {
        /// `{"a":1,"b":[2]}`
        case compact
        /// Two-space indent, `"key": value`, one member or element per line.
        case pretty
        /// One line, `{  "a" : 1,  "b" :  [ 2, 3 ] }`: two spaces before each key, ` : ` after it,
        /// arrays as ` [ … ]` with `, ` between elements; empty ones are `{ }` and ` [  ]`.
        case aspNet
    }

    public var layout: Layout
    /// Integral doubles below 10^15 in magnitude print as integers (`5`, not `5.0`), larger ones in
    /// Swift's shortest round-trip `description` (`1000000000000000.0`, `1e+16`).
    public var integralDoublesAsIntegers: Bool
    /// Backspace and form feed print as `\u0008` and `\u000c` rather than `\b` and `\f`.
    public var unicodeEscapesForBackspaceAndFormFeed: Bool

    public init(layout: Layout, integralDoublesAsIntegers: Bool = false, unicodeEscapesForBackspaceAndFormFeed: Bool = false) {
        self.layout = layout
        self.integralDoublesAsIntegers = integralDoublesAsIntegers
        self.unicodeEscapesForBackspaceAndFormFeed = unicodeEscapesForBackspaceAndFormFeed
    }

    /// `{"a":1}`
    public static let compact = JSONStyle(layout: .compact)
    /// Two-space indented, one member per line.
    public static let pretty = JSONStyle(layout: .pretty)
    /// ASP.NET on IIS (the XProtect API Gateway's Config API): ``Layout/aspNet`` spacing, integral
    /// doubles as integers, only `\"`, `\\`, `\n`, `\r`, `\t` as short escapes.
    public static let aspNet = JSONStyle(layout: .aspNet, integralDoublesAsIntegers: true, unicodeEscapesForBackspaceAndFormFeed: true)
    /// The numbers and escapes of ``aspNet`` in the compact layout (the XProtect identity provider).
    public static let aspNetCompact = JSONStyle(layout: .compact, integralDoublesAsIntegers: true, unicodeEscapesForBackspaceAndFormFeed: true)
}

/// Writes JSON into a byte buffer.
struct JSONPrinter {
    let style: JSONStyle
    var pretty: Bool { style.layout == .pretty }
    var output: [UInt8] = []
    /// Pretty text is handed to `sink` in chunks of about this size, each ending at a line end
    /// (``JSONValue/writePretty(chunkSize:to:)``); nil: kept whole in `output`.
    var chunkSize: Int?
    var sink: ((inout [UInt8]) -> Void)?
    /// Printing stops once the output is longer than this (``JSONValue/serializedPrefix(bytes:)``).
    var stopAfter = Int.max
    /// A replacement for a string value, given its key (``JSONValue/writePretty(chunkSize:level:rewritingStrings:to:)``).
    var rewrite: ((String?, JSONString) -> String?)?

    init(style: JSONStyle) {
        self.style = style
        output.reserveCapacity(256)
    }

    mutating func write(_ value: JSONValue, indent: Int) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .int(let i): append(String(i))
        case .double(let d): append(style.integralDoublesAsIntegers ? JSONPrinter.formatAsInteger(d) : JSONPrinter.format(d))
        case .string(let s):
            if let rewrite, let new = rewrite(nil, s) { writeString(new) } else { writeString(s) }
        case .array(let elements):
            if style.layout == .aspNet { return writeSpacedArray(elements) }
            if elements.isEmpty { return append("[]") }
            output.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if output.count > stopAfter { return }
                if i > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                write(element, indent: indent + 1)
            }
            newline(indent)
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            if style.layout == .aspNet { return writeSpacedObject(object) }
            if object.isEmpty { return append("{}") }
            output.append(UInt8(ascii: "{"))
            for (i, entry) in object.enumerated() {
                if output.count > stopAfter { return }
                if i > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                writeString(entry.key)
                output.append(UInt8(ascii: ":"))
                if pretty { output.append(UInt8(ascii: " ")) }
                if let rewrite, case .string(let s) = entry.value {
                    if let new = rewrite(entry.key, s) { writeString(new) } else { writeString(s) }
                } else {
                    write(entry.value, indent: indent + 1)
                }
            }
            newline(indent)
            output.append(UInt8(ascii: "}"))
        }
    }

    /// ` [ a, b ]`, ` [  ]` when empty.
    private mutating func writeSpacedArray(_ elements: [JSONValue]) {
        append(" [ ")
        for (i, element) in elements.enumerated() {
            if i > 0 { append(", ") }
            write(element, indent: 0)
        }
        append(" ]")
    }

    /// `{  "a" : 1,  "b" : 2 }`, `{ }` when empty.
    private mutating func writeSpacedObject(_ object: JSONObject) {
        output.append(UInt8(ascii: "{"))
        for (i, entry) in object.enumerated() {
            append(i > 0 ? ",  " : "  ")
            writeString(entry.key)
            append(" : ")
            write(entry.value, indent: 0)
        }
        append(" }")
    }

    @inline(__always)
    private mutating func newline(_ indent: Int) {
        guard pretty else { return }
        if let chunkSize, output.count >= chunkSize, let sink {
            sink(&output)
            output.removeAll(keepingCapacity: true)
        }
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    @inline(__always)
    private mutating func append(_ text: String) {
        output.append(contentsOf: text.utf8)
    }

    mutating func writeString(_ s: String) {
        var s = s
        s.withUTF8 { writeString(bytes: $0) }
    }

    mutating func writeString(_ s: JSONString) {
        s.withUTF8 { writeString(bytes: $0) }
    }

    /// Writes `bytes` (UTF-8) as a quoted, escaped JSON string.
    mutating func writeString(bytes: UnsafeBufferPointer<UInt8>) {
        if stopAfter != Int.max, bytes.count > stopAfter - output.count {
            // Only the start of a long string is needed: cut it at a character's first byte.
            var cut = max(stopAfter - output.count, 0) + 1
            while cut < bytes.count, bytes[cut] & 0xC0 == 0x80 { cut += 1 }
            if cut < bytes.count { return writeString(bytes: UnsafeBufferPointer(rebasing: bytes[..<cut])) }
        }
        output.append(UInt8(ascii: "\""))
        let shortBackspaceAndFormFeed = !style.unicodeEscapesForBackspaceAndFormFeed
        var runStart = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
            runStart = i + 1
            output.append(UInt8(ascii: "\\"))
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(b)
            case 0x08 where shortBackspaceAndFormFeed: output.append(UInt8(ascii: "b"))
            case 0x0C where shortBackspaceAndFormFeed: output.append(UInt8(ascii: "f"))
            case 0x0A: output.append(UInt8(ascii: "n"))
            case 0x0D: output.append(UInt8(ascii: "r"))
            case 0x09: output.append(UInt8(ascii: "t"))
            default:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                output.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            }
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
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

    /// Integral doubles below 10^15 as integers (`5`, `0` for `-0.0`); anything else as Swift's `description`.
    static func formatAsInteger(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return d.description
    }
}
