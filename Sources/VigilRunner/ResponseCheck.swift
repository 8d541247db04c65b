import Foundation
import VigilCore
import VigilJSON
import VigilYAML

/// Checks one response against expectations and takes captures from it.
/// The body is parsed as JSON at most once, and only when something asks for it.
final class ResponseCheck {
    let response: ReceivedResponse
    let store: VariableStore
    private var parsed: Result<JSONValue, JSONParseError>?
    /// Checks skipped by their version gate, with the reason.
    private(set) var notes: [String] = []

    init(response: ReceivedResponse, store: VariableStore) {
        self.response = response
        self.store = store
    }

    var json: Result<JSONValue, JSONParseError> {
        if let parsed { return parsed }
        let r: Result<JSONValue, JSONParseError>
        do { r = .success(try JSONValue(parsing: response.body)) } catch { r = .failure(error) }
        parsed = r
        return r
    }

    var bodyText: String { String(decoding: response.body, as: UTF8.self) }

    var bodyExcerpt: String {
        switch json {
        case .success(let v): return v.excerpt(limit: 300)
        case .failure: return response.body.isEmpty ? "(empty body)" : String(bodyText.prefix(300))
        }
    }

    private var notJSON: String? {
        guard case .failure(let e) = json else { return nil }
        return response.body.isEmpty ? "an empty body" : "a body that is not JSON (\(e.description)): \(String(bodyText.prefix(120)))"
    }

    /// Every expectation that does not hold. With `defaultStatus`, a missing status
    /// expectation means "below 400", so an error answer never passes silently.
    func failures(of e: Expectations, defaultStatus: Bool) -> [AssertionFailure] {
        var out: [AssertionFailure] = []
        let status = response.status
        switch e.status {
        case .codes(let codes)?:
            if !codes.contains(status) { out.append(.init(subject: "status", expected: e.status!.summary, actual: statusText, mark: nil)) }
        case .classes(let classes)?:
            if !classes.contains(status / 100) { out.append(.init(subject: "status", expected: e.status!.summary, actual: statusText, mark: nil)) }
        case .matcher(let m)?:
            do {
                if let mm = try m.check(.int(Int64(status)), store) { out.append(.init(subject: "status", expected: mm.expected, actual: statusText, mark: nil)) }
            } catch {
                out.append(.init(subject: "status", expected: m.summary, actual: "cannot check: \(error.description)", mark: nil))
            }
        case nil:
            if defaultStatus, status >= 400 { out.append(.init(subject: "status", expected: "below 400 (no status expected)", actual: statusText, mark: nil)) }
        }
        for h in e.headers { checkHeader(h, into: &out) }
        if !e.body.isEmpty {
            switch json {
            case .failure:
                out.append(.init(subject: "body", expected: "JSON", actual: notJSON ?? "", mark: e.body.first?.mark))
            case .success(let root):
                for b in e.body {
                    if let gate = b.requires, let reason = gateReason(gate, release: store.release) {
                        let note = "check \(b.path.text) skipped: \(reason)"
                        if !notes.contains(note) { notes.append(note) }
                        continue
                    }
                    let nodes = b.path.select(root)
                    let actual: JSONValue? = b.path.isSingular ? nodes.first?.value : .array(nodes.map(\.value))
                    let subject = b.path.isSingular ? (nodes.first.map { $0.path.description } ?? b.path.text) : b.path.text
                    check(b.matcher, actual, subject: subject, mark: b.mark, into: &out)
                }
            }
        }
        if let d = e.durationMs {
            let ms = Int64(response.duration.milliseconds.rounded())
            do {
                if let m = try d.check(.int(ms), store) { out.append(.init(subject: "duration (ms)", expected: m.expected, actual: "\(ms)", mark: nil)) }
            } catch {
                out.append(.init(subject: "duration (ms)", expected: d.summary, actual: "cannot check: \(error.description)", mark: nil))
            }
        }
        return out
    }

    private var statusText: String {
        guard response.status >= 400, case .success(let v) = json else { return "\(response.status)" }
        return "\(response.status) \(v.excerpt(limit: 200))"
    }

    /// A header check over the values its selector reads: one value, all of them as a list, or
    /// any one of them (the check passes when one does; it fails with every value shown).
    private func checkHeader(_ h: HeaderExpectation, into out: inout [AssertionFailure]) {
        let values = response.headerValues(h.selector.name)
        let subject = "header \(h.name)"
        switch h.selector.which {
        case .all:
            check(h.matcher, .array(values.map(JSONValue.string)), subject: subject, mark: h.mark, into: &out)
        case .any:
            guard !values.isEmpty else {
                check(h.matcher, nil, subject: subject, mark: h.mark, into: &out)
                return
            }
            var failures: [AssertionFailure] = []
            for v in values {
                failures = []
                check(h.matcher, .string(v), subject: subject, mark: h.mark, into: &failures)
                if failures.isEmpty { return }
            }
            let shown = JSONValue.array(values.map(JSONValue.string)).excerpt(limit: 300)
            out.append(.init(subject: subject, expected: h.matcher.summary, actual: "none of the \(values.count) values: \(shown)", mark: h.mark))
        case .first, .last, .index:
            check(h.matcher, h.selector.single(of: values).map(JSONValue.string), subject: subject, mark: h.mark, into: &out)
        }
    }

    private func check(_ m: Matcher, _ actual: JSONValue?, subject: String, mark: Mark?, into out: inout [AssertionFailure]) {
        do {
            if let mm = try m.check(actual, store) { out.append(.init(subject: subject, expected: mm.expected, actual: mm.actual, mark: mark)) }
        } catch {
            out.append(.init(subject: subject, expected: m.summary, actual: "cannot check: \(error.description)", mark: mark))
        }
    }

    /// Takes the captures of `spec` into the store; returns what was captured and what failed.
    func capture(_ captures: [Capture]) -> (values: [(name: String, value: JSONValue)], failures: [AssertionFailure]) {
        var values: [(name: String, value: JSONValue)] = []
        var failures: [AssertionFailure] = []
        for c in captures {
            var value: JSONValue?
            switch c.source {
            case .status:
                value = .int(Int64(response.status))
            case .header(let selector):
                let values = response.headerValues(selector.name)
                switch selector.which {
                case .all:
                    value = .array(values.map(JSONValue.string))
                case .any:
                    // With a regex, the first value it matches; without, the first value.
                    let pick = c.regex.flatMap { pattern in values.first { Self.firstMatch(pattern, in: $0) != nil } } ?? values.first
                    value = pick.map(JSONValue.string)
                case .first, .last, .index:
                    value = selector.single(of: values).map(JSONValue.string)
                }
                guard value != nil else {
                    if c.optional { continue }
                    let actual = values.isEmpty ? "no such header" : "\(values.count) value\(values.count == 1 ? "" : "s")"
                    failures.append(.init(subject: "capture \(c.name)", expected: "header \(selector)", actual: actual, mark: c.mark))
                    continue
                }
            case .body(let path, let all, let first):
                guard case .success(let root) = json else {
                    failures.append(.init(subject: "capture \(c.name)", expected: "a JSON body for \(path.text)", actual: notJSON ?? "", mark: c.mark))
                    continue
                }
                let nodes = path.select(root)
                if all {
                    value = .array(nodes.map(\.value))
                } else if nodes.count == 1 || (first && !nodes.isEmpty) {
                    value = nodes[0].value
                } else if nodes.isEmpty && c.optional {
                    continue
                } else {
                    let what = nodes.isEmpty ? "nothing" : "\(nodes.count) values (add all: true for the list, or first: true)"
                    failures.append(.init(subject: "capture \(c.name)", expected: "one value at \(path.text)",
                                          actual: "\(what) in \(root.excerpt(limit: 200))", mark: c.mark))
                    continue
                }
            }
            if let pattern = c.regex, let v = value {
                if case .array(let items) = v, case .header = c.source {
                    // `Name[*]` with a regex: what it matches in each value that it matches.
                    value = .array(items.compactMap { Self.firstMatch(pattern, in: $0.interpolationText).map(JSONValue.string) })
                } else {
                    let text = v.interpolationText
                    guard let matched = Self.firstMatch(pattern, in: text) else {
                        failures.append(.init(subject: "capture \(c.name)", expected: "a match for /\(pattern)/", actual: JSONValue.string(text).excerpt, mark: c.mark))
                        continue
                    }
                    value = .string(matched)
                }
            }
            if let v = value {
                store.set(c.name, to: v)
                values.append((c.name, v))
            }
        }
        return (values, failures)
    }

    /// The first group of the first match of `pattern` in `text` (or the whole match).
    static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let m = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        let group = m.numberOfRanges > 1 ? m.range(at: 1) : m.range
        return Range(group, in: text).map { String(text[$0]) }
    }
}


