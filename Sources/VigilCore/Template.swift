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
    public static func parse(_ text: String) throws(TemplateSyntaxError) -> Template {
        guard text.contains("{{") || text.contains("\\{{") else { return Template(literal: text) }
        var parts: [Part] = []
        var literal = ""
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            if chars[i] == "\\", i + 2 < chars.count, chars[i + 1] == "{", chars[i + 2] == "{" {
                literal += "{{"
                i += 3
                continue
            }
            if chars[i] == "{", i + 1 < chars.count, chars[i + 1] == "{" {
                let start = i
                var j = i + 2
                while j + 1 < chars.count, !(chars[j] == "}" && chars[j + 1] == "}") { j += 1 }
                guard j + 1 < chars.count else {
                    throw TemplateSyntaxError(offset: start, message: "'{{' is not closed by '}}'")
                }
                let inner = String(chars[(i + 2)..<j]).trimmingCharacters(in: " \t")
                let placeholder = try placeholder(inner, offset: start)
                if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
                parts.append(.placeholder(placeholder, offset: start))
                i = j + 2
                continue
            }
            literal.append(chars[i])
            i += 1
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return Template(parts: parts, source: text)
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
