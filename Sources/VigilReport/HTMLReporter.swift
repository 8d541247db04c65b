#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Mustache
import VigilCore
import VigilJSON
import VigilRunner

/// The HTML report: one self-contained file (no network) with a summary, the failures first,
/// every request with its request and response (bodies pretty-printed, folded when long) and
/// its assertions, and a filter by outcome.
public final class HTMLReporter: FileReport {
    public let path: String
    /// Bodies longer than this many lines are folded.
    static let foldLines = 30

    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        // The templates are constants of this module: a parse error is a programming error.
        try! library.register(HTMLTemplate.page, named: "page")
        try! library.register(HTMLTemplate.request, named: "request")
        try! library.register(HTMLTemplate.failure, named: "failure")
        try! library.register(HTMLTemplate.suite, named: "suite")
        try! library.register(HTMLTemplate.gridRow, named: "gridRow")
        try! library.register(HTMLTemplate.body, named: "body")
        return library
    }()

    static let requestsMarker = "<vigil-requests/>\n"
    static let failuresMarker = "<vigil-failures/>\n"
    static let gridMarker = "<vigil-grid/>\n"
    static let suitesMarker = "<vigil-suites/>\n"

    /// The matrix's cells, collected as requests finish (small: an outcome and a place each).
    private var grid = GridCells()
    private var coverages: [OpenAPICoverage] = []

    public init(path: String) {
        self.path = path
    }

    /// Spools the request's section and, for a failure, its entry in the failure list.
    public func spool(_ r: RequestRecord, of s: SuiteRecord, ordinal: Int, into shelf: SpoolShelf) throws {
        let anchor = "r\(s.position)-\(ordinal)"
        let bad = r.outcome == .failed || r.outcome == .error
        if bad { try shelf.append(HTMLRequestSection.failure(r, of: s, anchor: anchor), for: s, part: "failures") }
        try shelf.append(HTMLRequestSection.render(r, anchor: anchor, open: bad), for: s, part: "requests")
        grid.add(r, suite: s, anchor: anchor)
    }

    /// The page without its requests, failures and grid rows, then each marker line replaced by
    /// them, streamed.
    public func add(_ coverage: OpenAPICoverage) { coverages.append(coverage) }

    public func write(_ suites: [SuiteRecord], from shelf: SpoolShelf, redactor: Redactor) throws {
        let output = try ReportOutput(path: path, redactor: redactor)
        var context = Self.context(suites, grid: grid)
        context["hasCoverage"] = !coverages.isEmpty
        context["coverage"] = coverages.map { c -> [String: Any] in
            [
                "summary": c.summaryLine, "source": c.source, "unmatched": c.unmatched, "hasUnmatched": !c.unmatched.isEmpty,
                "violations": c.violations, "hasViolations": !c.violations.isEmpty,
                "tags": c.tags.map { t -> [String: Any] in
                    [
                        "name": t.name, "count": "\(t.exercised.count)/\(t.exercised.count + t.missed.count)",
                        "exercised": t.exercised.joined(separator: ", "), "missed": t.missed.joined(separator: ", "),
                    ]
                },
            ]
        }
        let page = Self.library.render(context, withTemplate: "page") ?? ""
        // Markers are found with the standard library's searcher, in one pass each: Foundation's
        // `range(of:)` on what is left of a large page made 10,000 suites quadratic.
        var rest = page[...]
        if let marker = rest.firstRange(of: Self.failuresMarker) {
            try output.write(String(rest[..<marker.lowerBound]))
            for s in suites { try shelf.forEach(for: s, part: "failures") { try output.write($0) } }
            rest = rest[marker.upperBound...]
        }
        if let marker = rest.firstRange(of: Self.gridMarker) {
            try output.write(String(rest[..<marker.lowerBound]))
            try grid.forEachRow(suites) { try output.write(Self.library.render($0, withTemplate: "gridRow") ?? "") }
            rest = rest[marker.upperBound...]
        }
        // Each collection run's heading, written by hand (Mustache's page with 10,000 suites in
        // its context was most of this report's cost at the end of a run), then its requests.
        if let marker = rest.firstRange(of: Self.suitesMarker) {
            try output.write(String(rest[..<marker.lowerBound]))
            for s in suites {
                try output.write(HTMLRequestSection.heading(s))
                try shelf.forEach(for: s, part: "requests") { try output.write($0) }
            }
            rest = rest[marker.upperBound...]
        }
        try output.write(String(rest))
        try output.commit()
    }

    /// The page's values: totals, the grid's environments (the suites' headings and requests
    /// are written in place of its marker lines).
    static func context(_ suites: [SuiteRecord], grid: GridCells) -> [String: Any] {
        let all = suites.reduce(Tally()) { $0 + $1.tally }
        let names = Array(Set(suites.map(\.environment))).sorted().map(shown)
        return [
            "hasGrid": names.count > 1, "gridEnvironments": names,
            "title": names.isEmpty ? "no collections" : names.joined(separator: ", "),
            "interrupted": suites.contains { $0.interrupted || !$0.finished },
            "passed": all.passed, "failed": all.failed, "errors": all.errors, "skipped": all.skipped,
            "suiteCount": suites.count, "suiteCountText": Self.counted(suites.count, "collection run"),
            "errorsText": Self.counted(all.errors, "error"), "duration": suites.reduce(Duration.zero) { $0 + $1.duration }.shortText,
            "version": VigilVersion.current, "hasFailures": all.failed + all.errors > 0,
        ]
    }

    /// A suite's heading values for ``HTMLTemplate/suite`` (the reference of ``HTMLRequestSection/heading(_:)``).
    static func suite(_ s: SuiteRecord) -> [String: Any] {
        [
            "collection": shown(s.collection), "environment": shown(s.environment), "file": shown(s.file),
            "interrupted": s.interrupted || !s.finished, "description": shown(s.collectionDescription ?? ""), "passed": s.tally.passed,
            "failed": s.tally.failed + s.tally.errors, "skipped": s.tally.skipped, "duration": s.duration.shortText,
        ]
    }

    /// A failure entry's values for ``HTMLTemplate/failure`` (the reference of ``HTMLRequestSection/failure(_:of:anchor:)``).
    static func failure(_ r: RequestRecord, of s: SuiteRecord, anchor: String) -> [String: Any] {
        [
            "anchor": anchor, "outcome": r.outcomeName, "collection": shown(s.collection), "environment": shown(s.environment),
            "name": shown(r.ref.name), "firstProblem": shown(r.message ?? r.failures.first?.description ?? ""),
        ]
    }

    static func request(_ r: RequestRecord, anchor: String, open: Bool) -> [String: Any] {
        let assertions: [[String: Any]] = Assertions.list(r).map { a in
            let state = a.passed.map { $0 ? "passed" : "failed" } ?? "skipped"
            return templateContext([
                "state": state, "symbol": a.passed.map { $0 ? "✓" : "✗" } ?? "–", "subject": a.subject,
                "expectation": a.expectation, "actual": a.actual,
            ])
        }
        var c = templateContext([
            "anchor": anchor, "open": open, "outcome": r.outcomeName, "name": (r.ref.section == .finally ? "finally: " : "") + r.ref.name,
            "method": r.ref.method, "url": r.url, "status": r.status, "duration": r.duration.shortText,
            "polled": r.attempts > 1, "attempts": r.attempts, "skipReason": r.skipReason, "message": r.message,
            "hasAssertions": !assertions.isEmpty, "assertions": assertions, "hasNotes": !r.notes.isEmpty, "notes": r.notes,
            "requestDescription": r.written?.description,
            "hasCaptures": !r.captures.isEmpty,
            "captures": r.captures.map { ["name": $0.name, "value": $0.value.serialized()] },
            "hasRedirects": !r.redirects.isEmpty, "redirects": r.redirects.map(\.summary),
            "hasPolls": r.polls.count > 1,
            "polls": r.polls.map {
                ["number": $0.number, "status": $0.status.map(String.init) ?? "no response", "elapsed": $0.elapsed.shortText] as [String: Any]
            },
        ])
        if let q = r.request {
            c["request"] = templateContext(["method": r.ref.method, "url": r.url, "headers": headers(q), "body": body(q.body)])
        }
        if let p = r.response {
            c["response"] = templateContext([
                "status": r.status.map(String.init) ?? "", "time": (r.responseDuration ?? .zero).shortText,
                "headers": headers(p), "body": body(p.body),
            ])
        }
        return c
    }

    static func headers(_ m: MessageRecord) -> [[String: String]] {
        m.headers.map { ["name": $0.name, "value": $0.value] }
    }

    static func body(_ b: BodyRecord?) -> [String: Any]? {
        guard let b else { return nil }
        let text = b.displayText
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        return ["text": text, "lines": lines, "folded": lines > foldLines]
    }
}

/// The HTML matrix: a row per request (by collection file, section and position), a column per
/// environment (by name, as in the title), each cell linking to that request's details.
/// Filled as requests finish, in whatever order the environments interleave.
struct GridCells {
    struct Key: Hashable {
        var file: String
        var finally: Bool
        var index: Int
    }
    struct Cell {
        var position: Int
        var outcome: String
        var anchor: String
    }
    /// Each row's name, from the first suite (by position) that has it.
    private var names: [Key: (position: Int, name: String)] = [:]
    private var cells: [Key: [String: Cell]] = [:]

    mutating func add(_ r: RequestRecord, suite s: SuiteRecord, anchor: String) {
        let key = Key(file: s.file, finally: r.ref.section == .finally, index: r.ref.index)
        if (names[key]?.position ?? .max) > s.position { names[key] = (s.position, (key.finally ? "finally: " : "") + r.ref.name) }
        if let cell = cells[key]?[s.environment], cell.position > s.position { return }
        cells[key, default: [:]][s.environment] = Cell(position: s.position, outcome: r.outcomeName, anchor: anchor)
    }

    /// Each row's values, in order, when there is more than one environment.
    func forEachRow(_ suites: [SuiteRecord], _ body: ([String: Any]) throws -> Void) throws {
        let environments = Array(Set(suites.map(\.environment))).sorted()
        guard environments.count > 1 else { return }
        var collections: [String: String] = [:]
        for s in suites { collections[s.file] = s.collection }
        let order = names.keys.sorted { ($0.file, $0.finally ? 1 : 0, $0.index) < ($1.file, $1.finally ? 1 : 0, $1.index) }
        let symbols = ["passed": "✓", "failed": "✗", "error": "✗", "skipped": "–"]
        var lastFile: String?
        for key in order {
            let row: [[String: Any]] = environments.map { env in
                guard let cell = cells[key]?[env] else { return [:] }
                return ["outcome": cell.outcome, "anchor": cell.anchor, "symbol": symbols[cell.outcome] ?? "?"]
            }
            try body([
                "collection": key.file != lastFile ? shown(collections[key.file] ?? key.file) : false, "name": shown(names[key]!.name),
                "cells": row, "gridSpan": environments.count + 1,
            ])
            lastFile = key.file
        }
    }
}

/// A collection's or server's text with its control characters shown escaped (`\e`), as on the
/// console; Mustache then escapes the markup.
func shown(_ text: String) -> String { TerminalText.escaped(text) }

extension HTMLReporter {
    /// `1 collection run`, `2 collection runs`.
    static func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
