import Testing
@testable import VigilYAML

/// Hostile YAML beyond YAMLLoaderTests (which covers the node-count alias bomb, deep flow
/// nesting and invalid UTF-8 in a value): each is refused with a positioned error, never a
/// crash, and the loader's memory stays within its budgets.
@Suite struct BadInputTests {
    @Test func aLongScalarRepeatedByAliasesIsStoppedByTheTextBudget() throws {
        // 100 aliases of a 1 MB scalar: a few hundred nodes, so only the text budget sees it.
        var loader = YAMLLoader()
        loader.maxTextBytes = 8 * 1024 * 1024
        let text =
            "big: &big " + String(repeating: "x", count: 1024 * 1024) + "\ncopies: [" + Array(repeating: "*big", count: 100).joined(separator: ", ") + "]\n"
        let error = try #require(throws: YAMLError.self) { try loader.load(text, file: "bomb.yaml") }
        #expect(error.message == "document grows past 8388608 bytes of text once aliases are expanded (an alias bomb?)")
        #expect(error.mark.line == 2)
    }

    @Test func aMappingRepeatedByAliasesCountsItsText() throws {
        var loader = YAMLLoader()
        loader.maxTextBytes = 1024 * 1024
        let text =
            "r: &r { GET: \"http://x/" + String(repeating: "p", count: 64 * 1024) + "\" }\nrequests: ["
            + Array(repeating: "*r", count: 20).joined(separator: ", ") + "]\n"
        let error = try #require(throws: YAMLError.self) { try loader.load(text, file: "bomb.yaml") }
        #expect(error.message.contains("bytes of text once aliases are expanded"))
    }

    @Test func aHugeScalarIsRejectedWithItsSize() throws {
        var loader = YAMLLoader()
        loader.maxTextBytes = 1024 * 1024
        let text = "body: |\n  " + String(repeating: "y", count: 2 * 1024 * 1024) + "\n"  // with its final newline
        let error = try #require(throws: YAMLError.self) { try loader.load(text, file: "huge.yaml") }
        #expect(error.message == "a scalar of 2097153 bytes is larger than the limit of 1048576 bytes")
        #expect(error.description.hasPrefix("huge.yaml:1:7: "))
    }

    @Test func aLargeScalarWithinTheBudgetLoads() throws {
        let text = "body: " + String(repeating: "z", count: 4 * 1024 * 1024) + "\n"
        let root = try #require(try YAMLLoader().load(text, file: "large.yaml"))
        #expect(root["body"]?.scalar?.text.utf8.count == 4 * 1024 * 1024)
    }

    @Test func deepBlockNestingIsAnErrorNotAStackOverflow() throws {
        // Block style (the existing test uses flow brackets): each level one more indent.
        var text = ""
        for depth in 0..<300 { text += String(repeating: " ", count: depth) + "k:\n" }
        let error = try #require(throws: YAMLError.self) { try YAMLLoader().load(text, file: "deep.yaml") }
        #expect(error.message == "nesting deeper than 256 levels")
    }

    @Test(arguments: [
        [UInt8]([0x61, 0x3A, 0x20, 0xC3]),  // a multi-byte sequence cut by the end of the file
        [0x61, 0x3A, 0x20, 0xC0, 0xAF, 0x0A],  // an overlong encoding of '/'
        [0xED, 0xA0, 0x80, 0x3A, 0x20, 0x31, 0x0A],  // a UTF-16 surrogate as a key
        [0x61, 0x3A, 0x20, 0x22, 0xF8, 0x88, 0x80, 0x80, 0x80, 0x22, 0x0A],  // a five-byte form, quoted
    ])
    func invalidUTF8AnywhereIsAnErrorWithAPosition(bytes: [UInt8]) throws {
        var input = bytes
        let error = try #require(throws: YAMLError.self) { try YAMLLoader().load(bytes: &input, file: "u.yaml") }
        #expect(error.mark.line == 1)
        let message = error.message.lowercased()
        #expect(message.contains("utf-8") || message.contains("invalid unicode"), "\(error)")
    }

    @Test func aNULByteIsAnError() throws {
        var input = Array("a: 1\nb: x".utf8) + [0] + Array("y\n".utf8)
        let error = try #require(throws: YAMLError.self) { try YAMLLoader().load(bytes: &input, file: "nul.yaml") }
        #expect(error.mark.line == 2, "\(error)")
    }
}
