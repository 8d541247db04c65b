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
        for (name, tree) in collection.variables {
            for case .variable(let ref) in tree.placeholders where !known.contains(ref) {
                out.append(Diagnostic(file: collection.file, mark: collection.requests.first?.mark ?? .init(line: 1, column: 1),
                                      message: "variable '\(name)' uses '{{\(ref)}}', which nothing defines\(Suggestion.hint(for: ref, among: known))"))
            }
        }
        let all = collection.requests + collection.finally
        let captured = Set(collection.requests.flatMap { $0.captures.map(\.name) })
        for (i, r) in all.enumerated() {
            if i == collection.requests.count { known.formUnion(captured) }
            check(r.url.placeholders.map(\.0), "the URL", r)
            check(r.headers.flatMap { $0.value.placeholders.map(\.0) }, "a header", r)
            check(r.query.flatMap { $0.value?.placeholders.map(\.0) ?? [] }, "the query", r)
            switch r.body {
            case .json(let t): check(t.placeholders, "the body", r)
            case .text(let t), .file(let t): check(t.placeholders.map(\.0), "the body", r)
            case .form(let f): check(f.flatMap { $0.value?.placeholders.map(\.0) ?? [] }, "the body", r)
            case nil: break
            }
            known.formUnion(r.captures.map(\.name))
        }
        return out
    }

    private static func rootName(_ name: String) -> String {
        String(name.prefix { $0 != "." })
    }
}
