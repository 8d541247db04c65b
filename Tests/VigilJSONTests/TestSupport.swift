import Testing
@testable import VigilJSON

/// Parses JSON test fixtures; a broken fixture fails the test that uses it.
func json(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: text)
}

/// `query` applied to `document`, as (normalized path, compact JSON) pairs.
func run(_ query: String, _ document: String) throws -> [Pair] {
    let path = try JSONPath(query)
    return path.select(try json(document)).map { Pair($0.path.description, $0.value.serialized()) }
}

/// Values only, as compact JSON, in order.
func values(_ query: String, _ document: String) throws -> [String] {
    try JSONPath(query).select(try json(document)).map { $0.value.serialized() }
}

/// A normalized path and a value, both as text, for readable failures.
struct Pair: Equatable, CustomStringConvertible {
    var path: String
    var value: String
    init(_ path: String, _ value: String) {
        self.path = path
        self.value = value
    }
    var description: String { "\(path) => \(value)" }
}

/// The error thrown when compiling `query`, or nil if it compiles.
func pathError(_ query: String) -> JSONPathError? {
    do {
        _ = try JSONPath(query)
        return nil
    } catch {
        return error
    }
}

/// The error thrown when parsing `text` as JSON, or nil if it parses.
func parseError(_ text: String) -> JSONParseError? {
    do {
        _ = try JSONValue(parsing: text)
        return nil
    } catch {
        return error
    }
}
