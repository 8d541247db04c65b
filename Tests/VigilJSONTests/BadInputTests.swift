import Testing
@testable import VigilJSON

/// Hostile response bodies and queries beyond JSONParserTests / JSONParseErrorTests (which cover
/// plain deep nesting and invalid UTF-8 inside strings): a clear error or a value, never a crash.
@Suite struct BadInputTests {
    @Test func deepNestingOfMixedContainersIsAnError() throws {
        let deep = String(repeating: "[{\"a\":", count: 300) + "1" + String(repeating: "}]", count: 300)
        #expect(parseError(deep)?.message == "nesting deeper than 512 levels")
    }

    @Test func nestingAtTheLimitParsesAndPrints() throws {
        let limit = JSONValue.maximumNestingDepth
        let text = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        let value = try JSONValue(parsing: text)
        #expect(value.serialized() == text)
    }

    @Test func aHugeStringParses() throws {
        let text = "{\"s\":\"" + String(repeating: "é", count: 4 * 1024 * 1024) + "\"}"
        let value = try JSONValue(parsing: text)
        guard case .object(let o) = value, case .string(let s)? = o["s"] else {
            Issue.record("not an object with a string"); return
        }
        #expect(s.utf8Count == 8 * 1024 * 1024)
    }

    @Test func aNumberWithAMillionDigitsIsAClearError() throws {
        let digits = String(repeating: "9", count: 1_000_000)
        #expect(parseError(digits)?.message == "number is too large")
        #expect(parseError("[1, -" + digits + "]")?.message == "number is too large")
    }

    @Test(arguments: [
        [UInt8]([0xFF]),  // not UTF-8 at all
        [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3],  // a string cut inside a multi-byte sequence
        [0x5B, 0x31, 0x2C, 0xC0, 0xAF, 0x5D],  // an overlong form between values
        [0xEF, 0xBB, 0xBF, 0xFE, 0xFF],  // a BOM, then garbage
    ])
    func invalidUTF8OutsideStringsIsAnError(bytes: [UInt8]) throws {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: bytes) }
    }

    @Test func aHugeJSONPathNameParses() throws {
        let name = String(repeating: "n", count: 1024 * 1024)
        let path = try JSONPath("$['\(name)']")
        #expect(path.select(.object([:])).isEmpty)
    }

    @Test func deeplyNestedBracketsInAJSONPathAreAnError() throws {
        let query = "$" + String(repeating: "[?", count: 10_000)
        #expect(throws: JSONPathError.self) { try JSONPath(query) }
    }
}
