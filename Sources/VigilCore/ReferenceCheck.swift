/// Finds placeholders that nothing defines, before a single request is sent.
///
/// Walks the requests in order: a variable is known when a layer defines it, the caller
/// provides it, or an earlier request captures it (`finally` sees every capture).
public enum ReferenceCheck {
    public static func undefinedVariables(in collection: Collection, known: Set<String>) -> [Diagnostic] {
        var known = known.union(collection.variables.map(\.name))
        var out: [Diagnostic] = []
        func check(_ placeholders: [Placeholder], _ what: String, _ request: RequestSpec) {
            for case .variable(let name) in placeholders where !known.contains(name) && !known.contains(rootName(name)) {
                let hint = Suggestion.hint(for: name, among: known)
                out.append(Diagnostic(file: collection.file, mark: request.mark,
                                      message: "request '\(request.name)' uses '{{\(name)}}' in \(what), but no variable, --var or earlier capture defines it\(hint)"))
            }
        }
        // Definitions are evaluated on first use, so they may refer to any capture of the collection.
        let everything = known.union(collection.requests.flatMap { $0.captures.map(\.name) })
            .union(collection.finally.flatMap { $0.captures.map(\.name) })
        for (name, tree) in collection.variables {
            for case .variable(let ref) in tree.placeholders where !everything.contains(ref) && !everything.contains(rootName(ref)) {
                out.append(Diagnostic(file: collection.file, mark: collection.requests.first?.mark ?? .init(line: 1, column: 1),
                                      message: "variable '\(name)' uses '{{\(ref)}}', which nothing defines\(Suggestion.hint(for: ref, among: known))"))
            }
        }
        let all = collection.requests + collection.finally
        let captured = Set(collection.requests.flatMap { $0.captures.map(\.name) })
        for (i, r) in all.enumerated() {
            if i == collection.requests.count { known.formUnion(captured) }
            check(r.url.placeholders.map(\.0), "the URL", r)
            check(collection.defaults.headers.flatMap { $0.value.placeholders.map(\.0) }, "a default header", r)
            check(collection.defaults.query.flatMap { $0.value?.placeholders.map(\.0) ?? [] }, "the default query", r)
            check(r.when.flatMap(\.matcher.placeholders), "when", r)
            check(r.headers.flatMap { $0.value.placeholders.map(\.0) }, "a header", r)
            check(r.query.flatMap { $0.value?.placeholders.map(\.0) ?? [] }, "the query", r)
            switch r.body {
            case .json(let t): check(t.placeholders, "the body", r)
            case .text(let t), .file(let t): check(t.placeholders.map(\.0), "the body", r)
            case .form(let f): check(f.flatMap { $0.value?.placeholders.map(\.0) ?? [] }, "the body", r)
            case nil: break
            }
            known.formUnion(r.captures.map(\.name))
            // Expected values may use this request's own captures (they are resolved after capture).
            check(r.expect.placeholders + (r.retry?.until?.placeholders ?? []) + (r.retry?.failWhen?.placeholders ?? []), "an expectation", r)
        }
        return out
    }

    static func rootName(_ name: String) -> String {
        String(name.prefix { $0 != "." })
    }
}

extension Expectations {
    /// Every placeholder in the expected values.
    var placeholders: [Placeholder] {
        (status.map { if case .matcher(let m) = $0 { m.placeholders } else { [] } } ?? [])
            + headers.flatMap(\.matcher.placeholders) + body.flatMap(\.matcher.placeholders) + (durationMs?.placeholders ?? [])
    }
}

extension Matcher {
    /// Every placeholder in the matcher's operands.
    var placeholders: [Placeholder] {
        switch self {
        case .equals(let t): return t.placeholders
        case .byRelease(let cases, let fallback): return cases.flatMap(\.matcher.placeholders) + (fallback?.placeholders ?? [])
        case .all(let ops):
            return ops.flatMap { op -> [Placeholder] in
                switch op {
                case .eq(let t), .ne(let t), .gt(let t), .gte(let t), .lt(let t), .lte(let t), .isIn(let t), .contains(let t), .notContains(let t):
                    return t.placeholders
                case .matches(let t), .startsWith(let t), .endsWith(let t):
                    return t.placeholders.map(\.0)
                case .length(let m), .not(let m):
                    return m.placeholders
                case .exists, .empty, .type:
                    return []
                }
            }
        }
    }
}
