/// The text of a JSON string value: a Swift `String`, or bytes kept in a chunk of text that
/// the parser shares between the strings of one document.
///
/// A native `String` longer than 15 bytes is an allocation of its own (a 32-byte header, the
/// bytes, rounded up to 16, and malloc's own 8): a 27-byte id costs 80 bytes. The parser
/// instead copies strings of 16 to ``JSONParser/chunkedStringLimit`` bytes into chunks of at
/// most 16 KiB (no header a string), so a document of small objects with unique ids and names
/// costs a third less. A value kept after its document (a capture, say) keeps its chunk, at most
/// 16 KiB, alive, never the document or its body.
///
/// Equality, hashing and order are by Unicode scalars (UTF-8 bytes), as JSON requires.
/// ``string`` gives the text as a `String` (for a chunked string, a new one each time).
public struct JSONString: Sendable {
    @usableFromInline enum Storage: Sendable {
        case native(String)
        case chunk(JSONTextChunk, offset: UInt32, count: UInt32)
    }

    @usableFromInline let storage: Storage

    /// A string value of `text`.
    @inlinable public init(_ text: String) { storage = .native(text) }

    init(chunk: JSONTextChunk, offset: Int, count: Int) {
        storage = .chunk(chunk, offset: UInt32(truncatingIfNeeded: offset), count: UInt32(truncatingIfNeeded: count))
    }

    /// The text.
    public var string: String {
        switch storage {
        case .native(let s): return s
        case .chunk(let chunk, let offset, let count):
            return chunk.withBytes(offset: Int(offset), count: Int(count)) { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// The number of UTF-8 bytes.
    public var utf8Count: Int {
        switch storage {
        case .native(let s): return s.utf8.count
        case .chunk(_, _, let count): return Int(count)
        }
    }

    /// Calls `body` with the UTF-8 bytes (valid for the call only).
    public func withUTF8<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        switch storage {
        case .native(let s):
            var s = s
            let result: Result<R, E> = s.withUTF8 { bytes in
                do throws(E) { return .success(try body(bytes)) } catch { return .failure(error) }
            }
            return try result.get()
        case .chunk(let chunk, let offset, let count):
            let result: Result<R, E> = chunk.withBytes(offset: Int(offset), count: Int(count)) { bytes in
                do throws(E) { return .success(try body(bytes)) } catch { return .failure(error) }
            }
            return try result.get()
        }
    }

    /// Whether the text is `other`, by Unicode scalars.
    public func hasText(_ other: String) -> Bool {
        if case .native(let s) = storage { return scalarsEqual(s, other) }
        var other = other
        return other.withUTF8 { b in withUTF8 { a in bytesEqual(a, b) } }
    }
}

extension JSONString: Hashable {
    public static func == (lhs: JSONString, rhs: JSONString) -> Bool {
        if case .native(let a) = lhs.storage, case .native(let b) = rhs.storage { return scalarsEqual(a, b) }
        guard lhs.utf8Count == rhs.utf8Count else { return false }
        return lhs.withUTF8 { a in rhs.withUTF8 { b in bytesEqual(a, b) } }
    }

    /// The same hash as `hashScalars` gives the `String` of the same text.
    public func hash(into hasher: inout Hasher) {
        withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(utf8Count)
    }
}

extension JSONString: Swift.Comparable {
    /// Orders by Unicode scalar values (UTF-8 byte order).
    public static func < (lhs: JSONString, rhs: JSONString) -> Bool {
        lhs.withUTF8 { a in rhs.withUTF8 { b in a.lexicographicallyPrecedes(b) } }
    }
}

extension JSONString: ExpressibleByStringLiteral, CustomStringConvertible, CustomDebugStringConvertible {
    public init(stringLiteral value: String) { self.init(value) }
    /// The text itself.
    public var description: String { string }
    public var debugDescription: String { string.debugDescription }
}

/// A chunk of string text shared by the strings of one parsed document: written by the parser
/// only (past every string already handed out), read-only once the parse returns.
@usableFromInline final class JSONTextChunk: @unchecked Sendable {
    private let bytes: UnsafeMutablePointer<UInt8>
    let capacity: Int
    private(set) var used = 0

    init(capacity: Int) {
        self.capacity = capacity
        bytes = .allocate(capacity: capacity)
    }

    deinit { bytes.deallocate() }

    /// Appends `text` (which must fit) and returns its offset.
    func append(_ text: UnsafeBufferPointer<UInt8>) -> Int {
        let offset = used
        (bytes + offset).initialize(from: text.baseAddress!, count: text.count)
        used += text.count
        return offset
    }

    func withBytes<R>(offset: Int, count: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        body(UnsafeBufferPointer(start: bytes + offset, count: count))
    }
}
