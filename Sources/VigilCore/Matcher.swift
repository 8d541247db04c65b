#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilJSON

/// An expectation on one value: a literal (deep equality) or a map of operators, all of
/// which must hold. Operands are templates, resolved when the response is checked.
public indirect enum Matcher: Sendable, Hashable {
    case equals(TemplateTree)
    case all([Operator])
    /// Different expectations for different releases; `default` for the rest.
    case byRelease([ReleaseCase], default: Matcher?)

    public struct ReleaseCase: Sendable, Hashable {
        public var range: ReleaseRange
        public var matcher: Matcher
    }

    /// One operator of an operator map (`{ gt: 3, lt: 9 }`).
    public enum Operator: Sendable, Hashable {
        case eq(TemplateTree), ne(TemplateTree)
        case gt(TemplateTree), gte(TemplateTree), lt(TemplateTree), lte(TemplateTree)
        case isIn(TemplateTree)
        case contains(TemplateTree), notContains(TemplateTree)
        case matches(Template), startsWith(Template), endsWith(Template)
        case exists(Bool), empty(Bool)
        case type(String)
        case length(Matcher)
        case not(Matcher)
        /// The value conforms to a JSON Schema (checked by the resolver's ``SchemaChecking``).
        case schema(SchemaExpectation.Source)
    }

    /// The operator names, as written in collections.
    public static let operatorNames = [
        "eq", "ne", "gt", "gte", "lt", "lte", "in", "contains", "notContains", "matches",
        "startsWith", "endsWith", "exists", "type", "length", "empty", "not", "schema",
    ]

    /// The JSON type names `type:` accepts.
    public static let typeNames = ["string", "number", "integer", "boolean", "array", "object", "null"]
}

/// Why a value did not match: what was expected, in words, and what was there.
public struct Mismatch: Sendable, Hashable {
    public var expected: String
    public var actual: String
    /// The check could not be decided (a regular expression over its time budget): a failure
    /// that `not:` keeps.
    public var undecided = false
}

extension Matcher {
    /// Checks `actual` (nil: the value is absent). Returns nil when it matches.
    public func check(_ actual: JSONValue?, _ resolver: some PlaceholderResolver) throws(UnresolvedPlaceholder) -> Mismatch? {
        switch self {
        case .equals(let tree):
            let expected = try tree.resolve(resolver)
            if let actual, actual == expected { return nil }
            return Mismatch(expected: expected.excerpt, actual: actual?.excerpt ?? "(absent)")
        case .all(let operators):
            for op in operators {
                if let m = try op.check(actual, resolver) { return m }
            }
            return nil
        case .byRelease(let cases, let fallback):
            guard let chosen = select(cases, fallback, resolver.release) else {
                return Mismatch(
                    expected: "an expectation for release \(resolver.release.map(String.init(describing:)) ?? "(unknown)")",
                    actual: actual?.excerpt ?? "(absent)")
            }
            return try chosen.check(actual, resolver)
        }
    }

    private func select(_ cases: [ReleaseCase], _ fallback: Matcher?, _ release: Release?) -> Matcher? {
        if let release, let c = cases.first(where: { $0.range.contains(release) }) { return c.matcher }
        return fallback
    }
}

extension Matcher.Operator {
    func check(_ actual: JSONValue?, _ r: some PlaceholderResolver) throws(UnresolvedPlaceholder) -> Mismatch? {
        let shown = actual?.excerpt ?? "(absent)"
        func fail(_ expected: String) -> Mismatch { Mismatch(expected: expected, actual: shown) }
        switch self {
        case .exists(let want):
            return (actual != nil) == want ? nil : fail(want ? "a value" : "no value")
        case .not(let inner):
            // A check that could not be decided stays a failure: `not` never turns it into a pass.
            guard let mismatch = try inner.check(actual, r) else { return fail("not \(inner.summary)") }
            return mismatch.undecided ? mismatch : nil
        default:
            break
        }
        guard let actual else { return fail(summary) }
        switch self {
        case .schema(let source):
            guard let checker = r.schemaChecker else { return fail("cannot check: no schema checker here") }
            guard let problem = checker.problems(of: actual, against: source) else { return nil }
            return Mismatch(expected: summary, actual: problem)
        case .eq(let t):
            let e = try t.resolve(r)
            return actual == e ? nil : fail(e.excerpt)
        case .ne(let t):
            let e = try t.resolve(r)
            return actual != e ? nil : fail("not \(e.excerpt)")
        case .gt(let t), .gte(let t), .lt(let t), .lte(let t):
            let e = try t.resolve(r)
            guard let order = JSONValue.order(actual, e) else { return fail("\(summaryWord) \(e.excerpt) (comparable)") }
            let ok: Bool
            switch self {
            case .gt: ok = order == .orderedDescending
            case .gte: ok = order != .orderedAscending
            case .lt: ok = order == .orderedAscending
            default: ok = order != .orderedDescending
            }
            return ok ? nil : fail("\(summaryWord) \(e.excerpt)")
        case .isIn(let t):
            let e = try t.resolve(r)
            return (e.arrayValue ?? []).contains(actual) ? nil : fail("one of \(e.excerpt)")
        case .contains(let t), .notContains(let t):
            let e = try t.resolve(r)
            let has: Bool
            switch actual {
            case .string(let s): has = s.string.contains(e.interpolationText)
            case .array(let items): has = items.contains(e)
            case .object(let o): has = e.stringValue.map { o[$0] != nil } ?? false
            default: has = false
            }
            if case .contains = self { return has ? nil : fail("to contain \(e.excerpt)") }
            return has ? fail("not to contain \(e.excerpt)") : nil
        case .matches(let t):
            let pattern = try t.render(r)
            guard let s = actual.stringValue else { return fail("a string matching /\(pattern)/") }
            do {
                return try Self.regexMatches(pattern, s) ? nil : fail("to match /\(pattern)/")
            } catch {
                return Mismatch(expected: "to match /\(pattern)/", actual: "cannot check: \(error)", undecided: true)
            }
        case .startsWith(let t):
            let p = try t.render(r)
            return actual.stringValue?.hasPrefix(p) == true ? nil : fail("to start with \"\(p)\"")
        case .endsWith(let t):
            let p = try t.render(r)
            return actual.stringValue?.hasSuffix(p) == true ? nil : fail("to end with \"\(p)\"")
        case .type(let name):
            return actual.matchesType(name) ? nil : fail("of type \(name) (is \(actual.typeName))")
        case .length(let m):
            guard let n = actual.length else { return fail("a string, array or object with a length") }
            if let inner = try m.check(.int(Int64(n)), r) { return Mismatch(expected: "length \(inner.expected)", actual: "length \(n)") }
            return nil
        case .empty(let want):
            guard let n = actual.length else { return fail(want ? "empty" : "not empty") }
            return (n == 0) == want ? nil : fail(want ? "empty" : "not empty")
        case .exists, .not:
            return nil
        }
    }

    private var summaryWord: String {
        switch self {
        case .gt: ">"
        case .gte: ">="
        case .lt: "<"
        default: "<="
        }
    }

    static func regexMatches(_ pattern: String, _ s: String) throws(RegexTooSlow) -> Bool {
        guard let regex = try? UserRegex(pattern) else { return false }
        return try regex.matches(s)
    }

    /// The operator in words, for failure messages.
    var summary: String {
        switch self {
        case .eq(let t): "\(t.summary)"
        case .ne(let t): "not \(t.summary)"
        case .gt(let t): "> \(t.summary)"
        case .gte(let t): ">= \(t.summary)"
        case .lt(let t): "< \(t.summary)"
        case .lte(let t): "<= \(t.summary)"
        case .isIn(let t): "one of \(t.summary)"
        case .contains(let t): "to contain \(t.summary)"
        case .notContains(let t): "not to contain \(t.summary)"
        case .matches(let t): "to match /\(t.source)/"
        case .startsWith(let t): "to start with \"\(t.source)\""
        case .endsWith(let t): "to end with \"\(t.source)\""
        case .exists(let b): b ? "a value" : "no value"
        case .empty(let b): b ? "empty" : "not empty"
        case .type(let n): "of type \(n)"
        case .length(let m): "length \(m.summary)"
        case .not(let m): "not \(m.summary)"
        case .schema(let source): "a value that conforms to \(source.name)"
        }
    }
}

extension Matcher {
    /// The expectation in words ("201", "to match /^[0-9a-f-]{36}$/").
    public var summary: String {
        switch self {
        case .equals(let t): return t.summary
        case .all(let ops): return ops.map(\.summary).joined(separator: " and ")
        case .byRelease(let cases, let fallback):
            let parts = cases.map { "\($0.matcher.summary) for \($0.range)" } + (fallback.map { ["\($0.summary) otherwise"] } ?? [])
            return parts.joined(separator: ", ")
        }
    }
}

extension TemplateTree {
    /// A short text of the tree as written, placeholders kept.
    public var summary: String {
        switch self {
        case .value(let v): return v.excerpt
        case .template(let t): return "\"\(t.source)\""
        case .array(let items): return "[" + items.map(\.summary).joined(separator: ", ") + "]"
        case .object(let entries): return "{" + entries.map { "\($0.key.source): \($0.value.summary)" }.joined(separator: ", ") + "}"
        }
    }
}

extension JSONValue {
    /// Compact JSON, cut to `limit` characters with an ellipsis. Only the start of the text is
    /// printed (a check on the root of a 60 MB body printed all of it, then cut it: 150 MB).
    public func excerpt(limit: Int) -> String {
        var bytes = 4 * max(limit, 0) + 16
        while true {
            let (text, complete) = serializedPrefix(bytes: bytes)
            if complete { return text.excerpt(limit: limit) }
            if text.count > limit { return String(text.prefix(limit)) + String(Redactor.cutMarker) }
            bytes *= 4  // characters of many bytes each (combining marks)
        }
    }

    /// Compact JSON cut to 200 characters.
    public var excerpt: String { excerpt(limit: 200) }

    /// Length of a string (characters), array or object.
    var length: Int? {
        switch self {
        case .string(let s): s.string.count
        case .array(let a): a.count
        case .object(let o): o.count
        default: nil
        }
    }

    func matchesType(_ name: String) -> Bool {
        switch (name, self) {
        case ("number", .int), ("number", .double), ("integer", .int), ("string", .string),
            ("boolean", .bool), ("array", .array), ("object", .object), ("null", .null):
            return true
        case ("integer", .double(let d)):
            return d.rounded() == d
        default:
            return false
        }
    }

    /// Order of two numbers or two strings; nil for anything else. A string that is a decimal
    /// number (`"158"`, `"-2.5"`: a header value, text) compares as a number with a number, and
    /// two such strings compare as numbers (`"9"` < `"10"`).
    static func order(_ a: JSONValue, _ b: JSONValue) -> ComparisonResult? {
        if let (x, y) = decimalPair(a, b) { return order(x, y) }
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
        case (.string(let a), .string(let b)):
            let x = a.string, y = b.string
            return x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
        default:
            guard let x = a.doubleValue, let y = b.doubleValue, a.isNumber, b.isNumber else { return nil }
            return x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
        }
    }

    /// Both values as numbers when at least one is a decimal string and the other a number or
    /// another decimal string; nil otherwise (plain string order then applies).
    private static func decimalPair(_ a: JSONValue, _ b: JSONValue) -> (JSONValue, JSONValue)? {
        guard a.isDecimalString || b.isDecimalString else { return nil }
        guard let x = a.isNumber ? a : a.decimalNumber, let y = b.isNumber ? b : b.decimalNumber else { return nil }
        return (x, y)
    }

    private var isDecimalString: Bool { decimalNumber != nil }

    /// A string that is a decimal number (optional sign, digits, optional fraction; no spaces,
    /// no exponent) as that number; nil for anything else.
    var decimalNumber: JSONValue? {
        guard let s = stringValue else { return nil }
        var bytes = Substring(s).utf8[...]
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        let digits = bytes.prefix { $0 >= 48 && $0 <= 57 }
        guard !digits.isEmpty else { return nil }
        let rest = bytes.dropFirst(digits.count)
        if rest.isEmpty, let i = Int64(s) { return .int(i) }
        if !rest.isEmpty {
            guard rest.first == UInt8(ascii: "."), rest.count > 1, rest.dropFirst().allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        }
        return Double(s).map(JSONValue.double)
    }

    var isNumber: Bool {
        switch self {
        case .int, .double: true
        default: false
        }
    }
}

extension Matcher {
    /// The expectation in words with its placeholders resolved where they can be (as
    /// ``summary`` where they cannot), and the case for the server's release chosen: what a
    /// passed check says it compared with.
    public func summary(resolving r: some PlaceholderResolver) -> String {
        switch self {
        case .equals(let t): return t.summary(resolving: r)
        case .all(let ops): return ops.map { $0.summary(resolving: r) }.joined(separator: " and ")
        case .byRelease(let cases, let fallback):
            let chosen = r.release.flatMap { release in cases.first { $0.range.contains(release) }?.matcher } ?? fallback
            return chosen?.summary(resolving: r) ?? summary
        }
    }
}

extension Matcher.Operator {
    func summary(resolving r: some PlaceholderResolver) -> String {
        func tree(_ t: TemplateTree) -> String { t.summary(resolving: r) }
        func text(_ t: Template) -> String { (try? t.render(r)) ?? t.source }
        switch self {
        case .eq(let t): return tree(t)
        case .ne(let t): return "not \(tree(t))"
        case .gt(let t): return "> \(tree(t))"
        case .gte(let t): return ">= \(tree(t))"
        case .lt(let t): return "< \(tree(t))"
        case .lte(let t): return "<= \(tree(t))"
        case .isIn(let t): return "one of \(tree(t))"
        case .contains(let t): return "to contain \(tree(t))"
        case .notContains(let t): return "not to contain \(tree(t))"
        case .matches(let t): return "to match /\(text(t))/"
        case .startsWith(let t): return "to start with \"\(text(t))\""
        case .endsWith(let t): return "to end with \"\(text(t))\""
        case .length(let m): return "length \(m.summary(resolving: r))"
        case .not(let m): return "not \(m.summary(resolving: r))"
        case .exists, .empty, .type, .schema: return summary
        }
    }
}

extension TemplateTree {
    /// The value with its placeholders resolved, or the tree as written when one cannot be.
    func summary(resolving r: some PlaceholderResolver) -> String {
        if case .value(let v) = self { return v.excerpt }
        return (try? resolve(r))?.excerpt ?? summary
    }
}
