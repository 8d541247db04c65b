import Testing

@testable import VigilJSON

/// String values of a parsed document: kept in shared chunks of text from 16 bytes, equal to
/// the same text made from a `String` whatever their storage, and the start of a large
/// document printed without printing all of it.
@Suite struct StringStorageTests {
    /// One string of every storage: inline (≤ 15 bytes), shared (16–64, repeated), chunked
    /// (16–64 unique, and up to 256), a `String` of its own (longer), with escapes, non-ASCII.
    static let texts: [String] = [
        "", "short", "fifteen bytes!!", "sixteen bytes!!!", "2025-06-11T08:00:00.0000000Z",
        "object-1000001-a1b2c3d4e5f6", String(repeating: "x", count: 64), String(repeating: "y", count: 65),
        String(repeating: "z", count: 256), String(repeating: "w", count: 257), String(repeating: "long ", count: 1000),
        "quote \" and backslash \\ and a tab \t in a long one", "é and ü and 💡 beyond sixteen bytes", "line\nbreak",
    ]

    static func document(_ texts: [String]) -> String {
        "[" + texts.map { JSONValue.string($0).serialized() }.joined(separator: ",") + "]"
    }

    @Test func parsedStringsHaveTheirTextWhateverTheirStorage() throws {
        let twice = Self.texts + Self.texts
        let parsed = try #require(try JSONValue(parsing: Array(Self.document(twice).utf8)).arrayValue)
        #expect(parsed.count == twice.count)
        for (value, text) in zip(parsed, twice) {
            #expect(value.stringValue == text)
            #expect(value == .string(text))
            #expect(value.hashValue == JSONValue.string(text).hashValue)
            guard case .string(let s) = value else { continue }
            #expect(s.utf8Count == text.utf8.count)
            #expect(s.hasText(text) && s.description == text)
            #expect(s.withUTF8 { Array($0) } == Array(text.utf8))
        }
        // The document prints as it was written, and parses to an equal value again.
        let whole = try JSONValue(parsing: Self.document(twice))
        #expect(whole.serialized() == Self.document(twice))
        #expect(try JSONValue(parsing: whole.serialized()) == whole)
        #expect(whole == .array(twice.map(JSONValue.string)))
    }

    @Test func longStringsShareChunksAndRepeatedOnesShareText() throws {
        let ids = (0..<1000).map { "object-\(1_000_000 + $0)-a1b2c3d4e5f6" }
        let texts = ids.flatMap { [$0, "2025-06-11T08:00:00.0000000Z", "tiny"] }
        let parsed = try #require(try JSONValue(parsing: Array(Self.document(texts).utf8)).arrayValue)
        var chunks: [ObjectIdentifier: JSONTextChunk] = [:]
        var dates: Set<String> = []
        for (i, value) in parsed.enumerated() {
            guard case .string(let s) = value else { Issue.record("not a string: \(value)"); continue }
            switch (i % 3, s.storage) {
            case (0, .chunk(let chunk, _, _)): chunks[ObjectIdentifier(chunk)] = chunk
            case (1, .chunk(let chunk, let offset, _)): dates.insert("\(ObjectIdentifier(chunk)) \(offset)")
            case (2, .native): break
            default: Issue.record("string \(i) stored as \(s.storage)")
            }
        }
        // 27 KB of ids in chunks of at most 16 KiB each, the repeated date stored once.
        #expect(chunks.count == 2 && dates.count == 1)
        #expect(chunks.values.allSatisfy { $0.capacity <= JSONParser.chunkCapacity })
        #expect(parsed == texts.map(JSONValue.string))
    }

    @Test func aSmallDocumentsChunkIsNoLargerThanTheDocument() throws {
        let text = #"{"id":"0b4a2cce-de2b-415c-afe3-968f4b28cccd","name":"A rather long object name"}"#
        let object = try #require(try JSONValue(parsing: Array(text.utf8)).objectValue)
        guard case .string(let id)? = object["id"], case .chunk(let chunk, _, _) = id.storage else {
            Issue.record("the id is not in a chunk"); return
        }
        #expect(chunk.capacity < text.utf8.count)
        #expect(object["name"] == "A rather long object name")
    }

    @Test func aValueOutlivesItsDocument() throws {
        func lastId() throws -> JSONValue? {
            let text = Self.document((0..<100).map { "an id long enough to be chunked \($0)" })
            return try JSONValue(parsing: Array(text.utf8))[-1]
        }
        let kept = try #require(try lastId())
        #expect(kept.stringValue == "an id long enough to be chunked 99")
        #expect(kept.interpolationText == "an id long enough to be chunked 99")
    }

    @Test func stringsOrderByUnicodeScalars() throws {
        let a = try #require(try JSONValue(parsing: #"["an a-string long enough to chunk","an b-string long enough to chunk"]"#).arrayValue)
        guard case .string(let x) = a[0], case .string(let y) = a[1] else { Issue.record("not strings"); return }
        #expect(x < y && !(y < x) && x != y)
        #expect(JSONString("é") > JSONString("z") && JSONString("é") == "é")
    }

    @Test func thePrefixOfALargeDocumentIsTheStartOfItsText() throws {
        let big = try JSONValue(parsing: Self.document((0..<10_000).map { "element number \($0) of many" }))
        let whole = big.serialized()
        let (start, complete) = big.serializedPrefix(bytes: 300)
        #expect(!complete)
        #expect(start.utf8.count > 300 && start.utf8.count < 400)
        #expect(whole.hasPrefix(start.dropLast()), "the text up to a string cut short")
        let small: JSONValue = ["a": 1, "b": [true, nil, "text"]]
        #expect(small.serializedPrefix(bytes: 300) == (small.serialized(), true))
        #expect(small.serializedPrefix(bytes: small.serialized().utf8.count) == (small.serialized(), true))
        // A long string is cut where a character starts, never inside one.
        let accents = JSONValue.string(String(repeating: "é", count: 10_000))
        let cut = accents.serializedPrefix(bytes: 101)
        #expect(!cut.isComplete && !cut.text.contains("\u{FFFD}"))
        #expect(cut.text.hasPrefix("\"" + String(repeating: "é", count: 50)))
    }
}
