/// The location of a node in a document as an RFC 9535 normalized path
/// (§2.7), e.g. `$['array'][2]['id']`.
public struct NormalizedPath: Sendable, Hashable, CustomStringConvertible {
    /// One step: an object member name or an array index (non-negative).
    public enum Component: Sendable, Hashable {
        case name(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    /// The normalized path text: `$` followed by `['name']` / `[index]` steps, with
    /// names single-quoted and escaped exactly as RFC 9535 §2.7 prescribes.
    public var description: String {
        var text = "$"
        for component in components {
            switch component {
            case .index(let i):
                text += "[\(i)]"
            case .name(let name):
                text += "['"
                NormalizedPath.appendEscaped(name, to: &text)
                text += "']"
            }
        }
        return text
    }

    /// Appends `name` escaped as inside a single-quoted name of a normalized path (control
    /// characters as `\n`, `\u001b`; quote and backslash escaped).
    public static func appendEscaped(_ name: String, to text: inout String) {
        let hex = Array("0123456789abcdef".unicodeScalars)
        for scalar in name.unicodeScalars {
            switch scalar.value {
            case 0x08: text += "\\b"
            case 0x0C: text += "\\f"
            case 0x0A: text += "\\n"
            case 0x0D: text += "\\r"
            case 0x09: text += "\\t"
            case 0x27: text += "\\'"
            case 0x5C: text += "\\\\"
            case 0x00..<0x20:
                text += "\\u00"
                text.unicodeScalars.append(hex[Int(scalar.value >> 4)])
                text.unicodeScalars.append(hex[Int(scalar.value & 0xF)])
            default: text.unicodeScalars.append(scalar)
            }
        }
    }
}

/// One node of a query result: its value and where it is.
public struct JSONPathNode: Sendable, Hashable {
    public var path: NormalizedPath
    public var value: JSONValue

    public init(path: NormalizedPath, value: JSONValue) {
        self.path = path
        self.value = value
    }
}
