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

    public static func needsEscape(_ s: Unicode.Scalar) -> Bool {
        (s.value < 0x20 && s.value != 0x09) || s.value == 0x7F || (s.value >= 0x80 && s.value <= 0x9F)
    }

    private static func hex(_ v: UInt32) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(v >> 4 & 0xF)], digits[Int(v & 0xF)]])
    }
}
