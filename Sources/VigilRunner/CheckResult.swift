import VigilCore
import VigilJSON
import VigilYAML

/// One check the runner made of a response, passed or not: data (what, where, expected,
/// found, outcome), put into words only by the reporters.
public struct CheckResult: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The status code (`expect.status`, or "below 400" when none is given).
        case status
        /// A header, by its selector as written (`Set-Cookie[any]`).
        case header(String)
        /// That the body is JSON, before any body check can be made.
        case json
        /// A body query as written (`result.id`); `location` is the value's normalized path.
        case body(String, location: String?)
        /// Response time in milliseconds.
        case duration
        /// A capture into the named variable.
        case capture(String)
        /// `retry.failWhen` reached its terminal state.
        case failWhen
        /// The body against a JSON Schema (`expect.schema`), by the schema's name.
        case schema(String)
        /// The response against its operation in the run's OpenAPI description (`GET /cameras/{id}`).
        case openAPI(String)
        /// The body as text (`expect.text`).
        case text
        /// A cookie the response set, by its selector as written (`session.secure`).
        case cookie(String)
        /// An XPath expression on an XML or HTML body, as written.
        case xpath(String)
    }

    public enum Outcome: Sendable, Hashable {
        case passed
        case failed
        /// Not made, with the reason (a release gate).
        case notChecked(String)
    }

    public var kind: Kind
    /// Where the check is written (nil for the implicit status check).
    public var mark: Mark?
    /// The expectation in words, placeholders resolved: `201`, `to match /^a/`, `below 400`.
    public var expected: String
    /// What was found, as a short excerpt: `"Success"`, `(absent)`, `an array of 500 values`.
    public var actual: String
    public var outcome: Outcome

    public init(_ kind: Kind, mark: Mark?, expected: String, actual: String, outcome: Outcome) {
        self.kind = kind
        self.mark = mark
        self.expected = expected
        self.actual = actual
        self.outcome = outcome
    }

    public var passed: Bool { outcome == .passed }
    public var failed: Bool { outcome == .failed }

    /// What was checked, for one-line messages: `status`, `header Location`, `$['data']['state']`.
    public var subject: String {
        switch kind {
        case .status: "status"
        case .header(let h): "header \(h)"
        case .json: "body"
        case .body(let written, let location): location ?? written
        case .duration: "duration (ms)"
        case .capture(let name): "capture \(name)"
        case .failWhen: "retry"
        case .schema(let name): "body against \(name)"
        case .openAPI(let operation): "response against OpenAPI \(operation)"
        case .text: "body text"
        case .cookie(let c): "cookie \(c)"
        case .xpath(let x): "xpath \(x)"
        }
    }

    public var description: String { "\(subject): expected \(expected), got \(actual)" }
}

extension JSONValue {
    /// A short text of a value for a check's result: scalars and small values in full (cut to
    /// 200 characters), large lists and objects by their size, so a passed check costs little.
    var checkExcerpt: String {
        switch self {
        case .array(let items) where items.count > 16: "an array of \(items.count) values"
        case .object(let members) where members.count > 16: "an object of \(members.count) members"
        default: excerpt
        }
    }
}
