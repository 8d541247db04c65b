#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilJSON

/// Where a variable's value came from, lowest precedence first.
public enum VariableLayer: Int, Sendable, Comparable, CustomStringConvertible {
    case collection, environment, dataRow, commandLine, captured

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .collection: "collection variables"
        case .environment: "environment variables"
        case .dataRow: "data row"
        case .commandLine: "--var"
        case .captured: "captured"
        }
    }
}

/// The variables of one collection run: definitions from every layer, evaluated once on
/// first use (so `eventName: "event {{$uuid}}"` is the same name in every request), and
/// the values captured from responses, which win over every definition.
///
/// One store belongs to one running collection and is used by one task at a time: the runner
/// hands it to each request's task in turn and waits for that task before going on (hence
/// `@unchecked Sendable`; it is never used by two tasks at once).
public final class VariableStore: PlaceholderResolver, @unchecked Sendable {
    private var definitions: [String: (tree: TemplateTree, layer: VariableLayer)] = [:]
    private var values: [String: JSONValue] = [:]
    private var resolving: Set<String> = []
    /// Values of `{{$env.NAME}}` read when the environment was loaded.
    private let processEnvironment: [String: String]
    private var dynamicRandom = SystemRandomNumberGenerator()
    /// The server's release, when known.
    public var release: Release?
    /// Checks `schema:` matchers (set by the runner).
    public var schemaChecker: (any SchemaChecking)?

    public init(processEnvironment: [String: String] = [:]) {
        self.processEnvironment = processEnvironment
    }

    /// Defines `name` in `layer`; a higher layer's definition wins over a lower one's.
    public func define(_ name: String, as tree: TemplateTree, in layer: VariableLayer) {
        if let existing = definitions[name], existing.layer > layer { return }
        definitions[name] = (tree, layer)
        values[name] = nil
    }

    /// Sets a value directly (a captured value, or one the runner provides such as `baseUrl`).
    public func set(_ name: String, to value: JSONValue, in layer: VariableLayer = .captured) {
        if let existing = definitions[name], existing.layer > layer { return }
        definitions[name] = (.value(value), layer)
        values[name] = value
    }

    /// Whether `name` has a definition or a value.
    public func isDefined(_ name: String) -> Bool { definitions[name] != nil }

    /// The value of `name`, evaluating its definition on first use; nil when undefined.
    /// A dotted name reads into an object or array value (`user.id`, `items.0`) when no
    /// variable has the whole name.
    public func value(named name: String) throws(UnresolvedPlaceholder) -> JSONValue? {
        if let v = values[name] { return v }
        guard let definition = definitions[name] else { return try member(name) }
        guard resolving.insert(name).inserted else {
            throw UnresolvedPlaceholder(.variable(name), reason: "refers to itself (a cycle through its definition)")
        }
        defer { resolving.remove(name) }
        let v = try definition.tree.resolve(self)
        values[name] = v
        return v
    }

    private func member(_ name: String) throws(UnresolvedPlaceholder) -> JSONValue? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return nil }
        for split in stride(from: parts.count - 1, through: 1, by: -1) {
            let root = parts[..<split].joined(separator: ".")
            guard definitions[root] != nil || values[root] != nil, var v = try value(named: root) else { continue }
            for key in parts[split...] {
                if let o = v.objectValue, let child = o[key] {
                    v = child
                } else if let a = v.arrayValue, let i = Int(key), a.indices.contains(i) {
                    v = a[i]
                } else {
                    return nil
                }
            }
            return v
        }
        return nil
    }

    public func value(of placeholder: Placeholder) throws(UnresolvedPlaceholder) -> JSONValue {
        switch placeholder {
        case .variable(let name):
            guard let v = try value(named: name) else {
                throw UnresolvedPlaceholder(placeholder, reason: "is not defined (no variable, --var or earlier capture sets it)")
            }
            return v
        case .uuid:
            return .string(UUID().uuidString.lowercased())
        case .timestamp:
            return .int(Int64(Date().timeIntervalSince1970))
        case .isoTimestamp:
            return .string(Date().formatted(Date.ISO8601FormatStyle()))
        case .randomInt:
            return .int(Int64.random(in: 0...1000, using: &dynamicRandom))
        case .env(let name):
            guard let v = processEnvironment[name] else {
                throw UnresolvedPlaceholder(placeholder, reason: "reads environment variable \(name), which is not set")
            }
            return .string(v)
        }
    }
}
