#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilYAML

/// Finds placeholders that nothing defines, before a single request is sent.
///
/// A variable is known when a layer defines it, the caller provides it, or an earlier request
/// captures it (`finally` sees every capture). Works from the collection's ``RequestFacts``,
/// so a scanned collection is checked without its requests in memory; a name used by many
/// requests in the same place is reported once, at the first, with how many more.
public enum ReferenceCheck {
    /// `file:` bodies written as literal paths that ``FileBounds`` refuses (outside the
    /// collection's root and the `allowed` folders, missing, a folder, a symbolic-link loop,
    /// too large): errors before the run, at the path's place in the file.
    public static func fileReads(in collection: CollectionFile, allowed: [String]) -> [Diagnostic] {
        let facts = collection.facts
        let files = facts.literalFiles + facts.literalSchemas + facts.literalUploads
        guard !files.isEmpty else { return [] }
        let folder = PathText.folder(of: collection.file)
        let roots = [collection.root ?? (folder.isEmpty ? "." : folder)] + allowed
        // `file:` bodies over 1 MiB are streamed like multipart files: the same size limit.
        let bounds = FileBounds(roots: roots, maxBytes: MultipartPart.maxFileBytes)
        return files.compactMap { file in
            // A fragment's files are relative to the fragment.
            let from = file.origin.map { IncludeExpander.folder(of: $0.file) } ?? (folder.isEmpty ? "." : folder)
            guard case .failure(let e) = bounds.resolve(file.path, relativeTo: from) else { return nil }
            return Diagnostic(file: file.origin?.file ?? collection.file, mark: file.mark, message: e.description, includedFrom: file.origin?.chain ?? [])
        }.sorted { ($0.file, $0.mark.line, $0.mark.column) < ($1.file, $1.mark.line, $1.mark.column) }
    }

    /// Auth profiles the collection or its requests name that `environment` does not define:
    /// errors before the run (did-you-mean), not a failed request in the middle of it.
    public static func authProfiles(in collection: CollectionFile, environment: Environment) -> [Diagnostic] {
        var named = collection.facts.authProfiles
        if case .profile(let name, let mark) = collection.auth { named.insert((name, mark), at: 0) }
        let defined = Set(environment.auth.keys)
        var seen = Set<String>()
        return named.compactMap { profile in
            guard !defined.contains(profile.name), seen.insert(profile.name).inserted else { return nil }
            let known = defined.isEmpty ? " (it defines none)" : Suggestion.hint(for: profile.name, among: defined)
            return Diagnostic(
                file: collection.file, mark: profile.mark,
                message: "auth profile '\(profile.name)' is not defined in environment '\(environment.name)' (\(environment.file))\(known)")
        }
    }

    /// `known` are the names the environment, `--var` and the caller define.
    /// Captures that would change where credentials go: a capture named like an environment
    /// variable that an auth profile, `tls`, `proxy` or the server address uses (directly or
    /// through other variables), such as `baseUrl` for the default token URL. Errors: a response
    /// must never be able to redirect sign-in. A capture named like any other environment
    /// variable is a warning, unless the capture says `override: true`.
    public static func credentialShadowing(in collection: CollectionFile, environment: Environment) -> [Diagnostic] {
        var guarded: Set<String> = ["baseUrl"]
        var queue: [String] = []
        for profile in environment.auth.values {
            for t in profile.templates { for case .variable(let name) in t.placeholders.map(\.0) { queue.append(name) } }
        }
        let definitions = Dictionary(environment.variables.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        while let name = queue.popLast() {
            let root = rootName(name)
            guard guarded.insert(root).inserted || root == "baseUrl" else { continue }
            if let tree = definitions[root] {
                for case .variable(let ref) in tree.placeholders where !guarded.contains(rootName(ref)) { queue.append(ref) }
            }
        }
        let facts = collection.facts
        let errors = guarded.sorted().compactMap { name -> Diagnostic? in
            guard let mark = facts.captureMarks[name] else { return nil }
            return Diagnostic(
                file: collection.file, mark: mark,
                message: "capture '\(name)' would change where sign-in and credentials go (the environment's auth uses it); rename it")
        }
        // A data file's columns rank above the environment: a column named like a guarded
        // variable would move sign-in for every row, so it is refused like a capture.
        let columns = Set(collection.dataColumns)
        let dataErrors = guarded.sorted().filter { columns.contains($0) }.map { name -> Diagnostic in
            let source = collection.data.map { "the data file \($0.path)" } ?? "the --data file"
            return Diagnostic(
                file: collection.file, mark: collection.data?.mark ?? facts.firstRequest?.mark ?? Mark(line: 1, column: 1),
                message: "column '\(name)' of \(source) would change where sign-in and credentials go (the environment's auth uses it); rename it")
        }
        let warnings = definitions.keys.sorted().compactMap { name -> Diagnostic? in
            guard !guarded.contains(name), let mark = facts.unmarkedCaptureMarks[name] else { return nil }
            return Diagnostic(
                file: collection.file, mark: mark,
                message:
                    "capture '\(name)' replaces the environment's variable '\(name)' for the rest of the run; rename it, or add override: true if that is meant",
                severity: .warning)
        }
        return errors + dataErrors + warnings
    }

    public static func undefinedVariables(in collection: CollectionFile, known: Set<String>) -> [Diagnostic] {
        let facts = collection.facts
        let base = known.union(collection.variables.map(\.name)).union(collection.dataColumns)
        func isKnown(_ name: String, _ set: Set<String>) -> Bool { set.contains(name) || set.contains(rootName(name)) }
        var out: [Diagnostic] = []
        // Definitions are evaluated on first use, so they may refer to any capture of the collection.
        let everything = base.union(facts.allCaptures)
        for (name, tree) in collection.variables {
            for case .variable(let ref) in tree.placeholders where !isKnown(ref, everything) {
                out.append(
                    Diagnostic(
                        file: collection.file, mark: facts.firstRequest?.mark ?? .init(line: 1, column: 1),
                        message: "variable '\(name)' uses '{{\(ref)}}', which nothing defines\(Suggestion.hint(for: ref, among: base))"))
            }
        }
        // Defaults apply to every request, from the first on, before anything is captured.
        if let first = facts.firstRequest ?? facts.firstFinally {
            let defaults: [(String, [Placeholder])] = [
                ("a default header", collection.defaults.headers.flatMap { $0.value.placeholders.map(\.0) }),
                ("the default query", collection.defaults.query.flatMap { $0.value?.placeholders.map(\.0) ?? [] }),
            ]
            for (what, placeholders) in defaults {
                for case .variable(let name) in placeholders where !isKnown(name, base) {
                    out.append(
                        Diagnostic(
                            file: collection.file, mark: first.mark,
                            message:
                                "request '\(first.name)' uses '{{\(name)}}' in \(what), but no variable, --var or earlier capture defines it\(Suggestion.hint(for: name, among: base))"
                        ))
                }
            }
        }
        for use in facts.uses where !isKnown(use.name, base) {
            if use.section == .finally, facts.capturedInRequests(use.name) || facts.capturedInRequests(rootName(use.name)) { continue }
            let hint = Suggestion.hint(for: use.name, among: base.union(facts.capturesKnown(at: use)))
            let more = use.more == 0 ? "" : use.more == 1 ? " (and in 1 later request)" : " (and in \(use.more) later requests)"
            out.append(
                Diagnostic(
                    file: use.origin?.file ?? collection.file, mark: use.mark,
                    message: use.tested
                        ? "request '\(use.request)' tests '\(use.name)' in when:, but no variable, --var or earlier capture defines it (the request would always be skipped)\(hint)\(more)"
                        : "request '\(use.request)' uses '{{\(use.name)}}' in \(use.what), but no variable, --var or earlier capture defines it\(hint)\(more)",
                    includedFrom: use.origin?.chain ?? []))
        }
        return out
    }

    /// Rows of the data file that lack a column a request uses: errors at the row's line.
    public static func dataRows(in collection: CollectionFile, table: DataTable) -> [Diagnostic] {
        let columns = Set(table.columns)
        var used: [(column: String, request: String)] = []
        for use in collection.facts.uses {
            let root = rootName(use.name)
            if columns.contains(root), !used.contains(where: { $0.column == root }) { used.append((root, use.request)) }
        }
        var out: [Diagnostic] = []
        for row in table.rows {
            let has = Set(row.values.map(\.name))
            for (column, request) in used where !has.contains(column) {
                out.append(
                    Diagnostic(
                        file: table.file, mark: Mark(line: row.line, column: 1),
                        message: "row \(row.number) has no value for column '\(column)', which request '\(request)' of \(collection.file) uses"))
            }
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
            + (text?.placeholders ?? []) + cookies.flatMap(\.matcher.placeholders) + xpath.flatMap(\.matcher.placeholders)
    }
}

extension Matcher {
    /// The schema files `schema:` operators name, for the bounds check before the run.
    var schemaFiles: [String] {
        schemaSources.compactMap { if case .file(let path) = $0 { path } else { nil } }
    }

    /// The schemas `schema:` operators name, files and inline ones, compiled before the run.
    var schemaSources: [SchemaExpectation.Source] {
        switch self {
        case .equals: return []
        case .byRelease(let cases, let fallback): return cases.flatMap(\.matcher.schemaSources) + (fallback?.schemaSources ?? [])
        case .all(let ops):
            return ops.flatMap { op -> [SchemaExpectation.Source] in
                switch op {
                case .schema(let source): return [source]
                case .length(let m), .not(let m): return m.schemaSources
                default: return []
                }
            }
        }
    }

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
                case .exists, .empty, .type, .schema:
                    return []
                }
            }
        }
    }
}
