import VigilCore

/// Text from a server or a collection, made safe for a Markdown (CommonMark) page: whatever it
/// holds, it shows as the same text and never becomes markup. No raw HTML, no live link or
/// image, no heading, list or emphasis of its own, no code fence it can close, and every control
/// character shown escaped (`\e`, `\x07`, as ``TerminalText`` does).
enum MarkdownText {
    /// Prose (a name, a heading, a sentence): ASCII punctuation with a meaning in Markdown is
    /// backslash-escaped (`|` too, for table cells), `<`, `>` and `&` written as entities, a
    /// block marker at the start (`-`, `+`, `=`, `1.`) escaped; line breaks shown as `\n`.
    static func inline(_ text: String) -> String {
        var out = ""
        let escaped = TerminalText.escaped(text)
        out.reserveCapacity(escaped.utf8.count)
        for c in escaped {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\\", "`", "*", "_", "[", "]", "#", "|", "~":
                out.append("\\")
                out.append(c)
            default: out.append(c)
            }
        }
        return escapedLineStart(out)
    }

    /// Several lines of prose (a description): each line as ``inline(_:)``, line breaks kept.
    static func lines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { inline(String($0)) }.joined(separator: "\n")
    }

    /// Inline code: a run of backticks longer than any in the text, padded with a space when the
    /// text starts or ends with a backtick (or with a space at both ends, which would be taken off).
    static func code(_ text: String) -> String {
        let content = TerminalText.escaped(text)
        let fence = String(repeating: "`", count: longestRun(of: "`", in: content) + 1)
        let pad =
            content.isEmpty || content.first == "`" || content.last == "`"
            || (content.first == " " && content.last == " " && content.contains { $0 != " " })
        return pad ? fence + " " + content + " " + fence : fence + content + fence
    }

    /// A fenced code block: fences of backticks longer than any run of backticks in the body
    /// (three at least); control characters but line breaks and tabs shown escaped.
    static func fence(_ body: String, info: String = "") -> String {
        // Line by line (a line break is kept, not escaped); most bodies have nothing to escape.
        let content =
            body.unicodeScalars.contains { $0 != "\n" && TerminalText.needsEscape($0) }
            ? body.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.escaped(String($0)) }.joined(separator: "\n") : body
        let fence = String(repeating: "`", count: max(3, longestRun(of: "`", in: content) + 1))
        return fence + info + "\n" + content + "\n" + fence
    }

    /// Text inside an HTML comment (`<!-- … -->`): it cannot end the comment.
    static func comment(_ text: String) -> String {
        let escaped = TerminalText.escaped(text)
        return escaped.utf8.contains(UInt8(ascii: ">")) ? escaped.replacing(">", with: "&gt;") : escaped
    }

    /// A relative link to a file of the docs: every character but letters, digits, `-._~/`
    /// percent-encoded, so it can hold no scheme (`javascript:`), space or parenthesis.
    static func link(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII, c.isLetter || c.isNumber || "-._~/".contains(c) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// The longest run of `character` in `text`.
    static func longestRun(of character: Character, in text: String) -> Int {
        var longest = 0, run = 0
        // ASCII text: every byte is a character.
        if let ascii = character.asciiValue, text.utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in text.utf8 {
                run = byte == ascii ? run + 1 : 0
                longest = max(longest, run)
            }
            return longest
        }
        for c in text {
            run = c == character ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }

    /// `text` with a list, setext or ordered-list marker at its start escaped (`\-`, `1\.`).
    private static func escapedLineStart(_ text: String) -> String {
        let body = text.drop { $0 == " " }
        let indent = text.prefix(text.count - body.count)
        guard let first = body.first else { return text }
        if "-+=".contains(first) { return indent + "\\" + body }
        let digits = body.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, let after = body.dropFirst(digits.count).first, after == "." || after == ")" {
            return indent + digits + "\\" + body.dropFirst(digits.count)
        }
        return text
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
