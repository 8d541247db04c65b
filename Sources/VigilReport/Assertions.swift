import VigilCore
import VigilRunner

/// One check of a request, in plain words, with its result.
public struct AssertionRecord: Sendable {
    /// What is checked, in words: `status`, `header Content-Type`, `duration (ms)`, `capture`.
    public var subjectWords: String
    /// The part of the subject in code style: a body query as written, a capture's name.
    public var subjectCode: String?
    /// What is checked: `status`, `header Content-Type`, `` `result.name` ``, `duration (ms)`, `` capture `id` ``.
    public var subject: String { [subjectWords, subjectCode.map { "`\($0)`" } ?? ""].filter { !$0.isEmpty }.joined(separator: " ") }
    /// The expectation in words, placeholders resolved: `is 201`, `is expected to match /…/`.
    public var expectation: String
    /// nil: not checked (the request was skipped, got no response, or a release gate skipped it).
    public var passed: Bool?
    /// What was found (for a check that was made).
    public var actual: String?

    /// `status is 201`.
    public var sentence: String { "\(subject) \(expectation)" }
}

/// Puts a request's checks into words: the typed ``CheckResult``s the runner made, or, for a
/// request that got no response (skipped, or a transport error), its expectations as written,
/// marked not checked.
public enum Assertions {
    public static func list(_ r: RequestRecord) -> [AssertionRecord] {
        if !r.checks.isEmpty {
            return r.checks.map { c in
                let passed: Bool? =
                    switch c.outcome {
                    case .passed: true
                    case .failed: false
                    case .notChecked: nil
                    }
                let expectation = if case .capture = c.kind, passed == true { "from \(c.expected)" } else { words(c.expected) }
                let subject = subject(c.kind)
                return AssertionRecord(
                    subjectWords: subject.words, subjectCode: subject.code, expectation: expectation, passed: passed,
                    actual: passed == nil ? nil : c.actual)
            }
        }
        return r.written?.expectations ?? r.spec.map { expectations($0.expect) } ?? []
    }

    /// Expectations as written, in words, not checked.
    static func expectations(_ e: Expectations) -> [AssertionRecord] {
        var out: [AssertionRecord] = []
        func add(_ subject: String, code: String? = nil, _ words: String) {
            out.append(AssertionRecord(subjectWords: subject, subjectCode: code, expectation: words, passed: nil, actual: nil))
        }
        switch e.status {
        case .codes(let c)?: add("status", "is \(StatusExpectation.codes(c).summary)")
        case .classes(let c)?: add("status", "is \(StatusExpectation.classes(c).summary)")
        case .matcher(let m)?: add("status", words(m.summary))
        case nil: add("status", "is below 400")
        }
        for h in e.headers { add("header \(h.name)", words(h.matcher.summary)) }
        for b in e.body { add("", code: b.path.text, words(b.matcher.summary)) }
        if let d = e.durationMs { add("duration (ms)", words(d.summary)) }
        if let s = e.schema { add("body against", code: s.name, "conforms") }
        if let t = e.text { add("body text", words(t)) }
        for c in e.cookies { add("cookie", code: c.selector.description, words(c.matcher)) }
        for x in e.xpath { add("xpath", code: x.expression, words(x.matcher)) }
        return out
    }

    /// The subject as reports show it: words, and body queries as written (code style).
    static func subject(_ kind: CheckResult.Kind) -> (words: String, code: String?) {
        switch kind {
        case .status: ("status", nil)
        case .header(let h): ("header \(h)", nil)
        case .json: ("body", nil)
        case .body(let written, _): ("", written)
        case .duration: ("duration (ms)", nil)
        case .capture(let name): ("capture", name)
        case .failWhen: ("retry", nil)
        case .schema(let name): ("body against", name)
        case .openAPI(let operation): ("response against OpenAPI", operation)
        case .text: ("body text", nil)
        case .cookie(let c): ("cookie", c)
        case .xpath(let x): ("xpath", x)
        }
    }

    /// An expectation in words: `is "Success"`, `is expected to match /^…$/`, `exists`, `has length 1`.
    public static func words(_ expected: String) -> String {
        switch true {
        case expected == "a value": return "exists"
        case expected == "no value": return "is absent"
        case expected.hasPrefix("to "), expected.hasPrefix("not to "): return "is expected \(expected)"
        case expected.hasPrefix("length "): return "has \(expected)"
        case expected.hasPrefix("below "): return "is \(expected.replacing(" (no status expected)", with: ""))"
        default: return "is \(expected)"
        }
    }

    /// A matcher in words, as written (placeholders kept).
    public static func words(_ m: Matcher) -> String {
        if case .equals(let t) = m { return "is \(t.summary)" }
        return words(m.summary)
    }
}
