/// What may stand in a request header (RFC 9110, section 5): a name is a token; a value holds no
/// control character but a tab. Checked on literal headers when a collection is read, and on
/// every header once its placeholders are resolved, so a bad one is our refusal before
/// anything is sent, never a server's odd answer.
public enum HeaderText {
    /// Whether `name` is a token: `!#$%&'*+-.^_`|~`, digits and ASCII letters, at least one.
    public static func isName(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { b in
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): true
                default: "!#$%&'*+-.^_`|~".utf8.contains(b)
                }
            }
    }

    /// Whether `value` holds a control character other than a tab (CR, LF, NUL, ESC, DEL, …).
    public static func hasControl(_ value: String) -> Bool {
        value.utf8.contains { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F }
    }

    /// Whether `text` holds CR, LF or NUL, which would end a header line and start another.
    public static func breaksALine(_ text: String) -> Bool {
        text.utf8.contains { $0 == 13 || $0 == 10 || $0 == 0 }
    }

    /// `text` with its control characters shown escaped (``TerminalText``), for messages.
    public static func shown(_ text: String) -> String { TerminalText.escaped(text) }
}
