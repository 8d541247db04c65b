/// Text for a terminal from sources Vigil does not control (a server's bytes, a shared
/// collection): every control character is shown escaped, so none of them acts on the terminal.
public enum TerminalText {
    /// `ESC` as `\e`, `CR` as `\r`, `LF` as `\n`, `TAB` kept, other C0 and C1 controls and DEL as
    /// `\xNN` / `\u{NN}`.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar.value {
            case 0x1B: out += "\\e"
            case 0x0D: out += "\\r"
            case 0x0A: out += "\\n"
            case 0..<0x80: out += "\\x" + hex(scalar.value)
            default: out += "\\u{" + hex(scalar.value) + "}"
            }
        }
        return out
    }

    /// ``escaped(_:)`` line by line: line feeds are kept (a message of several lines, a listing).
    public static func escapedKeepingLines(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 != "\n" && needsEscape($0) }) else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { escaped(String($0)) }.joined(separator: "\n")
    }

    /// C0 controls but tab, DEL, C1 controls, and the bidirectional embeddings, overrides and
    /// isolates (U+202A–U+202E, U+2066–U+2069), which reorder what a terminal or a page shows
    /// ("Trojan Source").
    public static func needsEscape(_ s: Unicode.Scalar) -> Bool {
        (s.value < 0x20 && s.value != 0x09) || s.value == 0x7F || (s.value >= 0x80 && s.value <= 0x9F)
            || (s.value >= 0x202A && s.value <= 0x202E) || (s.value >= 0x2066 && s.value <= 0x2069)
    }

    private static func hex(_ v: UInt32) -> String {
        let digits = Array("0123456789abcdef")
        var out = [digits[Int(v >> 4 & 0xF)], digits[Int(v & 0xF)]]
        var rest = v >> 8
        while rest > 0 {
            out.insert(contentsOf: [digits[Int(rest >> 4 & 0xF)], digits[Int(rest & 0xF)]], at: 0)
            rest >>= 8
        }
        return String(out)
    }
}
