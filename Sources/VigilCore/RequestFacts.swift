import VigilJSON
import VigilYAML

/// The two lists of a collection: `requests`, then `finally`.
public enum RequestSection: String, Sendable, Hashable {
    case requests, finally
}

/// What the checks before a run need to know about a collection's requests, gathered while
/// they are decoded, so that a collection streamed from its file (``RequestStream``) can be
/// checked without holding its requests.
///
/// Feed every request, in file order, to ``add(_:section:)``.
public struct RequestFacts: Sendable {
    /// A placeholder that nothing earlier in the collection defines: the environment, `--var`
    /// or a collection variable must (checked by ``ReferenceCheck`` once those are known).
    struct FreeUse: Sendable {
        var name: String
        var what: String
        var request: String
        var mark: Mark
        var section: RequestSection
        /// How many captures of its section came before it (for did-you-mean hints).
        var capturesBefore: Int
        /// Later requests with the same use, reported with the first.
        var more = 0
        /// A name tested by `when:` (not a `{{placeholder}}`), where it is written.
        var tested = false
        /// For a request of an included fragment: its file and include chain.
        var origin: RequestOrigin?
    }

    /// Capture names in the order first captured, per section.
    private(set) var requestCaptures: [String] = []
    private(set) var finallyCaptures: [String] = []
    /// Where each capture name is first written.
    private(set) var captureMarks: [String: Mark] = [:]
    /// Where each capture name is first written without `override: true`.
    private(set) var unmarkedCaptureMarks: [String: Mark] = [:]
    private var requestCaptureSet: Set<String> = []
    private var finallyCaptureSet: Set<String> = []
    private(set) var uses: [FreeUse] = []
    /// `file:` bodies whose path has no placeholder, with where each is written (`origin` for
    /// one in an included fragment): checked against the collection's ``FileBounds`` before the run.
    public private(set) var literalFiles: [(path: String, mark: Mark, origin: RequestOrigin?)] = []
    /// `schema:` files (`expect.schema` and the `schema` operator) written as literal paths:
    /// bounds-checked like ``literalFiles`` and compiled before the run, so that a bad schema
    /// or a `$ref` out of bounds is an error at its place.
    public private(set) var literalSchemas: [(path: String, mark: Mark, origin: RequestOrigin?)] = []
    /// Schemas written inline, compiled before the run like ``literalSchemas``.
    public private(set) var inlineSchemas: [(schema: JSONValue, mark: Mark, origin: RequestOrigin?)] = []
    /// `multipart:` files written as literal paths (streamed: a larger size limit).
    public private(set) var literalUploads: [(path: String, mark: Mark, origin: RequestOrigin?)] = []
    /// Loops whose list has been taken in (a loop's body is several requests).
    private var loopsSeen: Set<String> = []
    /// Auth profiles the requests name, each at the first place it is named.
    public private(set) var authProfiles: [(name: String, mark: Mark)] = []
    private var useIndex: [UseKey: Int] = [:]

    /// The `what` of a name `when:` tests only for equality with literals.
    static let whenEquality = "when (equality)"

    private struct UseKey: Hashable {
        var name: String
        var what: String
        var section: RequestSection
        var file: String?
    }

    /// The first request of each section (name and mark): where problems of the collection's
    /// own variables and of its defaults are shown.
    private(set) var firstRequest: (name: String, mark: Mark)?
    private(set) var firstFinally: (name: String, mark: Mark)?
    /// Whether any request depends on the server's release.
    public private(set) var usesReleases = false
    /// The tags the requests carry (not the collection's own).
    public private(set) var tags: Set<String> = []

    public init() {}

    /// The facts of requests already in memory.
    public init(requests: [RequestSpec], finally: [RequestSpec]) {
        for r in requests { add(r, section: .requests) }
        for r in finally { add(r, section: .finally) }
    }

    /// Every capture of the collection.
    var allCaptures: Set<String> { requestCaptureSet.union(finallyCaptureSet) }

    /// The captures known where `use` stands: for hints among the names it might have meant.
    func capturesKnown(at use: FreeUse) -> [String] {
        switch use.section {
        case .requests: return Array(requestCaptures.prefix(use.capturesBefore))
        case .finally: return requestCaptures + finallyCaptures.prefix(use.capturesBefore)
        }
    }

    /// Whether some request of the `requests` list captures `name` (all are known in `finally`).
    func capturedInRequests(_ name: String) -> Bool { requestCaptureSet.contains(name) }

    /// Takes in the next request of `section`, in file order.
    public mutating func add(_ r: RequestSpec, section: RequestSection) {
        switch section {
        case .requests: if firstRequest == nil { firstRequest = (r.name, r.mark) }
        case .finally: if firstFinally == nil { firstFinally = (r.name, r.mark) }
        }
        if !usesReleases, r.usesReleases { usesReleases = true }
        if !r.tags.isEmpty { tags.formUnion(r.tags) }
        if case .profile(let name, let mark) = r.auth, !authProfiles.contains(where: { $0.name == name }) { authProfiles.append((name, mark)) }
        for loop in r.loops where loopsSeen.insert(loop.id).inserted {
            // The list is read before the loop's requests run, outside the loop's own variables.
            let outer = r.loops.prefix(while: { $0.id != loop.id })
            for p in loop.list.placeholders where !outer.contains(where: { $0.binds(p) }) {
                use(p, "forEach", r, section, at: loop.mark, origin: .some(loop.origin))
            }
        }
        // Empty lists are skipped before any array of placeholders is built: most are empty.
        for case .placeholder(let p, _) in r.url.parts { use(p, "the URL", r, section) }
        if !r.when.isEmpty {
            // The names `when:` tests must be defined by something too: a typo would skip the
            // request for ever, and the run would pass having tested nothing.
            // Equality with literals is told apart: it may test a secret (``SecretComparison``).
            for c in r.when {
                use(.variable(c.variable), c.matcher.isLiteralEquality ? Self.whenEquality : "when", r, section, testedAt: c.mark)
            }
            use(r.when.flatMap(\.matcher.placeholders), "when", r, section)
        }
        if !r.headers.isEmpty { use(r.headers.flatMap { $0.value.placeholders.map(\.0) }, "a header", r, section) }
        if !r.query.isEmpty { use(r.query.flatMap { $0.value?.placeholders.map(\.0) ?? [] }, "the query", r, section) }
        switch r.body {
        case .json(let t): use(t.placeholders, "the body", r, section)
        case .text(let t): use(t.placeholders.map(\.0), "the body", r, section)
        case .file(let t):
            if t.isLiteral {
                literalFiles.append((t.literalText, r.bodyMark ?? r.mark, r.origin))
            } else {
                use(t.placeholders.map(\.0), "the body", r, section)
            }
        case .form(let f): use(f.flatMap { $0.value?.placeholders.map(\.0) ?? [] }, "the body", r, section)
        case .multipart(let parts):
            for part in parts {
                if case .file(let t) = part.content, t.isLiteral { literalUploads.append((t.literalText, part.mark, r.origin)) }
                use(part.templates.flatMap { $0.placeholders.map(\.0) }, "the body", r, section)
            }
        case nil: break
        }
        for c in r.captures {
            if captureMarks[c.name] == nil { captureMarks[c.name] = c.mark }
            if !c.overrides, unmarkedCaptureMarks[c.name] == nil { unmarkedCaptureMarks[c.name] = c.mark }
            switch section {
            case .requests: if requestCaptureSet.insert(c.name).inserted { requestCaptures.append(c.name) }
            case .finally: if finallyCaptureSet.insert(c.name).inserted { finallyCaptures.append(c.name) }
            }
        }
        if let schema = r.expect.schema { noteSchema(schema.source, schema.mark, r.origin) }
        for b in r.expect.body { for source in b.matcher.schemaSources { noteSchema(source, b.mark, r.origin) } }
        // Expected values may use this request's own captures (they are resolved after capture).
        if !r.expect.isEmpty { use(r.expect.placeholders, "an expectation", r, section) }
        if let retry = r.retry {
            use((retry.until?.placeholders ?? []) + (retry.failWhen?.placeholders ?? []), "an expectation", r, section)
        }
    }

    private mutating func noteSchema(_ source: SchemaExpectation.Source, _ mark: Mark, _ origin: RequestOrigin?) {
        switch source {
        case .file(let path): literalSchemas.append((path, mark, origin))
        case .inline(let schema): inlineSchemas.append((schema, mark, origin))
        }
    }

    private mutating func use(_ placeholders: [Placeholder], _ what: String, _ r: RequestSpec, _ section: RequestSection) {
        for p in placeholders { use(p, what, r, section) }
    }

    private mutating func use(
        _ placeholder: Placeholder, _ what: String, _ r: RequestSpec, _ section: RequestSection, testedAt: Mark? = nil, at place: Mark? = nil,
        origin: RequestOrigin?? = nil
    ) {
        let origin = origin ?? r.origin
        if case .variable(let name) = placeholder {
            if place == nil, !r.loops.isEmpty, r.loops.contains(where: { $0.binds(placeholder) }) { return }
            let captures = section == .requests ? requestCaptureSet : finallyCaptureSet
            if captures.contains(name) { return }
            if name.utf8.contains(UInt8(ascii: ".")), captures.contains(ReferenceCheck.rootName(name)) { return }
            // One entry per name, place and section: a collection of 10,000 requests that all
            // use {{baseUrl}} keeps one, not 10,000.
            let key = UseKey(name: name, what: testedAt == nil ? what : "when-name \(what)", section: section, file: origin?.file)
            if let i = useIndex[key] {
                uses[i].more += 1
                return
            }
            useIndex[key] = uses.count
            uses.append(
                FreeUse(
                    name: name, what: what, request: r.name, mark: testedAt ?? place ?? r.mark, section: section,
                    capturesBefore: section == .requests ? requestCaptures.count : finallyCaptures.count, tested: testedAt != nil,
                    origin: origin))
        }
    }
}

extension RequestSpec {
    /// Whether the request depends on the server's release (a gate or a release-keyed value).
    public var usesReleases: Bool {
        requires != nil || expect.usesReleases || (retry?.until?.usesReleases ?? false) || (retry?.failWhen?.usesReleases ?? false)
    }
}

extension Expectations {
    var usesReleases: Bool {
        body.contains { $0.requires != nil || $0.matcher.usesReleases } || headers.contains { $0.matcher.usesReleases }
            || (text?.usesReleases ?? false) || cookies.contains { $0.matcher.usesReleases } || xpath.contains { $0.matcher.usesReleases }
    }
}

extension Matcher {
    var usesReleases: Bool {
        switch self {
        case .equals: return false
        case .byRelease: return true
        case .all(let ops):
            return ops.contains {
                switch $0 {
                case .length(let m), .not(let m): return m.usesReleases
                default: return false
                }
            }
        }
    }
}

extension RequestSpec {
    /// The variables the request reads to be sent: in the URL, headers, query, body and the
    /// values of `when:` (not the names it tests: `exists: false` is meant for a missing one).
    public var variablesUsed: [String] {
        var ps: [Placeholder] = url.placeholders.map(\.0)
        ps += when.flatMap(\.matcher.placeholders)
        ps += headers.flatMap { $0.value.placeholders.map(\.0) }
        ps += query.flatMap { $0.value?.placeholders.map(\.0) ?? [] }
        switch body {
        case .json(let t): ps += t.placeholders
        case .text(let t), .file(let t): ps += t.placeholders.map(\.0)
        case .form(let f): ps += f.flatMap { $0.value?.placeholders.map(\.0) ?? [] }
        case .multipart(let parts): ps += parts.flatMap { $0.templates.flatMap { $0.placeholders.map(\.0) } }
        case nil: break
        }
        return ps.compactMap { if case .variable(let name) = $0 { name } else { nil } }
    }
}

extension CollectionFile {
    /// Every tag the collection and its requests carry.
    public var allTags: Set<String> { facts.tags.union(tags) }

    /// A warning for each name of `--tag` or `--skip-tag` (`flag`) that no collection in
    /// `collections` uses, with did-you-mean.
    public static func unusedTagWarnings(_ names: [String], flag: String, in collections: [CollectionFile]) -> [String] {
        guard !names.isEmpty else { return [] }
        let used = collections.reduce(into: Set<String>()) { $0.formUnion($1.allTags) }
        return names.filter { !used.contains($0) }.map {
            "warning: \(flag) \($0): no collection or request is tagged '\($0)'\(Suggestion.hint(for: $0, among: used))"
        }
    }
}

extension Loop {
    /// Whether `placeholder` reads this loop's item or its index (`{{camera}}`, `{{camera.id}}`, `{{camera.index}}`).
    func binds(_ placeholder: Placeholder) -> Bool {
        guard case .variable(let name) = placeholder else { return false }
        return name == variable || ReferenceCheck.rootName(name) == variable
    }
}
