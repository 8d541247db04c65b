import Testing

@testable import VigilJSON

/// What keeps a large document small: repeated strings shared, no index on ordinary objects,
/// pretty text written in chunks of whole lines.
@Suite struct LargeDocumentTests {
    static let camera = #"{"recordOnRelatedDevices":true,"lastModified":"2025-06-11T08:00:00.0000000Z","id":"ID"}"#

    @Test func repeatedLongStringsAreParsedEqual() throws {
        let text = "[" + (0..<100).map { Self.camera.replacing("ID", with: "id-\($0)-0000-0000-0000-000000000000") }.joined(separator: ",") + "]"
        let doc = try JSONValue(parsing: Array(text.utf8))
        let items = doc.arrayValue ?? []
        #expect(items.count == 100)
        for (i, item) in items.enumerated() {
            #expect(item["recordOnRelatedDevices"] == .bool(true))
            #expect(item["lastModified"] == .string("2025-06-11T08:00:00.0000000Z"))
            #expect(item["id"] == .string("id-\(i)-0000-0000-0000-000000000000"))
        }
        // More distinct long strings than the parser remembers still parse right.
        let many = "[" + (0..<(JSONParser.internLimit + 50)).map { "\"a-long-string-number-\($0)\"" }.joined(separator: ",") + "]"
        let values = try #require(try JSONValue(parsing: Array(many.utf8)).arrayValue)
        #expect(values.last == .string("a-long-string-number-\(JSONParser.internLimit + 49)"))
    }

    @Test func ordinaryObjectsHaveNoIndexButLargeOnesDo() throws {
        let thirty = "{" + (0..<31).map { "\"key\($0)\":\($0)" }.joined(separator: ",") + "}"
        let object = try #require(try JSONValue(parsing: Array(thirty.utf8)).objectValue)
        #expect(object.shape.index == nil)
        #expect(object["key30"] == .int(30))
        let large = "{" + (0..<100).map { "\"key\($0)\":\($0)" }.joined(separator: ",") + "}"
        let big = try #require(try JSONValue(parsing: Array(large.utf8)).objectValue)
        #expect(big.shape.index != nil)
        #expect(big["key99"] == .int(99))
    }

    @Test func siblingsWithTheSameKeysShareThemAndStayApartWhenChanged() throws {
        let text = #"[{"a":1,"b":{"x":1}},{"a":2,"b":{"x":2}},{"b":3,"a":3},{"a":4,"b":4,"a":5}]"#
        let items = try #require(try JSONValue(parsing: Array(text.utf8)).arrayValue).compactMap(\.objectValue)
        #expect(items.count == 4)
        #expect(items[0].shape === items[1].shape)
        #expect(items[1].shape !== items[2].shape)
        #expect(items[2].keys == ["b", "a"])
        // A duplicate key keeps its first position and its last value.
        #expect(items[3].keys == ["a", "b"] && items[3]["a"] == .int(5))
        #expect(items[0]["b"]?["x"] == .int(1) && items[1]["b"]?["x"] == .int(2))
        #expect(items[0] != items[1])
        #expect(items[2] == JSONObject([("a", .int(3)), ("b", .int(3))]))
        // Changing one object's keys leaves its siblings' alone.
        var changed = items[0]
        changed["c"] = .int(9)
        changed["a"] = nil
        #expect(changed.keys == ["b", "c"] && changed["c"] == .int(9) && changed["a"] == nil)
        #expect(items[0].keys == ["a", "b"] && items[1].keys == ["a", "b"] && items[1]["a"] == .int(2))
        var grown = JSONObject()
        for i in 0..<100 { grown["k\(i)"] = .int(Int64(i)) }
        #expect(grown.count == 100 && grown["k99"] == .int(99) && grown.shape.index != nil)
        #expect(Array(grown.values.prefix(2)) == [.int(0), .int(1)])
    }

    @Test func prettyTextInChunksIsTheSameText() throws {
        let doc = try JSONValue(parsing: Array(("[" + (0..<50).map { _ in Self.camera }.joined(separator: ",") + "]").utf8))
        var chunks: [[UInt8]] = []
        doc.writePretty(chunkSize: 100) { chunks.append($0) }
        #expect(chunks.count > 10)
        #expect(String(decoding: chunks.joined(), as: UTF8.self) == doc.serialized(pretty: true))
        // Each chunk but the last ends where a line ends.
        for chunk in chunks.dropLast() { #expect(chunk.last.map { $0 != UInt8(ascii: "\n") } == true) }
        for chunk in chunks.dropFirst() { #expect(chunk.first == UInt8(ascii: "\n")) }
    }
}
