/// The YAML 1.2 core-schema reading of a scalar: what a plain `123` or `true` means.
public enum ResolvedScalar: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)

    /// A short phrase for error messages ("a string", "an integer").
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        }
    }
}

extension YAMLScalar {
    /// Resolves the scalar by the core schema. Quoted and block scalars are strings;
    /// explicit tags (`!!str`, `!!int`, …) win over the plain reading.
    public var resolved: ResolvedScalar {
        switch tag {
        case "tag:yaml.org,2002:str": return .string(text)
        case "tag:yaml.org,2002:null": return .null
        case "tag:yaml.org,2002:bool": return Self.bool(text).map(ResolvedScalar.bool) ?? .string(text)
        case "tag:yaml.org,2002:int": return Self.int(text).map(ResolvedScalar.int) ?? .string(text)
        case "tag:yaml.org,2002:float":
            if let i = Self.int(text) { return .double(Double(i)) }
            return Self.double(text).map(ResolvedScalar.double) ?? .string(text)
        default: break
        }
        guard style == .plain else { return .string(text) }
        // Only these can start a null, a boolean or a number: most text is known at once.
        switch text.utf8.first ?? UInt8(ascii: "~") {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "~"),
            UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "n"), UInt8(ascii: "N"):
            break
        default:
            return .string(text)
        }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        default: break
        }
        if let b = Self.bool(text) { return .bool(b) }
        if let i = Self.int(text) { return .int(i) }
        if let d = Self.double(text) { return .double(d) }
        return .string(text)
    }

    static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    static func int(_ text: String) -> Int64? {
        var body = Substring(text)
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        guard let first = body.first else { return nil }
        let radix: Int
        if body.hasPrefix("0x") {
            radix = 16; body = body.dropFirst(2)
        } else if body.hasPrefix("0o") {
            radix = 8; body = body.dropFirst(2)
        } else {
            radix = 10; guard first.isASCII, first.isNumber else { return nil }
        }
        guard !body.isEmpty, let magnitude = UInt64(body, radix: radix) else { return nil }
        if negative {
            return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    static func double(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        // Core schema: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        var sawDigit = false
        for (i, c) in text.utf8.enumerated() {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                if i == 0, c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { return nil }
            default: return nil
            }
        }
        guard sawDigit else { return nil }
        return Double(text)
    }
}
