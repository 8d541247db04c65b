import VigilJSON
/// An ECMA-262 regular expression run with Swift's `Regex` (see the module comment for the gaps).
final class ECMARegex: @unchecked Sendable {
    let source: String
    /// Read-only after creation.
    private let regex: Regex<AnyRegexOutput>
    /// Set when the pattern is in the plain subset `SimplePattern` runs itself.
    private let simple: SimplePattern?

    init(_ source: String) throws {
        self.source = source
        let translated = Self.translate(source)
        regex = try Regex(translated).matchingSemantics(.unicodeScalar).asciiOnlyDigits().asciiOnlyWordCharacters().wordBoundaryKind(.simple)
        simple = SimplePattern(source)
    }

    /// Whether the pattern matches anywhere in `text` (ECMA-262 `RegExp.prototype.test`).
    func matches(_ text: String) -> Bool {
        if let simple { return simple.matches(text) }
        return (try? regex.firstMatch(in: text)) != nil
    }

    /// ``matches(_:)``, or nil when a pattern that may backtrack badly did not finish within
    /// ``RegexBudget/limit`` (not decided).
    func decides(_ text: String) -> Bool? {
        guard simple == nil, RegexBudget.mayBacktrackBadly(source) else { return matches(text) }
        return RegexBudget.run { self.matches(text) }
    }

    /// Rewrites ECMA-262 syntax into Swift `Regex` syntax.
    static func translate(_ source: String) -> String {
        var out = ""
        var inClass = false
        var scalars = Array(source.unicodeScalars)[...]
        var classStart = false
        var negated = false
        while let c = scalars.popFirst() {
            if c == "\\", let next = scalars.first {
                scalars = scalars.dropFirst()
                if next == "u", let code = hex(&scalars, count: 4) {
                    var value = code
                    // A surrogate pair written as two escapes is one scalar.
                    if (0xD800...0xDBFF).contains(code), scalars.starts(with: ["\\", "u"]) {
                        var look = scalars.dropFirst(2)
                        if let low = hex(&look, count: 4), (0xDC00...0xDFFF).contains(low) {
                            value = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            scalars = look
                        }
                    }
                    out += "\\x{" + String(value, radix: 16) + "}"
                } else if next == "d" && inClass {
                    out += "0-9"
                } else {
                    out.unicodeScalars.append(c)
                    out.unicodeScalars.append(next)
                }
                classStart = false
                continue
            }
            if inClass {
                if c == "]" && !classStart {
                    inClass = false
                    out += "]"
                } else if c == "]" && classStart {
                    // `[]` matches nothing, `[^]` anything.
                    out.removeLast(negated ? 2 : 1)
                    out += negated ? "[\\s\\S]" : "(?!)"
                    inClass = false
                } else if c == "[" || ((c == "&" || c == "~" || c == "-") && scalars.first == c) {
                    out += "\\"
                    out.unicodeScalars.append(c)
                } else {
                    out.unicodeScalars.append(c)
                }
                classStart = false
                continue
            }
            switch c {
            case "[":
                inClass = true
                classStart = true
                out += "["
                if scalars.first == "^" {
                    scalars = scalars.dropFirst()
                    out += "^"
                    negated = true
                } else {
                    negated = false
                }
            case "$": out += "(?!(?s:.))"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    private static func hex(_ scalars: inout ArraySlice<Unicode.Scalar>, count: Int) -> UInt32? {
        guard scalars.count >= count else { return nil }
        var value: UInt32 = 0
        for scalar in scalars.prefix(count) {
            guard scalar.isASCII, let digit = hexValue(UInt8(scalar.value)) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        scalars = scalars.dropFirst(count)
        return value
    }
}
