import VigilJSON
import VigilYAML

/// A YAML (or JSON) document read as plain data: a `JSONValue`, no templates. For data files
/// such as OpenAPI descriptions; keys are their text (`200:` is the key `"200"`).
public enum YAMLData {
    /// The document in `bytes`; a syntax error, an empty document or a key that is not a
    /// scalar is a ``LoadError`` at its place.
    public static func value(bytes: [UInt8], file: String) throws(LoadError) -> JSONValue {
        var bytes = bytes
        let root = try CollectionLoader.loadRoot(&bytes, file: file, empty: "the file is empty")
        return try value(of: root, file: file)
    }

    /// A JSON or YAML document: parsed as JSON when it starts with `{` or `[` (faster for large
    /// documents), else as YAML. Errors name the file, line and column.
    public static func document(bytes: [UInt8], file: String) throws(LoadError) -> JSONValue {
        let first = bytes.first { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            do {
                return try JSONValue(parsing: bytes)
            } catch {
                throw LoadError([Diagnostic(file: file, mark: Mark(line: error.line, column: error.column), message: error.message)])
            }
        }
        return try value(bytes: bytes, file: file)
    }

    static func value(of node: YAMLNode, file: String) throws(LoadError) -> JSONValue {
        switch node.content {
        case .scalar(let s):
            switch s.resolved {
            case .null: return .null
            case .bool(let b): return .bool(b)
            case .int(let i): return .int(i)
            case .double(let d): return .double(d)
            case .string(let text): return .string(text)
            }
        case .sequence(let items):
            var out: [JSONValue] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try value(of: item, file: file)) }
            return .array(out)
        case .mapping(let pairs):
            var out: [(String, JSONValue)] = []
            out.reserveCapacity(pairs.count)
            for pair in pairs {
                guard let key = pair.key.scalar?.text else {
                    throw LoadError([Diagnostic(file: file, mark: pair.key.mark, message: "a key must be text, found \(pair.key.kindName)")])
                }
                out.append((key, try value(of: pair.value, file: file)))
            }
            return .object(JSONObject(out))
        }
    }
}
