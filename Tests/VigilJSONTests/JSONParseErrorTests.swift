import Testing
@testable import VigilJSON

@Suite struct JSONParseErrorTests {
    /// (input, line, column, message)
    static let cases: [(String, Int, Int, String)] = [
        ("", 1, 1, "unexpected end of input, expected a JSON value"),
        ("   ", 1, 4, "unexpected end of input, expected a JSON value"),
        ("{\"a\":1 \"b\":2}", 1, 8, "expected ',' or '}' after object member"),
        ("{\"a\":1,}", 1, 8, "trailing comma before '}'"),
        ("[1,2,]", 1, 6, "trailing comma before ']'"),
        ("[1 2]", 1, 4, "expected ',' or ']' after array element"),
        ("{\"a\" 1}", 1, 6, "expected ':' after object key"),
        ("{a:1}", 1, 2, "expected '\"' to start an object key or '}'"),
        ("{\"a\":1,b:2}", 1, 8, "expected '\"' to start an object key after ','"),
        ("[01]", 1, 2, "leading zeros are not allowed"),
        ("-", 1, 2, "unexpected end of input, expected digit after '-'"),
        ("[-x]", 1, 3, "expected digit after '-'"),
        ("1.", 1, 3, "unexpected end of input, expected digit after '.'"),
        ("1.e5", 1, 3, "expected digit after '.'"),
        ("1e", 1, 3, "unexpected end of input, expected digit in exponent"),
        ("[.5]", 1, 2, "expected a JSON value"),
        ("NaN", 1, 1, "expected a JSON value"),
        ("[Infinity]", 1, 2, "expected a JSON value"),
        ("tru", 1, 1, "invalid literal, expected 'true'"),
        ("nul", 1, 1, "invalid literal, expected 'null'"),
        ("[fals]", 1, 2, "invalid literal, expected 'false'"),
        ("// c\n1", 1, 1, "expected a JSON value"),
        ("[1] x", 1, 5, "unexpected character after the JSON value"),
        ("{\"a\":\n  [1,\n   2,\n   x]}", 4, 4, "expected a JSON value"),
        ("\"abc", 1, 5, "unexpected end of input, unterminated string"),
        ("\"a\tb\"", 1, 3, "unescaped control character in string"),
        ("\"a\\x\"", 1, 3, "invalid escape sequence in string"),
        ("\"\\u12G4\"", 1, 6, "expected 4 hex digits after \\u"),
        ("\"\\ud800\"", 1, 2, "lone high surrogate escape in string"),
        ("\"\\ud800\\u0041\"", 1, 2, "lone high surrogate escape in string"),
        ("\"x\\udc00\"", 1, 3, "lone low surrogate escape in string"),
        ("\u{FEFF}1", 1, 1, "byte order mark is not allowed"),
        ("[\"é\", é]", 1, 7, "expected a JSON value"),
    ]

    @Test(arguments: 0..<cases.count)
    func reportsPosition(_ i: Int) throws {
        let (input, line, column, message) = JSONParseErrorTests.cases[i]
        let error = try #require(parseError(input), "should fail: \(input)")
        #expect(error.message == message, "input: \(input)")
        #expect(error.line == line, "input: \(input)")
        #expect(error.column == column, "input: \(input)")
        #expect(error.description == "line \(line), column \(column): \(message)")
    }

    @Test func invalidUTF8IsRejected() throws {
        let inputs: [[UInt8]] = [
            [0x22, 0xFF, 0x22],  // invalid byte
            [0x22, 0xC3, 0x22],  // truncated sequence
            [0x22, 0xC0, 0xAF, 0x22],  // overlong '/'
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // encoded surrogate
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
            [0x22, 0x61, 0x5C, 0x6E, 0x80, 0x22],  // after an escape (slow path)
        ]
        for bytes in inputs {
            do {
                _ = try JSONValue(parsing: bytes)
                Issue.record("accepted invalid UTF-8 \(bytes)")
            } catch {
                #expect(error.message == "invalid UTF-8 in string")
                #expect(error.offset == bytes.firstIndex { $0 >= 0x80 })
            }
        }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x5B, 0xC3, 0xA9, 0x5D]) }
    }

    @Test func byteOffsetsAndScalarColumns() throws {
        let error = try #require(parseError("[\"ééé\" 1]"))
        #expect(error.offset == 10)  // bytes: [ " é é é " space 1
        #expect(error.column == 8)  // scalars
    }
}
