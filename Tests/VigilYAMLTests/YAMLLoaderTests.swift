import Testing
@testable import VigilYAML

@Suite struct YAMLLoaderTests {
    let loader = YAMLLoader()

    func load(_ text: String) throws -> YAMLNode {
        try #require(try loader.load(text, file: "t.yaml"))
    }

    @Test func marksAreOneBasedLineAndColumn() throws {
        let root = try load("name: demo\nrequests:\n  - GET: http://x\n")
        let requests = try #require(root["requests"])
        #expect(requests.mark == Mark(line: 3, column: 3))
        let first = try #require(requests.sequence?.first)
        #expect(first["GET"]?.mark == Mark(line: 3, column: 10))
        #expect(root.mapping?.map(\.key.scalar?.text) == ["name", "requests"])
    }

    @Test func quotedScalarsStayStrings() throws {
        let root = try load("a: \"123\"\nb: 123\nc: '1.5'\nd: 1.5\ne: true\nf: 'true'\ng: ~\nh: 0x1F\ni: !!str 7\n")
        #expect(root["a"]?.scalar?.resolved == .string("123"))
        #expect(root["b"]?.scalar?.resolved == .int(123))
        #expect(root["c"]?.scalar?.resolved == .string("1.5"))
        #expect(root["d"]?.scalar?.resolved == .double(1.5))
        #expect(root["e"]?.scalar?.resolved == .bool(true))
        #expect(root["f"]?.scalar?.resolved == .string("true"))
        #expect(root["g"]?.scalar?.resolved == .null)
        #expect(root["h"]?.scalar?.resolved == .int(31))
        #expect(root["i"]?.scalar?.resolved == .string("7"))
        #expect(root["a"]?.scalar?.style == .doubleQuoted)
    }

    @Test func flowAndBlockStyles() throws {
        let root = try load("x: {a: 1, b: [1, 2, {c: d}]}\ny: |\n  line one\n  line two\n")
        #expect(root["x"]?["b"]?.sequence?.count == 3)
        #expect(root["y"]?.scalar == YAMLScalar(text: "line one\nline two\n", style: .literal))
    }

    @Test func anchorsAndAliasesExpand() throws {
        let root = try load("base: &b {h: 1}\nuse: *b\n")
        #expect(root["use"]?["h"]?.scalar?.resolved == .int(1))
        #expect(root["use"]?.mark == Mark(line: 2, column: 6))
    }

    @Test func mergeKeysExplicitWins() throws {
        let root = try load("defaults: &d {a: 1, b: 2}\nother: &o {c: 3, a: 9}\nreq:\n  <<: [*d, *o]\n  b: 20\n")
        let req = try #require(root["req"]?.mapping)
        let values = Dictionary(uniqueKeysWithValues: req.map { ($0.key.scalar!.text, $0.value.scalar!.resolved) })
        #expect(values == ["a": .int(1), "b": .int(20), "c": .int(3)])
        #expect(req.map(\.key.scalar!.text) == ["a", "c", "b"])
    }

    @Test func duplicateKeyIsAnErrorNamingBothPlaces() {
        #expect(throws: YAMLError(file: "t.yaml", mark: Mark(line: 3, column: 1), message: "duplicate key 'a' (first at line 1, column 1)")) {
            try loader.load("a: 1\nb: 2\na: 3\n", file: "t.yaml")
        }
    }

    @Test func moreThanOneDocumentIsAnError() throws {
        let error = try #require(throws: YAMLError.self) { try loader.load("a: 1\n---\nb: 2\n", file: "t.yaml") }
        #expect(error.mark.line == 2)
        #expect(error.message.contains("more than one YAML document"))
    }

    @Test func syntaxErrorNamesFileLineColumn() throws {
        let error = try #require(throws: YAMLError.self) { try loader.load("a: 1\nb: [1, 2\nc: 3\n", file: "bad.yaml") }
        #expect(error.description.hasPrefix("bad.yaml:"))
        #expect(error.mark.line >= 2)
        #expect(error.message.contains("flow sequence"))
    }

    @Test func unknownAliasIsAnError() throws {
        let error = try #require(throws: YAMLError.self) { try loader.load("a: *nope\n", file: "t.yaml") }
        #expect(error.message.contains("nope"))
    }

    @Test func emptyFileHasNoDocument() throws {
        #expect(try loader.load("", file: "t.yaml") == nil)
        #expect(try loader.load("# only a comment\n", file: "t.yaml") == nil)
    }

    @Test func aliasBombIsStoppedWithinTheBudget() throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 {
            let prev = "*a\(i - 1)"
            text += "a\(i): &a\(i) [\(Array(repeating: prev, count: 10).joined(separator: ", "))]\n"
        }
        let error = try #require(throws: YAMLError.self) { try loader.load(text, file: "bomb.yaml") }
        #expect(error.message.contains("alias bomb"))
    }

    @Test func deepNestingIsAnError() throws {
        let text = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        let error = try #require(throws: YAMLError.self) { try loader.load(text, file: "deep.yaml") }
        #expect(error.message.contains("nesting deeper"))
    }

    @Test func invalidUTF8IsAReaderErrorWithPosition() throws {
        var bytes = Array("a: 1\nb: ".utf8) + [0xFF, 0xFE] + Array("\n".utf8)
        let error = try #require(throws: YAMLError.self) { try loader.load(bytes: &bytes, file: "u.yaml") }
        #expect(error.mark.line == 2)
        #expect(error.message.lowercased().contains("utf-8"))
    }
}
