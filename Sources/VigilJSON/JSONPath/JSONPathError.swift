/// A JSONPath syntax or type error, reported when the query is compiled.
public struct JSONPathError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 0-based offset into the query text as the user wrote it, counted in Unicode
    /// scalars (the same as characters for ASCII and precomposed text).
    public var offset: Int
    /// What is wrong, e.g. "expected ']' or ',' in bracketed selection".
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    /// "offset N: message"
    public var description: String { "offset \(offset): \(message)" }
}
