import Foundation
import VigilCore
import VigilJSON

/// Makes recorded responses stable, so two runs (or two releases) can be compared:
/// values that differ on every run become markers.
///
/// `VigilDrift` records responses (`vigil run --record DIR`) and compares two recordings
/// (`vigil compare A B`), reporting API drift: fields added or removed, types changed,
/// status codes changed.
public struct Normalizer: Sendable {
    /// Rules declared by the collection and the environment, applied before the defaults.
    public var rules: [NormalizationRule]

    public init(rules: [NormalizationRule] = []) {
        self.rules = rules
    }

    private static let guid = try! NSRegularExpression(pattern: "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
    private static let timestamp = try! NSRegularExpression(pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?$")
    /// Keys whose values are credentials, whatever their form.
    static let tokenKeys: Set<String> = ["access_token", "refresh_token", "id_token", "token"]

    /// `value` with declared rules applied, then the defaults: XProtect GUIDs → `<guid>`,
    /// ISO dates → `<timestamp>`, token fields → `<token>`.
    public func normalize(_ value: JSONValue) -> JSONValue {
        var v = value
        for rule in rules {
            for node in rule.path.select(v) { v = v.replacing(at: node.path.components[...], with: .string(rule.marker)) }
        }
        return Self.defaults(v, key: nil)
    }

    static func defaults(_ value: JSONValue, key: String?) -> JSONValue {
        switch value {
        case .string(let s):
            if let key, tokenKeys.contains(key.lowercased()) { return .string("<token>") }
            return .string(normalizeText(s))
        case .array(let items):
            return .array(items.map { defaults($0, key: nil) })
        case .object(let o):
            // Keys are distinct already: built in one pass, never looked up.
            return .object(JSONObject(o.map { ($0.key, defaults($0.value, key: $0.key)) }))
        default:
            return value
        }
    }

    static func normalizeText(_ s: String) -> String {
        // Most strings hold neither a GUID nor a date: they are kept as they are (the same
        // storage), without a regular expression.
        guard s.utf8.count >= 16, s.utf8.contains(UInt8(ascii: "-")) else { return s }
        let range = NSRange(s.startIndex..., in: s)
        if timestamp.firstMatch(in: s, range: range) != nil { return "<timestamp>" }
        guard guid.firstMatch(in: s, range: range) != nil else { return s }
        return guid.stringByReplacingMatches(in: s, range: range, withTemplate: "<guid>")
    }
}

extension JSONValue {
    /// A copy with the node at `path` replaced.
    func replacing(at path: ArraySlice<NormalizedPath.Component>, with new: JSONValue) -> JSONValue {
        guard let first = path.first else { return new }
        switch (self, first) {
        case (.object(var o), .name(let k)):
            if let child = o[k] { o[k] = child.replacing(at: path.dropFirst(), with: new) }
            return .object(o)
        case (.array(var a), .index(let i)) where a.indices.contains(i):
            a[i] = a[i].replacing(at: path.dropFirst(), with: new)
            return .array(a)
        default:
            return self
        }
    }
}
