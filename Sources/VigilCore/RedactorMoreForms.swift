#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilJSON

extension Redactor {
    /// The forms of a secret in XML and HTML text, where they differ from the literal: named
    /// entities as the common escapers write them, and numeric character references.
    ///
    /// Named: `&amp; &lt; &gt;` with `"` and `'` as Python's `html.escape` (`&quot; &#x27;`),
    /// Ruby, .NET, Spring and lodash (`&quot; &#39;`), PHP 8.1's `htmlspecialchars` (`&#039;`),
    /// XML's full set (`&apos;`), Go's `html.EscapeString` and MarkupSafe (`&#34; &#39;`), an XML
    /// attribute (`&quot;`, `'` kept) and XML text (both quotes kept). Numeric: every character
    /// (`&#84;`, `&#x54;`, hex in either case), or only the characters the named forms escape and
    /// the non-ASCII ones (`P&#228;sswort`, `P&#xE4;sswort`).
    static func entityForms(of secret: String) -> [String] {
        var forms: [String] = []
        if secret.unicodeScalars.contains(where: { "<>&\"'".unicodeScalars.contains($0) }) {
            let quotes: [(quote: String?, apostrophe: String?)] = [
                ("&quot;", "&#x27;"), ("&quot;", "&#39;"), ("&quot;", "&#039;"), ("&quot;", "&apos;"), ("&#34;", "&#39;"), ("&quot;", nil), (nil, nil),
            ]
            for q in quotes {
                var out = ""
                for scalar in secret.unicodeScalars {
                    switch scalar {
                    case "&": out += "&amp;"
                    case "<": out += "&lt;"
                    case ">": out += "&gt;"
                    case "\"": out += q.quote ?? "\""
                    case "'": out += q.apostrophe ?? "'"
                    default: out.unicodeScalars.append(scalar)
                    }
                }
                forms.append(out)
            }
        }
        func numeric(_ scalar: Unicode.Scalar, _ style: Int) -> String {
            switch style {
            case 0: "&#\(scalar.value);"
            case 1: "&#x" + String(scalar.value, radix: 16) + ";"
            default: "&#x" + String(scalar.value, radix: 16, uppercase: true) + ";"
            }
        }
        for style in 0..<3 {
            forms.append(secret.unicodeScalars.map { numeric($0, style) }.joined())
            forms.append(
                secret.unicodeScalars.map { s in
                    s.isASCII && !"<>&\"'".unicodeScalars.contains(s) ? String(s) : numeric(s, style)
                }.joined())
        }
        return forms.filter { $0 != secret }
    }

    /// A non-ASCII secret's UTF-8 bytes read as Latin-1 (`Pässwort` as `PÃ¤sswort`): what Python
    /// and Node make of header bytes and echo back. As is, inside a JSON string (as written
    /// by VigilJSON, and all-ASCII with either hex case: `P\u00c3\u00a4sswort`) and
    /// percent-encoded (every byte, and as Vigil's URL target keeps it, either hex case).
    static func misreadForms(of secret: String) -> [String] {
        let bytes = Array(secret.utf8)
        guard bytes.contains(where: { $0 >= 0x80 }) else { return [] }
        return textForms(latin1Text(bytes))
    }

    /// A text in the forms a server echoing it is likely to use: as is, inside a JSON string,
    /// percent-encoded.
    static func textForms(_ text: String) -> [String] {
        let ascii = jsonEscaped(text, also: [])
        var forms = [text, String(JSONValue.string(text).serialized().dropFirst().dropLast()), ascii, upperHex(ascii)]
        for safe in [PercentSafe.none, .urlTarget] {
            let p = percentEncoded(text, keeping: safe, spaceAsPlus: false)
            forms += [p, lowerHex(p)]
        }
        return forms
    }

    /// Each byte as the character of the same code (Latin-1).
    static func latin1Text(_ bytes: [UInt8]) -> String {
        var out = String.UnicodeScalarView()
        for b in bytes { out.append(Unicode.Scalar(b)) }
        return String(out)
    }

    /// The forms of a binary message (an NTLM message) besides its standard base64 text: base64
    /// URL-safe and unpadded (also inside a longer base64 text), hex in either case, and its bytes read as Latin-1 (a server
    /// echoing the decoded message), as is, inside a JSON string and percent-encoded.
    static func binaryForms(of bytes: [UInt8]) -> [String] {
        let base64 = Data(bytes).base64EncodedString()
        let unpadded = String(base64.reversed().drop { $0 == "=" }.reversed())
        let hex = bytes.map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        // Inside a longer base64 text too, at each of the three byte alignments (as for any secret).
        let inner = (0..<3).map { innerBase64(bytes, offset: $0) }.filter { $0.count >= 8 }.flatMap { [$0, urlSafe($0)] }
        return [base64, unpadded, urlSafe(base64), urlSafe(unpadded), hex, hex.uppercased()] + inner + textForms(latin1Text(bytes))
    }
}
