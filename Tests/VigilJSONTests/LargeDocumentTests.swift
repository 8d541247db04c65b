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
        #expect(object.index == nil)
        #expect(object["key30"] == .int(30))
        let large = "{" + (0..<100).map { "\"key\($0)\":\($0)" }.joined(separator: ",") + "}"
        let big = try #require(try JSONValue(parsing: Array(large.utf8)).objectValue)
        #expect(big.index != nil)
        #expect(big["key99"] == .int(99))
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
