/// A JSON value that keeps object key order and keeps integers apart from doubles.
///
/// Equality is JSON equality: deep, numbers compare by value across `.int` and
/// `.double` (`.int(1) == .double(1.0)`), strings compare by Unicode scalars (no
/// canonical-equivalence folding), and objects compare *ignoring key order*.
/// Hashing agrees with that equality.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// An integer that fits `Int64` (from the document: no fraction, no exponent).
    case int(Int64)
    case double(Double)
    /// A string (`JSONValue.string(someString)` makes one from a `String`; ``stringValue`` reads it as one).
    case string(JSONString)
    case array([JSONValue])
    case object(JSONObject)
}

extension JSONValue {
    /// A string value of `text`.
    public static func string(_ text: String) -> JSONValue { .string(JSONString(text)) }

    /// JSON Schema style type name: "null", "boolean", "integer", "number",
    /// "string", "array" or "object".
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The member named `key` if this is an object, else `nil`.
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The array element at `index` (negative counts from the end), `nil` if out of
    /// range or not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let array) = self else { return nil }
        let i = index < 0 ? array.count + index : index
        // Not a ternary: `nil` there would become JSONValue.null (ExpressibleByNilLiteral).
        guard array.indices.contains(i) else { return nil }
        return array[i]
    }

    /// The text of a string value (for a long one read from a document, a new `String` each time).
    public var stringValue: String? {
        if case .string(let s) = self { return s.string }
        return nil
    }

    /// The integer, also for doubles that are integral and fit `Int64`.
    public var intValue: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d): return JSONValue.exactInt64(d)
        default: return nil
        }
    }

    /// The number as `Double` (integers converted).
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// `true` for `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Text for templates: strings raw (no quotes), numbers/booleans/null as JSON,
    /// arrays and objects as compact JSON.
    public var interpolationText: String {
        if case .string(let s) = self { return s.string }
        return serialized()
    }

    /// `d` as `Int64` when it is integral and exactly representable, else `nil`.
    static func exactInt64(_ d: Double) -> Int64? {
        guard d.isFinite, d.rounded(.towardZero) == d,
            d >= -9_223_372_036_854_775_808.0, d < 9_223_372_036_854_775_808.0
        else { return nil }
        return Int64(d)
    }
}
