// String values for `JSONParser`: short ones inline, long ones as `String`s, the rest in chunks.
extension JSONParser {
    /// String values longer than this are `String`s of their own (the header is small beside
    /// them); shorter ones, from 16 bytes, go into the document's chunks.
    static let chunkedStringLimit = 256
    /// The most bytes a chunk holds (a value kept after its document keeps its chunk alive).
    static let chunkCapacity = 16 * 1024

    /// Parses a string value starting at the opening quote.
    mutating func parseStringValue() throws(JSONParseError) -> JSONString {
        if let range = try scanString() { return stringValue(UnsafeBufferPointer(rebasing: bytes[range])) }
        let decoded = scratch
        return decoded.withUnsafeBufferPointer { stringValue($0) }
    }

    /// The value for `text`: up to 15 bytes a `String` stored inline, 16 to 64 bytes shared with
    /// an earlier equal value when there was one, up to ``chunkedStringLimit`` in a chunk.
    private mutating func stringValue(_ text: UnsafeBufferPointer<UInt8>) -> JSONString {
        let count = text.count
        guard count > 15, count <= JSONParser.chunkedStringLimit else { return JSONString(String(decoding: text, as: UTF8.self)) }
        guard count <= 64 else { return chunked(text) }
        let hash = JSONParser.hash(text)
        if let known = internedValues[hash] {
            if known.withUTF8({ bytesEqual($0, text) }) { return known }
            return chunked(text)
        }
        let value = chunked(text)
        if internedValues.count < JSONParser.internLimit { internedValues[hash] = value }
        return value
    }

    /// `text` copied into the current chunk, or a new one when it does not fit. A new chunk is
    /// no larger than what is left of the document can fill.
    private mutating func chunked(_ text: UnsafeBufferPointer<UInt8>) -> JSONString {
        if chunk == nil || chunk!.capacity - chunk!.used < text.count {
            chunk = JSONTextChunk(capacity: min(JSONParser.chunkCapacity, text.count + (end - pos)))
        }
        let offset = chunk!.append(text)
        return JSONString(chunk: chunk!, offset: offset, count: text.count)
    }

    /// FNV-1a of `text`.
    @inline(__always)
    static func hash(_ text: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        return hash
    }
}
