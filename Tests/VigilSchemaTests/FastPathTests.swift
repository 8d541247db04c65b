import Testing
import VigilJSON

@testable import VigilSchema

/// The validator's fast paths (issue 16's speed target) give the answers of the general ones.
struct FastPathTests {
    /// Strings over an alphabet that hits the classes' edges, non-ASCII letters and a line terminator.
    static func strings(count: Int, seed: UInt64) -> [String] {
        let alphabet: [Unicode.Scalar] = ["0", "9", "a", "f", "g", "z", "A", "F", "-", "_", ".", " ", "\n", "é", "€", "\u{2028}", "𝄞", "\u{A0}"]
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        return (0..<count).map { _ in
            var text = String.UnicodeScalarView()
            for _ in 0..<next(14) { text.append(alphabet[next(alphabet.count)]) }
            return String(text)
        }
    }

    @Test func plainPatternsAgreeWithRegexOnManyStrings() throws {
        let uuid = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
        let patterns = [
            uuid, "^[0-9a-f]{2}$", "[0-9a-f]{2}", "^[a-z]{3}", "[a-z]{2}$", "^\\d{3}-\\d{2}$", "^.{4}$", "^[^a]{2}$", "^\\w{2}-", "^$", "",
            "^[é€]{2}", "a{0}", "^[0-9]+$", "^[-_.a-z]*$", "[^a-z0-9]{3}", "[^_]{2}$",
        ]
        var inputs = Self.strings(count: 600, seed: 7)
        inputs += [
            "5a2b3c4d-de2b-415c-afe3-968f4b28cccd", "5a2b3c4d-de2b-415c-afe3-968f4b28cccdx", "5a2b3c4d-de2b-415c-afe3-968f4b28ccc",
            "5a2b3c4d-de2b-415c-afe3-968f4b28ccéd",
        ]
        inputs += ["ab", "abé", "éab", "12", "é12", "12é", "a\u{2028}b", "123-45", "123-45\n"]
        for pattern in patterns {
            let simple = try #require(SimplePattern(pattern), "\(pattern) is plain")
            let regex = try Regex(ECMARegex.translate(pattern)).matchingSemantics(.unicodeScalar).asciiOnlyDigits().asciiOnlyWordCharacters()
            for input in inputs {
                #expect(simple.matches(input) == ((try? regex.firstMatch(in: input)) != nil), "\(pattern) on \(input.debugDescription)")
            }
        }
    }

    /// `\s` is ECMA-262's WhiteSpace and LineTerminator (where Swift's `Regex` leaves out
    /// U+2028, U+FEFF and U+3000 and takes U+0085).
    @Test func plainSpaceIsECMAScriptWhiteSpace() throws {
        let space = try #require(SimplePattern("^\\s$"))
        for scalar: Unicode.Scalar in [
            " ", "\t", "\n", "\u{0B}", "\u{0C}", "\r", "\u{A0}", "\u{1680}", "\u{2000}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{3000}", "\u{FEFF}",
        ] {
            #expect(space.matches(String(scalar)), "U+\(String(scalar.value, radix: 16))")
        }
        for scalar: Unicode.Scalar in ["\u{85}", "\u{180E}", "\u{200B}", "x"] {
            #expect(!space.matches(String(scalar)), "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test func propertyNamesMatchByScalarsNotCanonicalEquivalence() throws {
        // "é" precomposed and decomposed are canonically equivalent but different JSON names.
        let schema = try CompiledSchema(
            JSONValue(parsing: #"{"properties": {"caf\u00e9": {"type": "integer"}, "": {"type": "string"}}, "additionalProperties": false}"#))
        #expect(try schema.isValid(JSONValue(parsing: #"{"caf\u00e9": 1, "": "x"}"#)))
        #expect(try !schema.isValid(JSONValue(parsing: #"{"cafe\u0301": 1}"#)))
        #expect(try !schema.isValid(JSONValue(parsing: #"{"caf\u00e9": "1"}"#)))
        #expect(try !schema.isValid(JSONValue(parsing: #"{"": 1}"#)))
    }

    @Test func requiredIsCheckedWithTheMembersAndReportedAsBefore() throws {
        let schema = try CompiledSchema(
            JSONValue(parsing: #"{"required": ["a", "b"], "properties": {"a": {}, "b": {"type": "string"}, "c": {}}}"#))
        #expect(try schema.isValid(JSONValue(parsing: #"{"b": "x", "a": 1}"#)))
        #expect(try !schema.isValid(JSONValue(parsing: #"{"a": 1, "c": 2}"#)))
        let result = try schema.validate(JSONValue(parsing: #"{"c": 2, "b": 3}"#))
        #expect(result.violations.map(\.keywordLocation) == ["/required", "/properties/b/type"])
    }

    @Test func integerMultiplesOfDecimalsAreExact() throws {
        for (divisor, value, expected) in [
            ("0.5", "5", true), ("0.5", "-3", true), ("0.3", "3", true), ("0.7", "1", false), ("300", "900", true), ("300", "100", false),
            ("1e-18", "9223372036854775807", true), ("0.3", "9223372036854775807", false), ("7", "-9223372036854775808", false),
        ] {
            let schema = try CompiledSchema(JSONValue(parsing: #"{"multipleOf": \#(divisor)}"#))
            #expect(try schema.isValid(JSONValue(parsing: value)) == expected, "\(value) multipleOf \(divisor)")
        }
    }
}
