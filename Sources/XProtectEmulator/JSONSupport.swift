import VigilJSON

/// What the emulator needs beyond VigilJSON's value: case-insensitive member lookup and the
/// pre-2022 R2 string booleans, both ways.
extension JSONValue {
    /// Case-insensitive member lookup, for request bodies (the real server binds properties that way).
    func member(_ key: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        let lower = key.lowercased()
        return object.first { $0.key.lowercased() == lower }?.value
    }

    /// A boolean, also from the pre-2022 R2 string form ("True"/"false"), which the server tolerates on input.
    var lenientBoolValue: Bool? {
        switch self {
        case .bool(let b): b
        case .string(let s) where s.string.lowercased() == "true": true
        case .string(let s) where s.string.lowercased() == "false": false
        default: nil
        }
    }

    /// The integer as `Int` (also from an integral double).
    var integerValue: Int? { intValue.flatMap { Int(exactly: $0) } }

    /// Every boolean turned into the "True"/"False" strings releases before 2022 R2 used.
    func stringifyingBooleans() -> JSONValue {
        switch self {
        case .bool(let b): .string(b ? "True" : "False")
        case .array(let items): .array(items.map { $0.stringifyingBooleans() })
        case .object(let object): .object(JSONObject(object.map { ($0.key, $0.value.stringifyingBooleans()) }))
        default: self
        }
    }
}
