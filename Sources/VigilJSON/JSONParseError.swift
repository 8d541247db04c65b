/// A JSON syntax error with its position.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 0-based byte offset into the UTF-8 input.
    public var offset: Int
    /// 1-based line number (lines end at "\n").
    public var line: Int
    /// 1-based column, counted in Unicode scalars from the start of the line.
    public var column: Int
    /// What went wrong, e.g. "expected ',' or '}' after object member".
    public var message: String

    public init(offset: Int, line: Int, column: Int, message: String) {
        self.offset = offset
        self.line = line
        self.column = column
        self.message = message
    }

    /// "line L, column C: message"
    public var description: String { "line \(line), column \(column): \(message)" }
}
