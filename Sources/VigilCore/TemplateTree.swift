import VigilJSON

/// A JSON-shaped value whose strings may hold placeholders: a `json:` body, a variable's
/// definition, an expected value. A string that is exactly one placeholder keeps the JSON
/// type of the value it resolves to (`id: "{{count}}"` sends a number when `count` is one).
public indirect enum TemplateTree: Sendable, Hashable {
    case value(JSONValue)
    case template(Template)
    case array([TemplateTree])
    case object([Entry])

    public struct Entry: Sendable, Hashable {
        public var key: Template
        public var value: TemplateTree

        public init(key: Template, value: TemplateTree) {
            self.key = key
            self.value = value
        }
    }

    /// Every placeholder in the tree, with its offset inside the string that holds it.
    public var placeholders: [Placeholder] {
        switch self {
        case .value: return []
        case .template(let t): return t.placeholders.map(\.0)
        case .array(let items): return items.flatMap(\.placeholders)
        case .object(let entries): return entries.flatMap { $0.key.placeholders.map(\.0) + $0.value.placeholders }
        }
    }

    /// Resolves every placeholder through `resolver`.
    public func resolve(_ resolver: some PlaceholderResolver) throws(UnresolvedPlaceholder) -> JSONValue {
        switch self {
        case .value(let v):
            return v
        case .template(let t):
            if let solo = t.soloPlaceholder { return try resolver.value(of: solo) }
            return .string(try t.render(resolver))
        case .array(let items):
            var out: [JSONValue] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try item.resolve(resolver)) }
            return .array(out)
        case .object(let entries):
            var object = JSONObject()
            for entry in entries { object[try entry.key.render(resolver)] = try entry.value.resolve(resolver) }
            return .object(object)
        }
    }
}

/// What resolves placeholders: the run's variables and dynamic values.
public protocol PlaceholderResolver {
    func value(of placeholder: Placeholder) throws(UnresolvedPlaceholder) -> JSONValue
    /// The server's release, for release-keyed expectations; nil when unknown.
    var release: Release? { get }
    /// Checks `schema:` matchers; nil where schemas cannot be checked.
    var schemaChecker: (any SchemaChecking)? { get }
}

extension PlaceholderResolver {
    public var release: Release? { nil }
    public var schemaChecker: (any SchemaChecking)? { nil }
}

/// A placeholder with no value; the request that needs it is not sent.
public struct UnresolvedPlaceholder: Error, Sendable, Hashable, CustomStringConvertible {
    public var placeholder: Placeholder
    public var reason: String

    public init(_ placeholder: Placeholder, reason: String? = nil) {
        self.placeholder = placeholder
        self.reason = reason ?? "has no value"
    }

    public var description: String { "'{{\(placeholder)}}' \(reason)" }
}

extension Template {
    /// The template as text, each placeholder replaced by its value's text.
    public func render(_ resolver: some PlaceholderResolver) throws(UnresolvedPlaceholder) -> String {
        if parts.count == 1, case .literal(let s) = parts[0] { return s }
        var out = ""
        for part in parts {
            switch part {
            case .literal(let s): out += s
            case .placeholder(let p, _): out += try resolver.value(of: p).interpolationText
            }
        }
        return out
    }
}
