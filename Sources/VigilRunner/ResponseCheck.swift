#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore
import VigilJSON
import VigilXML
import VigilYAML

/// Checks one response against expectations and takes captures from it.
/// The body is parsed as JSON at most once, and only when something asks for it
/// (``ReceivedResponse/json``, shared with the reporters).
final class ResponseCheck {
    let response: ReceivedResponse
    let store: VariableStore
    /// Checks skipped by their version gate, with the reason.
    private(set) var notes: [String] = []
    /// Every `Set-Cookie` value of the exchange, redirects followed included, in order.
    let setCookies: [String]
    /// XML namespaces for XPath (prefix → URI).
    var namespaces: [(prefix: String, uri: String)] = []
    /// The body as an XML or HTML document, parsed on first use.
    lazy var document: Result<MarkupDocument, XMLError> = parseDocument()
    /// The body as text, decoded on first use.
    lazy var text: Result<String, TextDecodingError> = BodyText.decode(response.body, contentType: response.header("Content-Type"))

    /// Refuses comparisons that would use a secret of the user's environment (``SecretComparison``).
    let redactor: Redactor
    /// The first comparison refused for using a secret, if any: polling stops on it.
    private(set) var refusedSecret: SecretComparison?
    /// Whether the JSON body holds no secret of the user's anywhere: then no value a body check
    /// selects from it does, and the body is walked once, not once per check (a 60 MB list
    /// checked three times was walked three times).
    lazy var bodyIsFreeOfSecrets: Bool = {
        guard case .success(let value) = json else { return false }
        if !response.body.isEmpty, let free = redactor.holdsNoSecret(rawBody: response.body) { return free }
        return redactor.secretName(inValue: value) == nil
    }()

    init(response: ReceivedResponse, store: VariableStore, redactor: Redactor, setCookies: [String]? = nil) {
        self.response = response
        self.store = store
        self.redactor = redactor
        self.setCookies = setCookies ?? response.headerValues("Set-Cookie")
    }

    var json: Result<JSONValue, JSONParseError> { response.json }

    var bodyText: String { String(decoding: response.body, as: UTF8.self) }

    var bodyExcerpt: String {
        switch json {
        case .success(let v): return v.excerpt(limit: 300)
        case .failure: return response.body.isEmpty ? "(empty body)" : bodyText.excerpt(limit: 300)
        }
    }

    private var notJSON: String? {
        guard case .failure(let e) = json else { return nil }
        return response.body.isEmpty ? "an empty body" : "a body that is not JSON (\(e.description)): \(bodyText.excerpt(limit: 120))"
    }

    /// Every check of `e`, passed or not, in the order written. With `defaultStatus`, a missing
    /// status expectation means "below 400", so an error answer never passes silently.
    func checks(of e: Expectations, defaultStatus: Bool) -> [CheckResult] {
        var out: [CheckResult] = []
        let status = response.status
        func statusCheck(_ expected: String, _ ok: Bool) {
            out.append(CheckResult(.status, mark: nil, expected: expected, actual: ok ? "\(status)" : statusText, outcome: ok ? .passed : .failed))
        }
        switch e.status {
        case .codes(let codes)?:
            statusCheck(e.status!.summary, codes.contains(status))
        case .classes(let classes)?:
            statusCheck(e.status!.summary, classes.contains(status / 100))
        case .matcher(let m)?:
            check(m, .int(Int64(status)), .status, mark: nil, into: &out)
            if out.last?.failed == true, out.last?.actual.hasPrefix("cannot check") == false { out[out.count - 1].actual = statusText }
        case nil:
            if defaultStatus { statusCheck("below 400 (no status expected)", status < 400) }
        }
        for h in e.headers { checkHeader(h, into: &out) }
        if !e.body.isEmpty {
            switch json {
            case .failure:
                out.append(CheckResult(.json, mark: e.body.first?.mark, expected: "JSON", actual: notJSON ?? "", outcome: .failed))
            case .success(let root):
                for b in e.body {
                    if let gate = b.requires, let reason = gateReason(gate, release: store.release) {
                        let note = "check \(b.path.text) skipped: \(reason)"
                        if !notes.contains(note) { notes.append(note) }
                        out.append(
                            CheckResult(
                                .body(b.path.text, location: nil), mark: b.mark, expected: b.matcher.summary, actual: "",
                                outcome: .notChecked(reason)))
                        continue
                    }
                    let nodes: [JSONPathNode]
                    do {
                        nodes = try b.path.select(root, budget: JSONPath.defaultBudget)
                    } catch {
                        out.append(
                            CheckResult(
                                .body(b.path.text, location: nil), mark: b.mark, expected: b.matcher.summary, actual: "cannot check: \(error)",
                                outcome: .failed))
                        continue
                    }
                    let actual: JSONValue? = b.path.isSingular ? nodes.first?.value : .array(nodes.map(\.value))
                    let location = b.path.isSingular ? nodes.first.map { $0.path.description } : nil
                    check(b.matcher, actual, .body(b.path.text, location: location), mark: b.mark, fromBody: true, into: &out)
                }
            }
        }
        moreChecks(of: e, into: &out)
        if let d = e.durationMs {
            let ms = Int64(response.duration.milliseconds.rounded())
            check(d, .int(ms), .duration, mark: nil, into: &out)
        }
        return out
    }

    private var statusText: String {
        guard response.status >= 400, case .success(let v) = json else { return "\(response.status)" }
        return "\(response.status) \(v.excerpt(limit: 200))"
    }

    /// A header check over the values its selector reads: one value, all of them as a list, or
    /// any one of them (the check passes when one does; it fails with every value shown).
    private func checkHeader(_ h: HeaderExpectation, into out: inout [CheckResult]) {
        // A header whose values are always masked (`Set-Cookie`…) is not shown in a check either.
        if Redactor.secretHeaders.contains(h.selector.name.lowercased()) {
            let first = out.count
            checkHeaderValues(h, into: &out)
            for i in first..<out.count { out[i].actual = Redactor.mask }
            return
        }
        checkHeaderValues(h, into: &out)
    }

    private func checkHeaderValues(_ h: HeaderExpectation, into out: inout [CheckResult]) {
        let values = response.headerValues(h.selector.name)
        let kind = CheckResult.Kind.header(h.name)
        switch h.selector.which {
        case .all:
            check(h.matcher, .array(values.map(JSONValue.string)), kind, mark: h.mark, into: &out)
        case .any:
            guard !values.isEmpty else {
                check(h.matcher, nil, kind, mark: h.mark, into: &out)
                return
            }
            var one: [CheckResult] = []
            for v in values {
                one = []
                check(h.matcher, .string(v), kind, mark: h.mark, into: &one)
                if one.first?.passed == true {
                    out += one
                    return
                }
            }
            let shown = JSONValue.array(values.map(JSONValue.string)).excerpt(limit: 300)
            out.append(
                CheckResult(
                    kind, mark: h.mark, expected: h.matcher.summary(resolving: store),
                    actual: "none of the \(values.count) values: \(shown)", outcome: .failed))
        case .first, .last, .index:
            check(h.matcher, h.selector.single(of: values).map(JSONValue.string), kind, mark: h.mark, into: &out)
        }
    }

    /// One matcher against one value; a placeholder that cannot be resolved fails the check
    /// ("cannot check"), it never passes it.
    /// A comparison that would use a secret of the user's environment (the value checked, or an
    /// operand) fails without being evaluated: its outcome would reveal the secret, guess by guess.
    /// `fromBody`: `actual` was selected from the JSON body (see ``bodyIsFreeOfSecrets``).
    func check(_ m: Matcher, _ actual: JSONValue?, _ kind: CheckResult.Kind, mark: Mark?, fromBody: Bool = false, into out: inout [CheckResult]) {
        let cleanBody = fromBody && !m.isLiteralEquality && redactor.hasNamedSecrets && bodyIsFreeOfSecrets
        if let name = redactor.comparedSecret(m, subject: cleanBody ? nil : actual, store) {
            if refusedSecret == nil { refusedSecret = SecretComparison(secret: name) }
            out.append(CheckResult(kind, mark: mark, expected: m.summary, actual: "not checked: \(SecretComparison(secret: name))", outcome: .failed))
            return
        }
        do {
            if let mm = try m.check(actual, store) {
                out.append(CheckResult(kind, mark: mark, expected: mm.expected, actual: mm.actual, outcome: .failed))
            } else {
                out.append(CheckResult(kind, mark: mark, expected: m.summary(resolving: store), actual: actual?.checkExcerpt ?? "(absent)", outcome: .passed))
            }
        } catch {
            out.append(CheckResult(kind, mark: mark, expected: m.summary, actual: "cannot check: \(error.description)", outcome: .failed))
        }
    }

    /// Takes the captures of `spec` into the store; returns what was captured and what failed.
    func capture(_ captures: [Capture]) -> (values: [(name: String, value: JSONValue)], checks: [CheckResult]) {
        var values: [(name: String, value: JSONValue)] = []
        var checks: [CheckResult] = []
        func failure(_ c: Capture, expected: String, actual: String) {
            checks.append(CheckResult(.capture(c.name), mark: c.mark, expected: expected, actual: actual, outcome: .failed))
        }
        for c in captures {
            var value: JSONValue?
            switch c.source {
            case .status:
                value = .int(Int64(response.status))
            case .text, .cookie, .xpath:
                switch captureValue(c) {
                case .success(let v?): value = v
                case .success(nil): continue
                case .failure(let f):
                    failure(c, expected: f.expected, actual: f.actual)
                    continue
                }
            case .header(let selector):
                let values = response.headerValues(selector.name)
                switch selector.which {
                case .all:
                    value = .array(values.map(JSONValue.string))
                case .any:
                    // With a regex, the first value it matches; without, the first value.
                    let pick = c.regex.flatMap { pattern in values.first { (try? Self.firstMatch(pattern, in: $0)) != nil } } ?? values.first
                    value = pick.map(JSONValue.string)
                case .first, .last, .index:
                    value = selector.single(of: values).map(JSONValue.string)
                }
                guard value != nil else {
                    if c.optional { continue }
                    let actual = values.isEmpty ? "no such header" : "\(values.count) value\(values.count == 1 ? "" : "s")"
                    failure(c, expected: "header \(selector)", actual: actual)
                    continue
                }
            case .body(let path, let all, let first):
                guard case .success(let root) = json else {
                    failure(c, expected: "a JSON body for \(path.text)", actual: notJSON ?? "")
                    continue
                }
                let nodes: [JSONPathNode]
                do {
                    nodes = try path.select(root, budget: JSONPath.defaultBudget)
                } catch {
                    failure(c, expected: "one value at \(path.text)", actual: "cannot capture: \(error)")
                    continue
                }
                if all {
                    value = .array(nodes.map(\.value))
                } else if nodes.count == 1 || (first && !nodes.isEmpty) {
                    value = nodes[0].value
                } else if nodes.isEmpty && c.optional {
                    continue
                } else {
                    let what = nodes.isEmpty ? "nothing" : "\(nodes.count) values (add all: true for the list, or first: true)"
                    failure(c, expected: "one value at \(path.text)", actual: "\(what) in \(root.excerpt(limit: 200))")
                    continue
                }
            }
            if let pattern = c.regex, let v = value {
                // A part of a secret is not recognised by any later check: a regex does not take
                // one out of a value that holds a secret of the user's (`^.{3}(.)`, a character at a time).
                if let name = redactor.secretName(inValue: v) {
                    failure(
                        c, expected: "a match for /\(pattern)/",
                        actual: "not captured: the value holds \(SecretComparison.phrase(name)); a part of it would leave unrecognised")
                    continue
                }
                if case .array(let items) = v, case .header = c.source {
                    // `Name[*]` with a regex: what it matches in each value that it matches.
                    do {
                        value = .array(try items.compactMap { try Self.firstMatch(pattern, in: $0.interpolationText).map(JSONValue.string) })
                    } catch {
                        failure(c, expected: "a match for /\(pattern)/", actual: "cannot capture: \(error)")
                        continue
                    }
                } else {
                    let text = v.interpolationText
                    let found: String?
                    do {
                        found = try Self.firstMatch(pattern, in: text)
                    } catch {
                        failure(c, expected: "a match for /\(pattern)/", actual: "cannot capture: \(error)")
                        continue
                    }
                    guard let matched = found else {
                        failure(c, expected: "a match for /\(pattern)/", actual: JSONValue.string(text).excerpt)
                        continue
                    }
                    value = .string(matched)
                }
            }
            if let v = value {
                store.set(c.name, to: v)
                values.append((c.name, v))
                checks.append(CheckResult(.capture(c.name), mark: c.mark, expected: c.source.summary, actual: v.checkExcerpt, outcome: .passed))
            }
        }
        return (values, checks)
    }

    /// The first group of the first match of `pattern` in `text` (or the whole match).
    static func firstMatch(_ pattern: String, in text: String) throws(RegexTooSlow) -> String? {
        guard let regex = try? UserRegex(pattern) else { return nil }
        return try regex.firstGroup(in: text)
    }
}

extension Capture.Source {
    /// Where a capture reads from, in words: `result.id`, `header Location`, `status`.
    var summary: String {
        switch self {
        case .body(let path, let all, _): all ? "every value at \(path.text)" : path.text
        case .header(let selector): "header \(selector)"
        case .status: "the status"
        case .text: "the body text"
        case .cookie(let selector): "cookie \(selector)"
        case .xpath(let expression): "xpath \(expression)"
        }
    }
}
