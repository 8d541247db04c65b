#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
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

    /// Keys whose values are credentials, whatever their form.
    static let tokenKeys: Set<String> = ["access_token", "refresh_token", "id_token", "token"]

    /// `value` with declared rules applied, then the defaults: XProtect GUIDs → `<guid>`,
    /// ISO dates → `<timestamp>`, token fields → `<token>`.
    public func normalize(_ value: JSONValue) -> JSONValue {
        let v = applyingRules(value)
        return Self.defaults(v, key: nil) ?? v
    }

    /// `value` normalized, as pretty JSON handed to `body` in chunks of whole lines (see
    /// ``VigilJSON/JSONValue/writePretty(chunkSize:level:rewritingStrings:to:)``): the defaults
    /// are applied to each string as it is written, so no normalized copy of a large document
    /// (every camera of a list holds a GUID) is ever made. The same text as `normalize`'s
    /// value pretty-printed.
    public func writeNormalized(_ value: JSONValue, level: Int = 0, to body: (inout [UInt8]) -> Void) {
        applyingRules(value).writePretty(level: level, rewritingStrings: Self.defaultText, to: body)
    }

    /// `value` with the declared rules' paths replaced by their markers.
    func applyingRules(_ value: JSONValue) -> JSONValue {
        var v = value
        for rule in rules {
            for node in rule.path.select(v) { v = v.replacing(at: node.path.components[...], with: .string(rule.marker)) }
        }
        return v
    }

    /// What the defaults make of one string value (`key`: the member it is the value of), or
    /// nil when it stays as it is.
    static func defaultText(key: String?, _ value: JSONString) -> String? {
        if let key, tokenKeys.contains(key.lowercased()) { return "<token>" }
        return value.withUTF8 { normalizedText(bytes: $0) }
    }

    /// The defaults applied to `value`, or nil when nothing in it changes: an unchanged value,
    /// list or object is the original (the same storage), so recording a 60 MB body does not
    /// copy the strings and lists the rules leave alone.
    static func defaults(_ value: JSONValue, key: String?) -> JSONValue? {
        switch value {
        case .string(let s):
            return defaultText(key: key, s).map { .string($0) }
        case .array(let items):
            var changed: [JSONValue]?
            for (i, item) in items.enumerated() {
                if let new = defaults(item, key: nil) {
                    if changed == nil {
                        changed = Array(items[..<i])
                        changed?.reserveCapacity(items.count)
                    }
                    changed?.append(new)
                } else {
                    changed?.append(item)
                }
            }
            return changed.map { .array($0) }
        case .object(let o):
            var changed: [(String, JSONValue)]?
            for (i, member) in o.enumerated() {
                if let new = defaults(member.value, key: member.key) {
                    if changed == nil {
                        changed = o.prefix(i).map { ($0.key, $0.value) }
                        changed?.reserveCapacity(o.count)
                    }
                    changed?.append((member.key, new))
                } else {
                    changed?.append((member.key, member.value))
                }
            }
            // Keys are distinct already: built in one pass, never looked up.
            return changed.map { .object(JSONObject(distinctKeysAndValues: $0)) }
        default:
            return nil
        }
    }

    /// `<timestamp>` for an ISO 8601 date-time, GUIDs inside the text replaced by `<guid>`;
    /// other texts kept as they are (the same storage). Matched on bytes: a regular expression
    /// per string made recording a 60 MB camera list take 20 s.
    static func normalizeText(_ s: String) -> String {
        var s = s
        return s.withUTF8 { normalizedText(bytes: $0) } ?? s
    }

    /// ``normalizeText(_:)`` of UTF-8 `bytes`, nil when the text stays as it is.
    static func normalizedText(bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.count >= 16, bytes.contains(UInt8(ascii: "-")) else { return nil }
        if isTimestamp(bytes) { return "<timestamp>" }
        var out: [UInt8] = []
        var i = 0
        var last = 0
        while i + 36 <= bytes.count {
            if isGUID(bytes, at: i) {
                out.append(contentsOf: bytes[last..<i])
                out.append(contentsOf: "<guid>".utf8)
                i += 36
                last = i
            } else {
                i += 1
            }
        }
        guard last > 0 else { return nil }
        out.append(contentsOf: bytes[last...])
        return String(decoding: out, as: UTF8.self)
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex digits, either case) at `start`.
    static func isGUID(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        // The dashes first: most texts fail there, at the first look.
        let dash = UInt8(ascii: "-")
        guard b[start + 8] == dash, b[start + 13] == dash, b[start + 18] == dash, b[start + 23] == dash else { return false }
        var offset = 0
        while offset < 36 {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                offset += 1
                continue
            }
            guard isHex(b[start + offset]) else { return false }
            offset += 1
        }
        return true
    }

    /// The whole text is `YYYY-MM-DDTHH:MM[:SS[.fraction]][Z|±HH[:]MM]`.
    static func isTimestamp(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        func digits(_ n: Int) -> Bool {
            guard i + n <= b.count, b[i..<i + n].allSatisfy(isDigit) else { return false }
            i += n
            return true
        }
        func literal(_ c: Character) -> Bool {
            guard i < b.count, b[i] == c.asciiValue else { return false }
            i += 1
            return true
        }
        guard digits(4), literal("-"), digits(2), literal("-"), digits(2), literal("T"), digits(2), literal(":"), digits(2) else { return false }
        if literal(":") {
            guard digits(2) else { return false }
            if literal(".") {
                guard digits(1) else { return false }
                while i < b.count, isDigit(b[i]) { i += 1 }
            }
        }
        if i == b.count || (literal("Z") && i == b.count) { return true }
        guard i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return false }
        i += 1
        guard digits(2) else { return false }
        _ = literal(":")
        return digits(2) && i == b.count
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    private static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x66) }
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
