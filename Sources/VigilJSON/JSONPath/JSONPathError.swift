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

/// A query that visited more nodes than its budget allows (``JSONPath/select(_:budget:)``).
public struct JSONPathBudgetExceeded: Error, Sendable, Equatable, CustomStringConvertible {
    public var query: String
    public var budget: Int

    public var description: String {
        "the JSONPath query \(query) gave up after visiting \(budget) nodes (descendant segments inside filters grow with the square of the document); make it narrower"
    }
}
