import VigilCore
import VigilRunner

/// One check of a request, in plain words, with its result.
public struct AssertionRecord: Sendable {
    /// What is checked: `status`, `header Content-Type`, `result.name`, `duration`, `capture id`.
    public var subject: String
    /// The expectation in words, as written (placeholders kept): `is 201`, `is expected to match /…/`.
    public var expectation: String
    /// nil: not checked (the request was skipped, got no response, or a release gate skipped it).
    public var passed: Bool?
    /// What was found, for a failed check.
    public var actual: String?

    /// `status is 201`.
    public var sentence: String { "\(subject) \(expectation)" }
}

/// Lists a request's checks from its specification and its failures.
public enum Assertions {
    public static func list(_ r: RequestRecord) -> [AssertionRecord] {
        var out: [AssertionRecord] = []
        var unmatched = r.failures
        let checked = r.response != nil && !r.outcome.isSkipped && r.outcome != .error
        func take(_ match: (AssertionFailure) -> Bool) -> AssertionFailure? {
            guard let i = unmatched.firstIndex(where: match) else { return nil }
            return unmatched.remove(at: i)
        }
        func add(_ subject: String, _ words: String, _ failure: AssertionFailure?, gated: Bool = false) {
            let passed: Bool? = !checked || gated ? nil : failure == nil
            out.append(AssertionRecord(subject: subject, expectation: words, passed: failure != nil ? false : passed, actual: failure?.actual))
        }
        if let e = r.spec?.expect {
            if let s = e.status {
                let words: String
                switch s {
                case .codes, .classes: words = "is \(s.summary)"
                case .matcher(let m): words = Self.words(m)
                }
                add("status", words, take { $0.subject == "status" })
            } else if r.spec != nil {
                add("status", "is below 400", take { $0.subject == "status" })
            }
            for h in e.headers {
                add("header \(h.name)", words(h.matcher), take { $0.mark == h.mark && $0.subject.hasPrefix("header") })
            }
            for b in e.body {
                let gated = r.notes.contains { $0.hasPrefix("check \(b.path.text) skipped") }
                add("`\(b.path.text)`", words(b.matcher), take { $0.mark == b.mark && !$0.subject.hasPrefix("capture") && $0.subject != "retry" }, gated: gated)
            }
            if let d = e.durationMs {
                add("duration (ms)", words(d), take { $0.subject == "duration (ms)" })
            }
        }
        for f in unmatched {
            out.append(AssertionRecord(subject: f.subject, expectation: "is expected to be \(f.expected)", passed: false, actual: f.actual))
        }
        return out
    }

    /// A matcher in words: `is "Success"`, `is expected to match /^…$/`, `exists`, `has length 1`.
    public static func words(_ m: Matcher) -> String {
        if case .equals(let t) = m { return "is \(t.summary)" }
        let s = m.summary
        switch true {
        case s == "a value": return "exists"
        case s == "no value": return "is absent"
        case s.hasPrefix("to "): return "is expected \(s)"
        case s.hasPrefix("length "): return "has \(s)"
        default: return "is \(s)"
        }
    }
}
