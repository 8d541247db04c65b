#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilJSON

extension Redactor {
    /// The forms a secret may take in a request, a response or a report: as written; percent-encoded
    /// as Vigil itself encodes it in a URL (``urlTarget``, ``PercentSafe/none`` for query and form
    /// values) and as servers and libraries re-encode what they decoded (the other
    /// ``PercentSafe`` sets), each with upper- and lower-case hex, spaces as `%20` or `+`; inside a
    /// JSON string as common encoders write it; base64 (standard and URL-safe, padded or not, and
    /// inside a longer base64 text at each of the three byte alignments); XML and HTML entities
    /// (``entityForms(of:)``); misread as Latin-1 (``misreadForms(of:)``).
    static func encodings(of secret: String) -> [String] {
        var forms = [secret]
        func both(_ s: String) {
            forms.append(s)
            forms.append(lowerHex(s))
        }
        for safe in PercentSafe.all {
            both(percentEncoded(secret, keeping: safe, spaceAsPlus: false))
            both(percentEncoded(secret, keeping: safe, spaceAsPlus: true))
        }
        // Between the quotes of a JSON string: as VigilJSON prints it, all-ASCII (`\u00e4`, either
        // hex case, as Jackson and Python write it), PHP's (`\/` too), Go's HTML-safe (`<>&` as
        // `\u003c`…) and .NET's default (also `'+` and backquote, upper-case hex).
        forms.append(String(JSONValue.string(secret).serialized().dropFirst().dropLast()))
        let ascii = jsonEscaped(secret, also: [])
        forms.append(ascii)
        forms.append(upperHex(ascii))
        forms.append(ascii.replacing("/", with: "\\/"))
        forms.append(jsonEscaped(secret, also: Set("<>&".unicodeScalars), asciiOnly: false))
        forms.append(upperHex(jsonEscaped(secret, also: Set("\"&'+<>`".unicodeScalars))))
        let bytes = Array(secret.utf8)
        let base64 = Data(bytes).base64EncodedString()
        let unpadded = String(base64.reversed().drop { $0 == "=" }.reversed())
        for b in [base64, unpadded] {
            forms.append(b)
            forms.append(urlSafe(b))
        }
        // Inside a longer base64 text (a Basic header, a token echoing it), the secret starts at
        // one of three alignments; the characters that only its bits make are the same wherever.
        // Only when that leaves 8 characters or more: fewer would mask common base64 text.
        for offset in 0..<3 {
            let inner = innerBase64(bytes, offset: offset)
            guard inner.count >= 8 else { continue }
            forms.append(inner)
            forms.append(urlSafe(inner))
        }
        // In XML and HTML (entities), and misread as Latin-1 (non-ASCII secrets).
        forms += entityForms(of: secret)
        forms += misreadForms(of: secret)
        var unique: [String] = []
        for f in forms where !unique.contains(f) { unique.append(f) }
        return unique
    }

    /// The characters other than unreserved ones (`A-Z a-z 0-9 - . _ ~`) a percent-encoder leaves
    /// as they are.
    struct PercentSafe: Sendable {
        var keeps: Set<UInt8>
        /// Java's encoder encodes `~` although it is unreserved.
        var encodesTilde = false

        init(_ keeps: String, encodesTilde: Bool = false) {
            self.keeps = Set(keeps.utf8)
            self.encodesTilde = encodesTilde
        }

        /// Everything but unreserved characters encoded: Vigil's query and form values, RFC 3986's
        /// strict form, Go's `QueryEscape`.
        static let none = PercentSafe("")
        /// What Vigil's URL target leaves: everything printable but `"<>\^`{|}` and space
        /// (``HTTPURL``): the form a server echoing its request path sends back.
        static let urlTarget = PercentSafe("!#$%&'()*+,/:;=?@[]")
        /// JavaScript's `encodeURIComponent`.
        static let uriComponent = PercentSafe("!'()*")
        /// JavaScript's `encodeURI`.
        static let uri = PercentSafe("!#$&'()*+,/:;=?@")
        /// RFC 3986 `pchar` and query characters: sub-delims, `:`, `@`, `/`, `?` (Go's `PathEscape`
        /// keeps a subset of these).
        static let subDelims = PercentSafe("!$&'()*+,;=:@/?")
        /// Python's `quote` (`safe='/'`) and `quote_plus`.
        static let python = PercentSafe("/")
        /// WHATWG's path percent-encode set (what browsers and `new URL()` leave in a path).
        static let whatwgPath = PercentSafe("!$%&'()*+,/:;=@[]\\^|")
        /// Java's `URLEncoder` and HTML forms: `*` kept, `~` encoded.
        static let javaForm = PercentSafe("*", encodesTilde: true)

        static let all: [PercentSafe] = [.none, .urlTarget, .uriComponent, .uri, .subDelims, .python, .whatwgPath, .javaForm]
    }

    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    static func percentEncoded(_ s: String, keeping safe: PercentSafe, spaceAsPlus: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count * 3)
        for b in s.utf8 {
            if (unreserved.contains(b) && !(safe.encodesTilde && b == UInt8(ascii: "~"))) || safe.keeps.contains(b) {
                out.append(b)
            } else if spaceAsPlus, b == UInt8(ascii: " ") {
                out.append(UInt8(ascii: "+"))
            } else {
                out += [UInt8(ascii: "%"), hexDigits[Int(b >> 4)], hexDigits[Int(b & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `%XX` and `\uXXXX` escapes with lower-case hex.
    static func lowerHex(_ s: String) -> String {
        s.replacing(/%[0-9A-F]{2}/) { $0.output.lowercased() }
    }

    static func upperHex(_ s: String) -> String {
        s.replacing(/\\u[0-9a-fA-F]{4}/) { "\\u" + $0.output.dropFirst(2).uppercased() }
    }

    static func urlSafe(_ s: String) -> String {
        s.replacing("+", with: "-").replacing("/", with: "_")
    }

    /// The base64 characters made only of the secret's bits when it follows `offset` bytes
    /// (0, 1 or 2) of a three-byte group: the same whatever bytes surround it.
    static func innerBase64(_ bytes: [UInt8], offset: Int) -> String {
        let text = Array(Data(Array(repeating: 0, count: offset) + bytes).base64EncodedString().utf8)
        let start = 8 * offset
        let end = 8 * (offset + bytes.count)
        let first = (start + 5) / 6
        let last = end / 6  // exclusive: character i covers bits 6i..<6i+6
        guard first < last else { return "" }
        return String(decoding: text[first..<last], as: UTF8.self)
    }

    /// The text as it appears between the quotes of a JSON string, with `"`, `\` and control
    /// characters escaped, every character of `also` as `\u00XX`, and (with `asciiOnly`) every
    /// non-ASCII character as `\uXXXX` (lower-case hex).
    static func jsonEscaped(_ s: String, also: Set<Unicode.Scalar>, asciiOnly: Bool = true) -> String {
        var out = ""
        func unit(_ v: UInt32) { out += cFormat("\\u%04x", v) }
        for scalar in s.unicodeScalars {
            if also.contains(scalar) {
                unit(scalar.value)
                continue
            }
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0..<0x20: unit(scalar.value)
            case 0x80...0xFFFF where asciiOnly: unit(scalar.value)
            case 0x10000... where asciiOnly:
                let v = scalar.value - 0x10000
                unit(0xD800 + (v >> 10))
                unit(0xDC00 + (v & 0x3FF))
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `text` with its escapes decoded, for checks that ask whether a request holds a secret in
    /// any form, not only the forms listed: percent escapes (`+` kept, and `+` as a space), and
    /// JSON string escapes (`\u0040`, `\/`). Empty when the text has no escape.
    static func decodedVariants(_ text: String) -> [String] {
        var variants: [String] = []
        let bytes = Array(text.utf8)
        if bytes.contains(UInt8(ascii: "%")) {
            let decoded = percentDecoded(bytes)
            variants.append(decoded)
            if bytes.contains(UInt8(ascii: "+")) { variants.append(percentDecoded(bytes.map { $0 == UInt8(ascii: "+") ? 0x20 : $0 })) }
        } else if bytes.contains(UInt8(ascii: "+")) {
            variants.append(String(decoding: bytes.map { $0 == UInt8(ascii: "+") ? 0x20 : $0 }, as: UTF8.self))
        }
        if bytes.contains(UInt8(ascii: "\\")) { variants.append(jsonUnescaped(text)) }
        return variants
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: b - 48
        case 65...70: b - 55
        case 97...102: b - 87
        default: nil
        }
    }

    private static func percentDecoded(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let h = hexValue(bytes[i + 1]), let l = hexValue(bytes[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// JSON string escapes decoded wherever they appear (surrogate pairs joined); anything else
    /// left as it is.
    private static func jsonUnescaped(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var i = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= scalars.count else { return nil }
            var v: UInt32 = 0
            for s in scalars[at..<(at + 4)] {
                guard s.isASCII, let d = hexValue(UInt8(s.value)) else { return nil }
                v = v << 4 | UInt32(d)
            }
            return v
        }
        while i < scalars.count {
            let s = scalars[i]
            guard s == "\\", i + 1 < scalars.count else {
                out.append(s)
                i += 1
                continue
            }
            let e = scalars[i + 1]
            switch e {
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "\"", "\\", "/": out.append(e)
            case "u":
                if let v = hex4(i + 2) {
                    if (0xD800..<0xDC00).contains(v), i + 7 < scalars.count, scalars[i + 6] == "\\", scalars[i + 7] == "u", let lo = hex4(i + 8),
                        (0xDC00..<0xE000).contains(lo), let joined = Unicode.Scalar(0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00))
                    {
                        out.append(joined)
                        i += 12
                        continue
                    }
                    if let scalar = Unicode.Scalar(v) {
                        out.append(scalar)
                        i += 6
                        continue
                    }
                }
                out.append(s)
                i += 1
                continue
            default:
                out.append(s)
                i += 1
                continue
            }
            i += 2
        }
        return String(out)
    }
}
