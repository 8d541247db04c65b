/// I-Regexp (RFC 9485) support for match()/search(): validates the pattern
/// against the I-Regexp grammar and translates it (§5) into a Swift `Regex` with
/// Unicode-scalar semantics. Every literal character is emitted as `\x{…}` so no
/// I-Regexp literal can be misread as target syntax; `.` becomes `[^\n\r]`.
///
/// `^` and `$` outside classes: the ABNF lists them as ordinary characters, but
/// the §5.3 mapping (which the JSONPath compliance test suite follows) passes them
/// through unescaped, making them anchors. Vigil follows §5.3 / the suite: `^` is
/// start of string, `$` end of string (`\A` / `\z`).
final class CompiledIRegexp: @unchecked Sendable {
    // `Regex` is immutable after construction and matching does not mutate it,
    // so sharing across threads is safe.
    let pattern: String
    private let regex: Regex<AnyRegexOutput>?
    private let wholeString: Bool

    /// `wholeString`: match() semantics (entire string), else search() (substring).
    init(_ pattern: String, wholeString: Bool) {
        self.pattern = pattern
        self.wholeString = wholeString
        if let translated = IRegexpTranslator.translate(pattern),
            let regex = try? Regex(translated)
        {
            let configured = regex.matchingSemantics(.unicodeScalar)
            // Match once so any lazily built matcher state exists before the
            // regex is shared between threads.
            _ = try? configured.firstMatch(in: "")
            self.regex = configured
        } else {
            self.regex = nil
        }
    }

    /// Whether the pattern is a valid I-Regexp.
    var isValid: Bool { regex != nil }

    /// False for an invalid pattern (RFC 9535 §2.4.6/§2.4.7).
    func matches(_ subject: String) -> Bool {
        guard let regex else { return false }
        if wholeString {
            return (try? regex.wholeMatch(in: subject)) != nil
        }
        return (try? regex.firstMatch(in: subject)) != nil
    }
}

/// Recursive-descent I-Regexp parser that emits the equivalent Swift regex syntax.
struct IRegexpTranslator {
    private let scalars: [UInt32]
    private var pos = 0
    private var output = ""
    private var depth = 0

    private init(_ pattern: String) {
        scalars = pattern.unicodeScalars.map(\.value)
    }

    /// The translated pattern, or nil if `pattern` is not an I-Regexp.
    static func translate(_ pattern: String) -> String? {
        var translator = IRegexpTranslator(pattern)
        guard translator.regexp(), translator.pos == translator.scalars.count else { return nil }
        return translator.output
    }

    private func peek(_ ahead: Int = 0) -> UInt32? {
        pos + ahead < scalars.count ? scalars[pos + ahead] : nil
    }

    /// i-regexp = branch *( "|" branch )
    private mutating func regexp() -> Bool {
        guard branch() else { return false }
        while peek() == 0x7C {  // |
            pos += 1
            output += "|"
            guard branch() else { return false }
        }
        return true
    }

    /// branch = *piece ; piece = atom [ quantifier ]
    private mutating func branch() -> Bool {
        while let c = peek(), c != 0x7C, c != 0x29 {  // | )
            guard atom(), quantifier() else { return false }
        }
        return true
    }

    private mutating func atom() -> Bool {
        guard let c = peek() else { return false }
        switch c {
        case 0x28:  // (
            depth += 1
            guard depth < 100 else { return false }
            pos += 1
            output += "(?:"
            guard regexp(), peek() == 0x29 else { return false }
            pos += 1
            output += ")"
            depth -= 1
            return true
        case 0x2E:  // .
            pos += 1
            output += "[^\\n\\r]"
            return true
        case 0x5B:  // [
            return characterClass()
        case 0x5C:  // backslash
            guard let escaped = escape(inClass: false) else { return false }
            output += escaped
            return true
        case 0x29, 0x2A, 0x2B, 0x3F, 0x5D, 0x7B, 0x7C, 0x7D:  // ) * + ? ] { | }
            return false
        case 0x5E:  // ^ (anchor, per RFC 9485 §5.3)
            pos += 1
            output += "\\A"
            return true
        case 0x24:  // $ (anchor, per RFC 9485 §5.3)
            pos += 1
            output += "\\z"
            return true
        default:
            pos += 1
            output += literal(c)
            return true
        }
    }

    /// quantifier = "*" / "+" / "?" / "{" n [ "," [ m ] ] "}"
    private mutating func quantifier() -> Bool {
        guard let c = peek() else { return true }
        switch c {
        case 0x2A, 0x2B, 0x3F:
            pos += 1
            output.unicodeScalars.append(Unicode.Scalar(c)!)
        case 0x7B:
            pos += 1
            guard let low = digits() else { return false }
            output += "{" + low
            if peek() == 0x2C {
                pos += 1
                output += ","
                if let high = digits() {
                    guard let l = Int(low), let h = Int(high), l <= h else { return false }
                    output += high
                }
            }
            guard peek() == 0x7D else { return false }
            pos += 1
            output += "}"
        default:
            break
        }
        return true
    }

    private mutating func digits() -> String? {
        var text = ""
        while let c = peek(), c >= 0x30, c <= 0x39 {
            text.unicodeScalars.append(Unicode.Scalar(c)!)
            pos += 1
        }
        return text.isEmpty || text.count > 9 ? nil : text
    }

    /// charClassExpr = "[" [ "^" ] ( "-" / CCE1 ) *CCE1 [ "-" ] "]"
    private mutating func characterClass() -> Bool {
        pos += 1
        output += "["
        if peek() == 0x5E {
            pos += 1
            output += "^"
        }
        var items = 0
        if peek() == 0x2D {
            pos += 1
            output += literal(0x2D)
            items += 1
        }
        while true {
            guard let c = peek() else { return false }
            if c == 0x5D {  // ]
                guard items > 0 else { return false }
                pos += 1
                output += "]"
                return true
            }
            if c == 0x2D {  // '-' only allowed right before ']'
                guard peek(1) == 0x5D, items > 0 else { return false }
                pos += 1
                output += literal(0x2D)
                continue
            }
            if c == 0x5C, let next = peek(1), next == 0x70 || next == 0x50 {  // \p \P
                guard let escaped = escape(inClass: true) else { return false }
                output += escaped
                items += 1
                continue
            }
            guard let low = classChar() else { return false }
            if peek() == 0x2D, let after = peek(1), after != 0x5D {
                pos += 1
                guard let high = classChar(), low <= high else { return false }
                output += literal(low) + "-" + literal(high)
            } else {
                output += literal(low)
            }
            items += 1
        }
    }

    /// CCchar: a literal class character or a single-character escape.
    private mutating func classChar() -> UInt32? {
        guard let c = peek() else { return nil }
        switch c {
        case 0x2D, 0x5B, 0x5D: return nil
        case 0x5C:
            pos += 1
            return singleCharEscape()
        default:
            pos += 1
            return c
        }
    }

    /// After a backslash: SingleCharEsc → the character it stands for.
    private mutating func singleCharEscape() -> UInt32? {
        guard let c = peek() else { return nil }
        switch c {
        case 0x28...0x2B, 0x2D, 0x2E, 0x3F, 0x5B...0x5E, 0x7B...0x7D:
            pos += 1
            return c
        case 0x6E: pos += 1; return 0x0A
        case 0x72: pos += 1; return 0x0D
        case 0x74: pos += 1; return 0x09
        default: return nil
        }
    }

    /// An escape at a backslash: single-character escape or `\p{…}` / `\P{…}`.
    private mutating func escape(inClass: Bool) -> String? {
        pos += 1
        guard let c = peek() else { return nil }
        if c == 0x70 || c == 0x50 {  // p P
            pos += 1
            guard peek() == 0x7B else { return nil }
            pos += 1
            var name = ""
            while let n = peek(), n != 0x7D {
                name.unicodeScalars.append(Unicode.Scalar(n)!)
                pos += 1
            }
            guard peek() == 0x7D, IRegexpTranslator.categories.contains(name) else { return nil }
            pos += 1
            return (c == 0x70 ? "\\p{" : "\\P{") + name + "}"
        }
        return singleCharEscape().map(literal)
    }

    private static let categories: Set<String> = [
        "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No",
        "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "Z", "Zl", "Zp", "Zs",
        "S", "Sc", "Sk", "Sm", "So", "C", "Cc", "Cf", "Cn", "Co",
    ]

    private func literal(_ c: UInt32) -> String {
        "\\x{" + String(c, radix: 16) + "}"
    }
}
