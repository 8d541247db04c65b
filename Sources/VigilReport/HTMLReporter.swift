import Foundation
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
        try! library.register(HTMLTemplate.body, named: "body")
        return library
    }()

    public init(path: String) {
        self.path = path
    }

    public func write(_ suites: [SuiteRecord], redactor: Redactor) throws {
        try save(Self.render(suites), to: path, redactor: redactor)
    }

    static func render(_ suites: [SuiteRecord]) -> String {
        library.render(context(suites), withTemplate: "page") ?? ""
    }

    static func context(_ suites: [SuiteRecord]) -> [String: Any] {
        let all = suites.flatMap(\.requests)
        var failures: [[String: Any]] = []
        var suiteContexts: [[String: Any]] = []
        for (si, s) in suites.enumerated() {
            var requests: [[String: Any]] = []
            for (ri, r) in s.requests.enumerated() {
                let anchor = "r\(si)-\(ri)"
                let bad = r.outcome == .failed || r.outcome == .error
                if bad {
                    let first = r.message ?? r.failures.first?.description ?? ""
                    failures.append([
                        "anchor": anchor, "outcome": r.outcomeName, "collection": s.collection, "environment": s.environment,
                        "name": r.ref.name, "firstProblem": first,
                    ])
                }
                requests.append(request(r, anchor: anchor, open: bad))
            }
            let title = s.collection
            suiteContexts.append([
                "collection": title, "environment": s.environment, "file": s.file, "interrupted": s.interrupted || !s.finished,
                "description": s.model?.description ?? "", "passed": s.count("passed"), "failed": s.count("failed") + s.count("error"),
                "skipped": s.count("skipped"), "duration": s.duration.shortText, "requests": requests,
            ])
        }
        let names = Array(Set(suites.map(\.environment))).sorted()
        let grid = gridContext(suites)
        return [
            "hasGrid": grid.environments.count > 1, "gridEnvironments": grid.environments, "gridRows": grid.rows,
            "title": names.isEmpty ? "no collections" : names.joined(separator: ", "),
            "interrupted": suites.contains { $0.interrupted || !$0.finished },
            "passed": all.count { $0.outcome == .passed }, "failed": all.count { $0.outcome == .failed },
            "errors": all.count { $0.outcome == .error }, "skipped": all.count { $0.outcome.isSkipped },
            "suiteCount": suites.count, "duration": suites.reduce(Duration.zero) { $0 + $1.duration }.shortText,
            "version": VigilVersion.current, "hasFailures": !failures.isEmpty, "failures": failures, "suites": suiteContexts,
        ]
    }

    /// The matrix: a row per request (by collection file, section and position), a column per
    /// environment (by name, as in the title), each cell linking to that request's details.
    static func gridContext(_ suites: [SuiteRecord]) -> (environments: [String], rows: [[String: Any]]) {
        let environments = Array(Set(suites.map(\.environment))).sorted()
        struct Key: Hashable { var file: String; var finally: Bool; var index: Int }
        var order: [Key] = []
        var names: [Key: String] = [:]
        var collections: [String: String] = [:]
        var cells: [Key: [String: (String, String)]] = [:]
        for (si, s) in suites.enumerated() {
            collections[s.file] = s.collection
            for (ri, r) in s.requests.enumerated() {
                let key = Key(file: s.file, finally: r.ref.section == .finally, index: r.ref.index)
                if names[key] == nil { order.append(key); names[key] = (key.finally ? "finally: " : "") + r.ref.name }
                cells[key, default: [:]][s.environment] = (r.outcomeName, "r\(si)-\(ri)")
            }
        }
        order.sort { ($0.file, $0.finally ? 1 : 0, $0.index) < ($1.file, $1.finally ? 1 : 0, $1.index) }
        var rows: [[String: Any]] = []
        var lastFile: String?
        for key in order {
            let symbols = ["passed": "✓", "failed": "✗", "error": "✗", "skipped": "–"]
            let row: [[String: Any]] = environments.map { env in
                guard let (outcome, anchor) = cells[key]?[env] else { return [:] }
                return ["outcome": outcome, "anchor": anchor, "symbol": symbols[outcome] ?? "?"]
            }
            rows.append([
                "collection": key.file != lastFile ? (collections[key.file] ?? key.file) : false, "name": names[key]!,
                "cells": row, "gridSpan": environments.count + 1,
            ])
            lastFile = key.file
        }
        return (environments, rows)
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
            "hasCaptures": !r.captures.isEmpty,
            "captures": r.captures.map { ["name": $0.name, "value": $0.value.serialized()] },
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
