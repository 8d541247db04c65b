import VigilJSON

/// Why a schema could not be compiled or an instance could not be validated.
public enum SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The schema is malformed at `location` (a URI with a JSON pointer fragment).
    case invalidSchema(location: String, message: String)
    /// A `$ref` / `$dynamicRef` names nothing that could be found.
    case unresolvedReference(reference: String, location: String)
    /// A referenced document could not be loaded (unreadable, outside the root, not JSON).
    case loadFailed(uri: String, message: String)
    /// A `pattern` that may backtrack exponentially did not finish within ``RegexBudget/limit``.
    case patternTooSlow(pattern: String, keywordLocation: String)
    /// Evaluation nested deeper than the limit (a self-referencing schema or a very deep document).
    case depthLimitExceeded(limit: Int, instancePath: NormalizedPath, keywordLocation: String)

    public var description: String {
        switch self {
        case .invalidSchema(let location, let message): "invalid schema at \(location): \(message)"
        case .unresolvedReference(let reference, let location): "cannot resolve \"\(reference)\" at \(location)"
        case .loadFailed(let uri, let message): "cannot load \(uri): \(message)"
        case .patternTooSlow(let pattern, let location):
            "the pattern \(pattern) (schema \(location.isEmpty ? "#" : location)) did not finish within \(RegexBudget.limit.components.seconds)s "
                + "(a repeated group that repeats inside can take exponential time): not decided"
        case .depthLimitExceeded(let limit, let path, let location):
            "schema evaluation nested deeper than \(limit) levels at \(path) (schema \(location)): "
                + "a self-referencing schema or a too deeply nested document"
        }
    }
}

/// One way an instance breaks its schema.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// Where in the instance, e.g. `$['array'][0]['id']`.
    public var instancePath: NormalizedPath
    /// The failing keyword as a JSON pointer into its schema document, e.g. `/properties/id/type`.
    public var keywordLocation: String
    /// The schema document holding the keyword (absolute URI).
    public var schemaURI: String
    /// What is wrong, e.g. "expected integer, found string".
    public var message: String
    /// The offending value.
    public var value: JSONValue

    public init(instancePath: NormalizedPath, keywordLocation: String, schemaURI: String, message: String, value: JSONValue) {
        self.instancePath = instancePath
        self.keywordLocation = keywordLocation
        self.schemaURI = schemaURI
        self.message = message
        self.value = value
    }

    /// "$['id']: expected integer, found string (/properties/id/type)"
    public var description: String { "\(instancePath): \(message) (\(keywordLocation))" }
}

/// The outcome of validating one instance: the first violations up to the cap, and how many there were.
public struct SchemaValidationResult: Sendable, Hashable {
    /// The violations found, at most the cap given to `validate`.
    public var violations: [SchemaViolation]
    /// All violations found, including those beyond the cap.
    public var totalCount: Int

    public var isValid: Bool { totalCount == 0 }
}
