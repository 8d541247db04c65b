import VigilJSON

/// A string with `{{placeholders}}`, parsed once at load time.
///
/// Placeholders: `{{name}}` (a variable), `{{$uuid}}`, `{{$timestamp}}`, `{{$isoTimestamp}}`,
/// `{{$randomInt}}`, and `{{$env.NAME}}` (environment files only). Whitespace inside the braces
/// is allowed. `\{{` writes a literal `{{`.
public struct Template: Sendable, Hashable, CustomStringConvertible {
    public enum Part: Sendable, Hashable {
        case literal(String)
        case placeholder(Placeholder, offset: Int)
    }

    public let parts: [Part]
    /// The text as written.
    public let source: String

    /// A template with no placeholders.
    public init(literal: String) {
        parts = literal.isEmpty ? [] : [.literal(literal)]
        source = literal
    }

    init(parts: [Part], source: String) {
        self.parts = parts
        self.source = source
    }

    public var description: String { source }

    /// The placeholder, when the whole template is exactly one (so it may keep a JSON type).
    public var soloPlaceholder: Placeholder? {
        if parts.count == 1, case .placeholder(let p, _) = parts[0] { return p }
        return nil
    }

    /// The text of a template without placeholders, escapes resolved (`\{{` is `{{`).
    public var literalText: String {
        parts.map { if case .literal(let s) = $0 { s } else { "" } }.joined()
    }

    /// Whether the template has no placeholders at all.
    public var isLiteral: Bool { !parts.contains { if case .placeholder = $0 { true } else { false } } }

    /// Every placeholder with its character offset in `source`.
    public var placeholders: [(Placeholder, Int)] {
        parts.compactMap { if case .placeholder(let p, let o) = $0 { (p, o) } else { nil } }
    }
}

/// One `{{…}}` of a template.
public enum Placeholder: Sendable, Hashable, CustomStringConvertible {
    case variable(String)
    case uuid, timestamp, isoTimestamp, randomInt
    case env(String)

    public var description: String {
        switch self {
        case .variable(let n): return n
        case .uuid: return "$uuid"
        case .timestamp: return "$timestamp"
        case .isoTimestamp: return "$isoTimestamp"
        case .randomInt: return "$randomInt"
        case .env(let n): return "$env.\(n)"
        }
    }
}

/// Why a template could not be parsed, with the character offset of the fault.
public struct TemplateSyntaxError: Error, Sendable, Hashable {
    public var offset: Int
    public var message: String
}

extension Template {
    /// Parses `text`. Errors: an unclosed `{{`, an empty or malformed name, an unknown `$` value.
    /// Offsets count Unicode scalars, as YAML columns do.
    ///
    /// Works on the UTF-8 bytes: collections hold thousands of templates, and walking
    /// `Character`s cost a fifth of loading one.
    public static func parse(_ text: String) throws(TemplateSyntaxError) -> Template {
        var text = text
        let result = text.withUTF8 { bytes in Result { () throws(TemplateSyntaxError) in try Template.parts(of: bytes) } }
        let found = try result.get()
        guard let found else { return Template(literal: text) }
        return Template(parts: found, source: text)
    }

    /// Whether `text` holds `{{` (a placeholder or an escaped one). Byte-wise: with Foundation
    /// imported, `contains("{{")` is `NSString.range(of:)`, and loading asks it of every string.
    static func mayHavePlaceholders(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "{"), previous == byte { return true }
            previous = byte
        }
        return false
    }

    /// The parts of a template's bytes; nil when it has neither `{{` nor `\{{` (a plain literal).
    private static func parts(of b: UnsafeBufferPointer<UInt8>) throws(TemplateSyntaxError) -> [Part]? {
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}"), backslash = UInt8(ascii: "\\")
        let n = b.count
        var first = 0
        while first + 1 < n, !(b[first] == open && b[first + 1] == open) { first += 1 }
        guard first + 1 < n else { return nil }
        func scalars(_ end: Int) -> Int {
            var count = 0
            for i in 0..<end where b[i] & 0xC0 != 0x80 { count += 1 }
            return count
        }
        func text(_ from: Int, _ to: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: b[from..<to]), as: UTF8.self)
        }
        var parts: [Part] = []
        parts.reserveCapacity(4)
        /// Only used once an escape (`\{{`) was met; plain runs become strings directly.
        var literal: [UInt8] = []
        var runStart = 0
        var i = 0
        func flushRun(_ end: Int) {
            if runStart < end { literal.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<end])) }
        }
        while i < n {
            if b[i] == backslash, i + 2 < n, b[i + 1] == open, b[i + 2] == open {
                flushRun(i)
                literal.append(open); literal.append(open)
                i += 3
                runStart = i
                continue
            }
            if b[i] == open, i + 1 < n, b[i + 1] == open {
                let start = i
                var j = i + 2
                while j + 1 < n, !(b[j] == close && b[j + 1] == close) { j += 1 }
                guard j + 1 < n else {
                    throw TemplateSyntaxError(offset: scalars(start), message: "'{{' is not closed by '}}'")
                }
                var from = i + 2, to = j
                while from < to, b[from] == 0x20 || b[from] == 0x09 { from += 1 }
                while to > from, b[to - 1] == 0x20 || b[to - 1] == 0x09 { to -= 1 }
                let offset = scalars(start)
                let placeholder = try placeholder(text(from, to), offset: offset)
                if literal.isEmpty {
                    if runStart < i { parts.append(.literal(text(runStart, i))) }
                } else {
                    flushRun(i)
                    parts.append(.literal(String(decoding: literal, as: UTF8.self)))
                    literal.removeAll(keepingCapacity: true)
                }
                parts.append(.placeholder(placeholder, offset: offset))
                i = j + 2
                runStart = i
                continue
            }
            i += 1
        }
        if literal.isEmpty {
            if runStart < n { parts.append(.literal(text(runStart, n))) }
        } else {
            flushRun(n)
            parts.append(.literal(String(decoding: literal, as: UTF8.self)))
        }
        return parts
    }

    private static func placeholder(_ inner: String, offset: Int) throws(TemplateSyntaxError) -> Placeholder {
        if inner.isEmpty { throw TemplateSyntaxError(offset: offset, message: "empty placeholder '{{}}'") }
        if inner.hasPrefix("$") {
            switch inner {
            case "$uuid", "$guid": return .uuid
            case "$timestamp": return .timestamp
            case "$isoTimestamp": return .isoTimestamp
            case "$randomInt": return .randomInt
            default:
                if inner == "$env" || inner.hasPrefix("$env.") {
                    let name = String(inner.dropFirst(5))
                    guard isIdentifier(name, allowDots: false) else {
                        throw TemplateSyntaxError(offset: offset, message: "'{{\(inner)}}' needs an environment variable name")
                    }
                    return .env(name)
                }
                let known = ["$uuid", "$timestamp", "$isoTimestamp", "$randomInt", "$env"]
                throw TemplateSyntaxError(offset: offset, message: "unknown dynamic value '{{\(inner)}}'\(Suggestion.hint(for: inner, among: known))")
            }
        }
        guard isIdentifier(inner, allowDots: true) else {
            throw TemplateSyntaxError(offset: offset, message: "'{{\(inner)}}' is not a variable name (letters, digits, '_', '-', '.')")
        }
        return .variable(inner)
    }

    static func isIdentifier(_ s: String, allowDots: Bool) -> Bool {
        var ascii = true
        var valid = !s.isEmpty
        for (i, byte) in s.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): if i == 0 { valid = false }
            case UInt8(ascii: "."): if i == 0 || !allowDots { valid = false }
            case 0x80...: ascii = false
            default: valid = false
            }
            if !valid { return false }
        }
        if ascii { return valid }
        guard let first = s.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return s.unicodeScalars.allSatisfy {
            $0 == "_" || $0 == "-" || (allowDots && $0 == ".") || $0.properties.isAlphabetic || ("0"..."9").contains($0)
        }
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
