#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Mustache
import VigilCore
import VigilJSON
import VigilRunner

/// Documentation by example: one Markdown page per collection (per environment in a matrix)
/// and an index, `DIR/README.md`. Each request is shown as written and as sent (`http`
/// blocks), with the response as received (keys in the server's order), what it captured and
/// which later request uses it, and its checks in plain words. No timings or attempt counts:
/// the same run gives the same text.
public final class MarkdownReporter: FileReport {
    public let path: String
    private let stabilizers: [String: DocsStabilizer]
    private let suiteStabilizers: [String: DocsStabilizer]
    /// Response headers left out of the docs: they change on every request.
    static let volatileHeaders: Set<String> = ["date", "connection", "keep-alive", "user-agent"]

    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        try! library.register(MarkdownTemplate.page, named: "page")
        try! library.register(MarkdownTemplate.index, named: "index")
        return library
    }()

    /// `directory` receives the pages; `stabilizers` are per environment name, `suiteStabilizers`
    /// per suite (``SuiteRecord/key``: the shards of a merged run each had their own base URL).
    public init(directory: String, stabilizers: [String: DocsStabilizer] = [:], suiteStabilizers: [String: DocsStabilizer] = [:]) {
        path = directory
        self.stabilizers = stabilizers
        self.suiteStabilizers = suiteStabilizers
    }

    /// A page names the later requests that use each capture: the records are kept.
    public var keepsRecords: Bool { true }

    public func spool(_ record: RequestRecord, of suite: SuiteRecord, ordinal: Int, into shelf: SpoolShelf) throws {}

    /// A page per suite, from its records, then the index.
    public func write(_ suites: [SuiteRecord], from shelf: SpoolShelf, redactor: Redactor) throws {
        let matrix = Set(suites.map(\.environment)).count > 1
        var pages: [[String: Any]] = []
        for s in suites {
            let name = Self.fileName(s, matrix: matrix)
            let stabilizer = suiteStabilizers[s.key] ?? stabilizers[s.environment] ?? DocsStabilizer()
            let baseURLs = stabilizer.replacements.filter { $0.with == "{{baseUrl}}" }.map(\.value)
            try save(stabilizer.apply(Self.page(s, baseURLs: baseURLs)), to: path + "/" + name, redactor: redactor)
            pages.append(
                templateContext([
                    "title": MarkdownText.inline(s.collection), "link": MarkdownText.link(name),
                    "environment": matrix ? MarkdownText.inline(s.environment) : nil as String?, "summary": Self.summary(s),
                ]))
        }
        let environments = Array(Set(suites.map(\.environment))).sorted().map { "\"\(MarkdownText.inline($0))\"" }.joined(separator: ", ")
        let index = Self.library.render(["title": "API examples", "environments": environments, "pages": pages], withTemplate: "index") ?? ""
        try save(index, to: path + "/README.md", redactor: redactor)
    }

    static func fileName(_ s: SuiteRecord, matrix: Bool) -> String {
        let stem = PathText.deletingExtension(PathText.lastComponent(s.file))
        // A data-driven collection has a page per row.
        let row = s.model?.dataRow.map { "-row-\($0.number)" } ?? ""
        return (matrix ? slug(s.environment) + "/" : "") + stem + row + ".md"
    }

    static func slug(_ s: String) -> String {
        String(s.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    static func summary(_ s: SuiteRecord) -> String {
        let passed = s.count("passed"), failed = s.count("failed") + s.count("error"), skipped = s.count("skipped")
        var summary = "\(passed) of \(s.tally.total) requests passed"
        if failed > 0 { summary += ", \(failed) failed" }
        if skipped > 0 { summary += ", \(skipped) skipped" }
        return summary
    }

    static func page(_ s: SuiteRecord, baseURLs: [String] = []) -> String {
        var requests: [[String: Any]] = []
        for (i, r) in s.requests.enumerated() {
            requests.append(request(r, number: i + 1, later: Array(s.requests.enumerated().dropFirst(i + 1)), baseURLs: baseURLs))
        }
        let description = s.collectionDescription?.trimmingWhitespaceAndNewlines()
        return library.render(
            templateContext([
                "title": MarkdownText.inline(s.collection), "fileComment": "`\(MarkdownText.comment(s.file))`",
                "environmentComment": MarkdownText.comment(s.environment), "environment": MarkdownText.inline(s.environment),
                "description": description.map(MarkdownText.lines),
                "interrupted": s.interrupted || !s.finished, "summary": summary(s), "requests": requests,
            ]), withTemplate: "page") ?? ""
    }

    static func request(_ r: RequestRecord, number: Int, later: [(offset: Int, element: RequestRecord)], baseURLs: [String] = []) -> [String: Any] {
        var c: [String: Any] = ["number": number, "name": MarkdownText.inline((r.ref.section == .finally ? "Finally: " : "") + r.ref.name)]
        c["skipReason"] = r.skipReason.map(MarkdownText.inline)
        if let description = r.written?.description?.trimmingWhitespaceAndNewlines(), !description.isEmpty {
            c["requestDescription"] = MarkdownText.lines(description)
        }
        if let written = r.written {
            c["written"] = MarkdownText.fence(written.text, info: "http")
            c["retry"] = written.retry
        } else {
            c["written"] = MarkdownText.fence("\(r.ref.method) \(r.url)", info: "http")
        }
        if let q = r.request {
            var lines = ["\(r.ref.method) \(r.url)"] + q.headers.filter { !volatileHeaders.contains($0.name.lowercased()) }.map { "\($0.name): \($0.value)" }
            if let body = q.body { lines += ["", body.displayText] }
            c["sent"] = MarkdownText.fence(lines.joined(separator: "\n"), info: "http")
            let headers = q.headers.filter {
                !volatileHeaders.contains($0.name.lowercased()) && $0.name.lowercased() != "host" && $0.name.lowercased() != "content-length"
            }
            c["curl"] = CurlCommand.text(method: r.ref.method, url: r.url, headers: headers, body: q.body, baseURLs: baseURLs).map {
                MarkdownText.fence($0, info: "sh")
            }
        }
        c["hasRedirects"] = !r.redirects.isEmpty
        c["redirects"] = r.redirects.map { "↪ " + MarkdownText.code($0.summary) }
        if let p = r.response {
            var lines =
                ["HTTP/1.1 \(r.status.map(String.init) ?? "")"]
                + p.headers.filter { !volatileHeaders.contains($0.name.lowercased()) }.map { "\($0.name): \($0.value)" }
            if let body = p.body { lines += ["", body.displayText] }
            c["received"] = MarkdownText.fence(lines.joined(separator: "\n"), info: "http")
            c["polled"] = r.written?.retry != nil
        }
        if r.outcome == .error || (r.outcome == .failed && r.failures.isEmpty) { c["message"] = r.message.map(MarkdownText.inline) }
        let captures: [[String: Any]] = r.captures.map { capture in
            let users = later.compactMap { entry -> String? in
                guard entry.element.written?.variables.contains(capture.name) == true else { return nil }
                return "\(entry.offset + 1). \(MarkdownText.inline(entry.element.ref.name))"
            }
            return templateContext([
                "name": MarkdownText.code(capture.name), "value": MarkdownText.code(capture.value.excerpt(limit: 120)),
                "usedBy": users.isEmpty ? nil as String? : users.joined(separator: "; "),
            ])
        }
        c["hasCaptures"] = !captures.isEmpty
        c["captures"] = captures
        let assertions: [[String: Any]] = Assertions.list(r).map { a in
            // What was found: always for a failed check; for a passed one only when it adds to
            // the sentence (not for an equality, and not when long).
            let equal = a.expectation == "is \(a.actual ?? "")"
            let shown = a.passed == false || (!equal && (a.actual?.count ?? 0) <= 80) ? a.actual : nil
            let subject = [MarkdownText.inline(a.subjectWords), a.subjectCode.map(MarkdownText.code) ?? ""].filter { !$0.isEmpty }
            return templateContext([
                "mark": a.passed.map { $0 ? "✓" : "✗" } ?? "–", "sentence": (subject + [MarkdownText.inline(a.expectation)]).joined(separator: " "),
                "actual": shown.map(MarkdownText.code),
            ])
        }
        c["hasAssertions"] = !assertions.isEmpty
        c["assertions"] = assertions
        return c
    }
}
