import VigilCore

/// A report asked for with `--report KIND=PATH`.
public struct ReportRequest: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case junit, json, html, markdown
    }

    public var kind: Kind
    /// A file; for `markdown`, a folder.
    public var path: String
    /// `markdown`: keep the run's ids and timestamps (`--keep-values`).
    public var keepsValues = false
    /// `markdown`: the command that made the pages, secrets masked (named in their footer).
    public var command: String?

    public init(kind: Kind, path: String) {
        self.kind = kind
        self.path = path
    }

    /// Parses `junit=out/junit.xml`; the error says what is expected.
    public init(parsing text: String) throws(ReportRequestError) {
        guard let eq = text.firstIndex(of: "="), case let path = String(text[text.index(after: eq)...]), !path.isEmpty else {
            throw ReportRequestError("--report takes KIND=PATH (KIND: \(Self.kindList)), got '\(text)'")
        }
        let name = text[..<eq].lowercased()
        guard let kind = Kind(rawValue: name == "md" ? "markdown" : name) else {
            throw ReportRequestError("unknown report kind '\(text[..<eq])'; kinds: \(Self.kindList)")
        }
        if kind == .markdown, path == "-" {
            throw ReportRequestError("a markdown report is a folder of pages; it cannot go to standard output (-): give a folder")
        }
        self.init(kind: kind, path: path)
    }

    /// Whether the report goes to standard output: `-`, or a path that is the same file as it
    /// (`/dev/stdout`, `/dev/fd/1`, or the file standard output is redirected to). The console
    /// then writes to standard error, so the report stays whole and parseable.
    public var writesToStandardOutput: Bool {
        if path == "-" { return true }
        return ReportOutput.isStandardOutput(path)
    }

    static var kindList: String { Kind.allCases.map(\.rawValue).joined(separator: ", ") }

    public var description: String { "\(kind.rawValue)=\(path)" }

    /// The reporter for this request. `stabilizers` (per environment name) make docs stable;
    /// the JSON report keeps their base URLs, and the run's `shard`, for `vigil merge`.
    /// `suiteStabilizers` (per ``SuiteRecord/key``) win over them in the docs (a merge: each shard had its own base URL).
    public func makeReporter(
        stabilizers: [String: DocsStabilizer] = [:], suiteStabilizers: [String: DocsStabilizer] = [:], shard: Shard? = nil
    ) -> any FileReport {
        switch kind {
        case .junit: JUnitReporter(path: path)
        case .json: JSONReporter(path: path, baseURLs: stabilizers.compactMapValues(\.baseURL), shard: shard)
        case .html: HTMLReporter(path: path)
        case .markdown:
            MarkdownReporter(directory: path, stabilizers: stabilizers, suiteStabilizers: suiteStabilizers, keepsValues: keepsValues, command: command)
        }
    }
}

public struct ReportRequestError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
