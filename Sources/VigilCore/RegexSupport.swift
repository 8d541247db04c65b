import VigilJSON

/// A regular expression of a collection (`matches:`, a capture's `regex:`), compiled by Swift's
/// regex engine with ICU's rules where they matter, as `NSRegularExpression` had them: `\b` is a
/// simple word boundary (between `\w` and `\W`), `$` also matches before a last line end, and an
/// empty pattern is refused. Swift matches by character where ICU matched by code point, which
/// differs only for decomposed accents (`é` finds `e` + U+0301) and characters of several code
/// points such as flags. (Swift's engine cannot combine code-point matching with simple word
/// boundaries: `\b\d` then never matches. Full Foundation, for `NSRegularExpression`, would
/// link ICU into the binary: EssentialsSupport.swift.)
///
/// A pattern that may backtrack exponentially is matched within ``RegexBudget/limit``; past it
/// the match throws ``RegexTooSlow`` (a check fails, it never passes, even under `not:`).
public struct UserRegex: @unchecked Sendable {
    private let regex: Regex<AnyRegexOutput>
    private let pattern: String
    private let bounded: Bool

    /// Throws when `pattern` is not a valid regular expression.
    public init(_ pattern: String) throws {
        guard !pattern.isEmpty else { throw UserRegexError() }
        regex = try Regex(Self.icuEndAnchors(pattern)).wordBoundaryKind(.simple)
        self.pattern = pattern
        bounded = RegexBudget.mayBacktrackBadly(pattern)
    }

    /// ICU's `$` (outside multi-line mode) matches at the end and before a last line end
    /// (`\n`, `\r\n`, `\r`, U+0085, U+2028…); Swift's only at the very end. `$` outside
    /// character classes, escapes and `\Q…\E` becomes a look-ahead that does what ICU's did.
    static func icuEndAnchors(_ pattern: String) -> String {
        guard pattern.contains("$"), pattern.firstMatch(of: #/\(\?[a-zA-Z]*m/#) == nil else { return pattern }
        let end = #"(?=(?:\r\n|[\n\x{0B}\x{0C}\r\x{85}\x{2028}\x{2029}])?\z)"#
        var out = ""
        var classDepth = 0
        var quoted = false
        var i = pattern.startIndex
        while i < pattern.endIndex {
            let c = pattern[i]
            let next = pattern.index(after: i)
            if quoted {
                if c == "\\", next < pattern.endIndex, pattern[next] == "E" { quoted = false }
            } else if c == "\\", next < pattern.endIndex {
                if pattern[next] == "Q" { quoted = true }
                out += pattern[i...next]
                i = pattern.index(after: next)
                continue
            } else if c == "[" {
                classDepth += 1
            } else if c == "]", classDepth > 0 {
                classDepth -= 1
            } else if c == "$", classDepth == 0 {
                out += end
                i = next
                continue
            }
            out.append(c)
            i = next
        }
        return out
    }

    /// Whether the expression matches somewhere in `text`.
    public func matches(_ text: String) throws(RegexTooSlow) -> Bool {
        try within(text) { ((try? $0.regex.firstMatch(in: text)) ?? nil) != nil }
    }

    /// The first group of the first match (the whole match when there is no group); nil when
    /// nothing matches or the group took no part in the match.
    public func firstGroup(in text: String) throws(RegexTooSlow) -> String? {
        try within(text) { me in
            guard let m = (try? me.regex.firstMatch(in: text)) ?? nil else { return nil }
            let output = m.output
            return (output.count > 1 ? output[1].substring : output[0].substring).map(String.init)
        }
    }

    private func within<T: Sendable>(_ text: String, _ work: @escaping @Sendable (UserRegex) -> T) throws(RegexTooSlow) -> T {
        guard bounded else { return work(self) }
        let me = self
        guard let result = RegexBudget.run({ work(me) }) else { throw RegexTooSlow(pattern: pattern, textLength: text.count) }
        return result
    }
}

/// An empty pattern, which ICU refused too.
struct UserRegexError: Error {}
