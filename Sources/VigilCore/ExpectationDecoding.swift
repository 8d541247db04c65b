import VigilJSON
import VigilYAML

extension NodeDecoder {
    static let expectKeys = ["status", "headers", "body", "text", "xpath", "cookies", "duration", "schema"]

    /// An `expect:` (or `until:` / `failWhen:`) block.
    func expectations(_ node: YAMLNode, _ what: String) -> Expectations {
        var e = Expectations()
        guard let keys = mapping(node, what, allowed: Self.expectKeys) else { return e }
        if let n = keys["status"]?.value { e.status = status(n) }
        if let n = keys["schema"]?.value, let source = schemaSource(n) { e.schema = SchemaExpectation(source: source, mark: n.mark) }
        if let n = keys["headers"]?.value {
            if let pairs = n.mapping {
                for pair in pairs {
                    guard let name = scalarText(pair.key, "a header name"), let selector = headerSelector(name, at: pair.key.mark),
                        let m = matcher(pair.value)
                    else { continue }
                    e.headers.append(HeaderExpectation(selector: selector, matcher: m, mark: pair.key.mark))
                }
            } else {
                log.error("expect headers must be a mapping of header name to expected value", at: n.mark)
            }
        }
        if let n = keys["body"]?.value {
            if let pairs = n.mapping {
                for pair in pairs {
                    let (gate, value) = splitGate(pair.value)
                    guard let path = jsonPath(pair.key, "a body path"), let m = matcher(value) else { continue }
                    e.body.append(BodyExpectation(path: path, matcher: m, mark: pair.key.mark, requires: gate))
                }
            } else {
                log.error("expect body must be a mapping of JSONPath to expected value", at: n.mark)
            }
        }
        moreExpectations(keys, into: &e)
        if let n = keys["duration"]?.value { e.durationMs = durationMatcher(n) }
        return e
    }

    /// `status: 201`, `[200, 204]`, `2xx`, or an operator map.
    func status(_ node: YAMLNode) -> StatusExpectation? {
        if node.mapping != nil { return matcher(node).map(StatusExpectation.matcher) }
        // The common case, one plain code, without building lists.
        if let s = node.scalar, s.style == .plain, s.tag == nil, let code = Int(s.text), (100...599).contains(code) {
            return .codes([code])
        }
        var codes: [Int] = [], classes: [Int] = []
        for item in list(node) {
            guard let s = item.scalar else {
                log.error("status must be a code, a list of codes or a class such as 2xx", at: item.mark)
                return nil
            }
            if case .int(let i) = s.resolved, (100...599).contains(i) {
                codes.append(Int(i))
            } else if s.text.count == 3, s.text.lowercased().hasSuffix("xx"), let c = Int(s.text.prefix(1)), (1...5).contains(c) {
                classes.append(c)
            } else {
                log.error("status must be a code from 100 to 599, a list of codes or a class such as 2xx; found '\(s.text)'", at: item.mark)
                return nil
            }
        }
        if !codes.isEmpty && !classes.isEmpty {
            log.error("status mixes codes and classes; write the codes out", at: node.mark)
            return nil
        }
        return classes.isEmpty ? .codes(codes) : .classes(classes)
    }

    /// `duration: 500ms` means "at most"; operators take durations too (`{ lt: 2s }`).
    func durationMatcher(_ node: YAMLNode) -> Matcher? {
        func ms(_ n: YAMLNode) -> TemplateTree? {
            duration(n, "duration").map { .value(.int(Int64($0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000))) }
        }
        guard let pairs = node.mapping else {
            return ms(node).map { .all([.lte($0)]) }
        }
        var ops: [Matcher.Operator] = []
        for pair in pairs {
            guard let name = pair.key.scalar?.text, let v = ms(pair.value) else { continue }
            switch name {
            case "lt": ops.append(.lt(v))
            case "lte": ops.append(.lte(v))
            case "gt": ops.append(.gt(v))
            case "gte": ops.append(.gte(v))
            default: log.error("duration takes lt, lte, gt or gte\(Suggestion.hint(for: name, among: ["lt", "lte", "gt", "gte"]))", at: pair.key.mark)
            }
        }
        return .all(ops)
    }

    /// `{ requires: 2023 R1, eq: … }`: the gate, and the matcher without it.
    func splitGate(_ node: YAMLNode) -> (ReleaseRange?, YAMLNode) {
        guard let pairs = node.mapping, let gate = pairs.first(where: { $0.key.scalar?.text == "requires" }) else { return (nil, node) }
        var rest = node
        rest.content = .mapping(pairs.filter { $0.key.scalar?.text != "requires" })
        if pairs.count == 1 { log.error("a check with 'requires' needs a matcher beside it", at: node.mark) }
        return (releaseRange(gate.value), rest)
    }

    /// `2023 R2`, `>= 2022 R2 < 2025 R1`, …
    func releaseRange(_ node: YAMLNode) -> ReleaseRange? {
        guard let text = scalarText(node, "requires") else { return nil }
        guard let range = ReleaseRange(parsing: text) else {
            log.error("requires takes a release or a range, e.g. 2023 R2 or \">= 2022 R2 < 2025 R1\"; found '\(text)'", at: node.mark)
            return nil
        }
        return range
    }

    /// A schema file's path (relative to the collection) or an inline schema without placeholders.
    func schemaSource(_ n: YAMLNode) -> SchemaExpectation.Source? {
        if n.scalar != nil { return string(n, "schema").map { .file($0) } }
        guard n.mapping != nil || n.sequence != nil, let tree = tree(n) else {
            log.error("schema takes a file path or an inline JSON Schema (a mapping)", at: n.mark)
            return nil
        }
        guard tree.placeholders.isEmpty, let value = try? tree.resolve(NoPlaceholders()) else {
            log.error("an inline schema takes no placeholders", at: n.mark)
            return nil
        }
        return .inline(value)
    }

    /// `Name`, `Name[last]`, `Name[any]`, `Name[*]`, `Name[1]` (logged when the brackets are wrong).
    func headerSelector(_ text: String, at mark: Mark) -> HeaderSelector? {
        guard let s = HeaderSelector(parsing: text) else {
            let name = text.prefix { $0 != "[" }
            if !HeaderSelector.isToken(String(name)) {
                log.error("header '\(text)': '\(name)' is not a header name (letters, digits and !#$%&'*+-.^_`|~, no spaces)", at: mark)
            } else {
                log.error("header '\(text)': the brackets after a header name take \(HeaderSelector.forms)", at: mark)
            }
            return nil
        }
        return s
    }

    /// A literal (deep equality) or an operator map. A mapping whose keys are all operator
    /// names is an operator map; one that mixes operators and other keys is an error
    /// (use `eq:` to compare with an object that has such keys).
    func matcher(_ node: YAMLNode) -> Matcher? {
        guard let pairs = node.mapping, !pairs.isEmpty else { return tree(node).map(Matcher.equals) }
        // Keys must be text (a JSON object's keys are); a list or mapping as a key is refused
        // here, before any lookup compares an absent key text with an absent name.
        if let bad = pairs.first(where: { $0.key.scalar == nil }) {
            log.error("a key in an expected value must be text, found \(bad.key.kindName)", at: bad.key.mark)
            return nil
        }
        let names = pairs.compactMap { $0.key.scalar?.text }
        if names.count == pairs.count, names.allSatisfy({ $0 == "default" || ReleaseRange(parsing: $0) != nil }),
            names.contains(where: { $0 != "default" })
        {
            return releaseKeyed(pairs)
        }
        let operatorCount = names.filter(Matcher.operatorNames.contains).count
        if operatorCount == 0 {
            let near = names.filter { Suggestion.closest(to: $0, among: Matcher.operatorNames) != nil && $0.count > 2 }
            if let first = near.first, near.count == names.count, let pair = pairs.first(where: { $0.key.scalar?.text == first }) {
                log.error(
                    "unknown matcher '\(first)'\(Suggestion.hint(for: first, among: Matcher.operatorNames)); to compare with an object, write `eq: {…}`",
                    at: pair.key.mark)
                return nil
            }
            return tree(node).map(Matcher.equals)
        }
        if operatorCount < names.count, let bad = pairs.first(where: { !Matcher.operatorNames.contains($0.key.scalar?.text ?? "") }) {
            let key = bad.key.scalar?.text ?? "?"
            log.error(
                "unknown matcher '\(key)'\(Suggestion.hint(for: key, among: Matcher.operatorNames)); matchers are \(Matcher.operatorNames.joined(separator: ", "))",
                at: bad.key.mark)
            return nil
        }
        var ops: [Matcher.Operator] = []
        for pair in pairs {
            if let op = matcherOperator(pair.key.scalar?.text ?? "", pair.value) { ops.append(op) }
        }
        return ops.count == pairs.count ? .all(ops) : nil
    }

    /// `{ "< 2022 R2": "True", default: true }`: the first range holding the server's release wins.
    private func releaseKeyed(_ pairs: [YAMLPair]) -> Matcher? {
        var cases: [Matcher.ReleaseCase] = []
        var fallback: Matcher?
        for pair in pairs {
            guard let m = matcher(pair.value) else { return nil }
            let key = pair.key.scalar!.text
            if key == "default" { fallback = m } else { cases.append(.init(range: ReleaseRange(parsing: key)!, matcher: m)) }
        }
        return .byRelease(cases, default: fallback)
    }

    private func matcherOperator(_ name: String, _ v: YAMLNode) -> Matcher.Operator? {
        switch name {
        case "eq": return tree(v).map { .eq($0) }
        case "ne": return tree(v).map { .ne($0) }
        case "gt": return tree(v).map { .gt($0) }
        case "gte": return tree(v).map { .gte($0) }
        case "lt": return tree(v).map { .lt($0) }
        case "lte": return tree(v).map { .lte($0) }
        case "in":
            guard v.sequence != nil else { log.error("'in' takes a list of values", at: v.mark); return nil }
            return tree(v).map { .isIn($0) }
        case "contains": return tree(v).map { .contains($0) }
        case "notContains": return tree(v).map { .notContains($0) }
        case "matches":
            guard let t = template(v, "'matches'") else { return nil }
            if t.isLiteral, !Matcher.Operator.isValidRegex(t.source) {
                log.error("'matches' has an invalid regular expression: \(t.source)", at: v.mark)
                return nil
            }
            return .matches(t)
        case "startsWith": return template(v, "'startsWith'").map { .startsWith($0) }
        case "endsWith": return template(v, "'endsWith'").map { .endsWith($0) }
        case "exists": return bool(v, "'exists'").map { .exists($0) }
        case "empty": return bool(v, "'empty'").map { .empty($0) }
        case "type":
            guard let t = string(v, "'type'") else { return nil }
            guard Matcher.typeNames.contains(t) else {
                log.error(
                    "unknown type '\(t)'\(Suggestion.hint(for: t, among: Matcher.typeNames)); types are \(Matcher.typeNames.joined(separator: ", "))",
                    at: v.mark)
                return nil
            }
            return .type(t)
        case "length": return matcher(v).map { .length($0) }
        case "not": return matcher(v).map { .not($0) }
        case "schema": return schemaSource(v).map { .schema($0) }
        default: return nil
        }
    }
}

extension Matcher.Operator {
    static func isValidRegex(_ pattern: String) -> Bool {
        (try? UserRegex(pattern)) != nil
    }
}

/// Resolves nothing: for trees known to hold no placeholder.
struct NoPlaceholders: PlaceholderResolver {
    func value(of placeholder: Placeholder) throws(UnresolvedPlaceholder) -> JSONValue {
        throw UnresolvedPlaceholder(placeholder, reason: "is not allowed here")
    }
}
