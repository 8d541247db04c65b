import Foundation
import Mustache
import Testing
@testable import VigilReport
@testable import VigilRunner
import VigilCore
import VigilJSON
import VigilYAML

/// A matrix run with every kind of request: two environments whose events interleave, a
/// polled request, a failure, an error, a skipped request, `finally`, text and binary bodies,
/// and a collection run that never finished (interrupted).
enum SpoolRun {
    static func ref(_ file: String, _ env: String, _ index: Int, _ name: String, section: RequestSection = .requests) -> RequestRef {
        RequestRef(
            collection: file, file: file, environment: env, section: section, index: index, name: name, method: "POST",
            mark: Mark(line: 3 + index, column: 5))
    }

    static func requests(_ env: String) -> [RunEvent] {
        var polled = RequestResult(ref: ref("a.yaml", env, 0, "Polled <b>"), url: "http://h/\(env)/0", outcome: .passed)
        polled.status = 201
        polled.attempts = 2
        polled.duration = .milliseconds(12)
        polled.captures = [("id", .string("7")), ("doc", .object(["k": .array([.int(1), .null])]))]
        polled.checks = [CheckResult(.status, mark: nil, expected: "201", actual: "201", outcome: .passed)]
        polled.exchange = Exchange(
            request: PreparedRequest(
                method: "POST", url: "http://h/\(env)/0", headers: [("Content-Type", "application/json")], body: Array(#"{"a":"é\n"}"#.utf8)),
            response: ReceivedResponse(
                status: 201, headers: [("Content-Type", "application/json")], body: Array(#"{"z":1,"a":[true,"x"]}"#.utf8), duration: .milliseconds(4)))
        var error = RequestResult(ref: ref("a.yaml", env, 2, "Refused"), url: "http://h/\(env)/2", outcome: .error)
        error.message = "connection refused & gone"
        let skipped = RequestResult(ref: ref("a.yaml", env, 3, "Later"), url: "{{api}}/3", outcome: .skipped(reason: "an earlier request failed"))
        var cleanup = RequestResult(ref: ref("a.yaml", env, 0, "Clean up", section: .finally), url: "http://h/\(env)/f", outcome: .passed)
        cleanup.status = 200
        cleanup.exchange = Exchange(
            request: PreparedRequest(method: "POST", url: "http://h/\(env)/f", body: Array("plain\ntext".utf8)),
            response: ReceivedResponse(status: 200, headers: [], body: [0xFF, 0xFE, 0x00], duration: .milliseconds(1)))
        return [
            .attempt(polled.ref, number: 1, elapsed: .milliseconds(5), status: 202),
            .attempt(polled.ref, number: 2, elapsed: .milliseconds(12), status: 201),
            .requestFinished(polled), Events.request("a.yaml", env, 1, "Fails", fails: true),
            .requestFinished(error), .requestFinished(skipped), .requestFinished(cleanup),
        ]
    }

    /// `e2` starts first; their requests alternate; `b.yaml` in `e1` never finishes.
    static var events: [RunEvent] {
        var out: [RunEvent] = [Events.started("a.yaml", "e2"), Events.started("a.yaml", "e1")]
        for (x, y) in zip(requests("e1"), requests("e2")) { out += [x, y] }
        out += [Events.finished("a.yaml", "e1"), Events.finished("a.yaml", "e2"), Events.started("b.yaml", "e1")]
        out.append(Events.request("b.yaml", "e1", 0, "Only", fails: false))
        return out
    }

    /// The suites as kept in memory.
    static func suites(_ events: [RunEvent] = events) -> [SuiteRecord] {
        let log = ReportLog(redactor: Redactor())
        for e in events { log.handle(e) }
        return log.suites
    }

    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vigil-spool-\(UUID().uuidString)-\(name)").path
    }
}

@Suite struct ReportSpoolTests {
    @Test func fragmentsComeBackInOrderAndTheFolderIsPrivateAndRemoved() throws {
        let spool = try ReportSpool()
        let big = String(repeating: "é0123456789", count: 20_000)
        let fragments = ["a", "", big, "z\n"]
        for f in fragments { try spool.append(f, to: "0-1-x") }
        try spool.append("other", to: "0-2-x")
        try spool.flush()
        var read: [String] = []
        try spool.forEach(in: "0-1-x") { read.append($0) }
        #expect(read == fragments)
        try spool.forEach(in: "0-9-none") { _ in Issue.record("no such file") }
        let mode = try FileManager.default.attributesOfItem(atPath: spool.directory)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        spool.remove()
        #expect(!FileManager.default.fileExists(atPath: spool.directory))
    }
}

@Suite struct SpooledReportTests {
    /// The HTML page as one template renders it with everything in memory: the page's marker
    /// lines put back as the sections they stand for.
    static func htmlInMemory(_ suites: [SuiteRecord]) throws -> String {
        let strip = "{{% CONTENT_TYPE: HTML}}"
        let whole = HTMLTemplate.page
            .replacingOccurrences(of: HTMLReporter.suitesMarker, with: "{{#suites}}\n" + HTMLTemplate.suite.dropFirst(strip.count) + "{{/suites}}\n")
            .replacingOccurrences(of: HTMLReporter.failuresMarker, with: "{{#failures}}" + HTMLTemplate.failure.dropFirst(strip.count) + "{{/failures}}\n")
            .replacingOccurrences(of: HTMLReporter.requestsMarker, with: "{{#requests}}\n" + HTMLTemplate.request.dropFirst(strip.count) + "{{/requests}}\n")
            .replacingOccurrences(of: HTMLReporter.gridMarker, with: "{{#gridRows}}" + HTMLTemplate.gridRow.dropFirst(strip.count) + "{{/gridRows}}\n")
        var library = MustacheLibrary()
        try library.register(whole, named: "whole")
        try library.register(HTMLTemplate.body, named: "body")
        var grid = GridCells()
        var failures: [[String: Any]] = []
        var requests: [[[String: Any]]] = []
        for s in suites {
            requests.append(
                s.requests.enumerated().map { ri, r in
                    let anchor = "r\(s.position)-\(ri)", bad = r.outcome == .failed || r.outcome == .error
                    grid.add(r, suite: s, anchor: anchor)
                    if bad {
                        failures.append([
                            "anchor": anchor, "outcome": r.outcomeName, "collection": s.collection, "environment": s.environment,
                            "name": r.ref.name, "firstProblem": r.message ?? r.failures.first?.description ?? "",
                        ])
                    }
                    return HTMLReporter.request(r, anchor: anchor, open: bad)
                })
        }
        var context = HTMLReporter.context(suites, grid: grid)
        context["failures"] = failures
        var rows: [[String: Any]] = []
        try grid.forEachRow(suites) { rows.append($0) }
        context["gridRows"] = rows
        context["suites"] = zip(suites.map(HTMLReporter.suite), requests).map { s, r in s.merging(["requests": r]) { $1 } }
        return library.render(context, withTemplate: "whole") ?? ""
    }

    func written(_ report: any FileReport, _ suites: [SuiteRecord]) throws -> String {
        try report.write(suites, redactor: Redactor())
        defer { try? FileManager.default.removeItem(atPath: report.path) }
        return try String(contentsOfFile: report.path, encoding: .utf8)
    }

    @Test func theSpooledJSONIsTheDocumentInMemory() throws {
        for suites in [SpoolRun.suites(), [], SpoolRun.suites([Events.started("c.yaml", "e")])] {
            let text = try written(JSONReporter(path: SpoolRun.temporary("r.json")), suites)
            #expect(text == JSONReporter.document(suites).serialized(pretty: true) + "\n")
        }
    }

    @Test func theSpooledHTMLIsThePageRenderedInMemory() throws {
        let suites = SpoolRun.suites()
        let text = try written(HTMLReporter(path: SpoolRun.temporary("r.html")), suites)
        #expect(text == (try Self.htmlInMemory(suites)))
        #expect(text.contains("<table class=\"grid\">") && text.contains("id=\"r2-0\""), "the grid, and anchors by suite position")
        #expect(!text.contains("<vigil-"))
        let empty = try written(HTMLReporter(path: SpoolRun.temporary("e.html")), [])
        #expect(empty == (try Self.htmlInMemory([])))
    }

    @Test func theSpooledJUnitHasEveryTestCaseInItsSuite() throws {
        let text = try written(JUnitReporter(path: SpoolRun.temporary("j.xml")), SpoolRun.suites())
        #expect(text.components(separatedBy: "<testcase ").count - 1 == 11)
        #expect(text.contains("<testsuites name=\"vigil\" tests=\"11\" failures=\"2\" errors=\"2\""), "\(text)")
        let e2 = try #require(text.range(of: "name=\"a.yaml · e2\" id=\"0\""))
        let b = try #require(text.range(of: "name=\"b.yaml · e1\" id=\"2\""))
        #expect(text[e2.upperBound..<b.lowerBound].contains("<error message=\"connection refused &amp; gone\""))
        #expect(text[b.upperBound...].contains("<property name=\"interrupted\" value=\"true\"/>"))
        #expect(text.hasSuffix("</testsuite>\n</testsuites>\n"))
    }

    /// Fed events, the report set spools each request as it comes and keeps no record; its
    /// files are those written from records in memory; the spool is gone afterwards.
    @Test func aReportSetSpoolsAsTheRunGoesAndRemovesTheSpool() throws {
        let json = SpoolRun.temporary("r.json"), html = SpoolRun.temporary("r.html")
        defer { for p in [json, html] { try? FileManager.default.removeItem(atPath: p) } }
        let set = ReportSet([JSONReporter(path: json), HTMLReporter(path: html)], redactor: Redactor())
        for e in SpoolRun.events { set.consume(e) }
        let folder = try #require(set.spoolDirectory)
        // One spool file for every report and part, written as collection runs end.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["spool"])
        let spooled = try FileManager.default.attributesOfItem(atPath: folder + "/spool")[.size] as? Int ?? 0
        #expect(spooled > 0, "the finished collection runs were written to the spool")
        #expect((try FileManager.default.attributesOfItem(atPath: folder + "/spool")[.posixPermissions] as? Int) == 0o600)
        #expect(set.writeAll().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder))
        let suites = SpoolRun.suites()
        let started = try NSRegularExpression(pattern: "\"started\": \"[^\"]*\"")
        func dated(_ s: String) -> String {
            started.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: "\"started\": \"-\"")
        }
        #expect(dated(try String(contentsOfFile: json, encoding: .utf8)) == dated(JSONReporter.document(suites).serialized(pretty: true) + "\n"))
        #expect(try String(contentsOfFile: html, encoding: .utf8) == (try Self.htmlInMemory(suites)))
    }

    /// An interrupted run: complete files marked interrupted; a report that cannot be written is
    /// named, the others are written, and the spool is removed all the same.
    @Test func anInterruptedRunAndAnUnwritableReport() throws {
        let blocker = SpoolRun.temporary("blocker"), junit = SpoolRun.temporary("j.xml")
        try Data("a file".utf8).write(to: URL(fileURLWithPath: blocker))
        defer { for p in [blocker, junit] { try? FileManager.default.removeItem(atPath: p) } }
        let set = ReportSet([JSONReporter(path: blocker + "/r.json"), JUnitReporter(path: junit)], redactor: Redactor())
        for e in SpoolRun.events.prefix(8) { set.consume(e) }
        let folder = try #require(set.spoolDirectory)
        let failed = set.writeAll()
        #expect(failed.map(\.path) == [blocker + "/r.json"])
        #expect(!FileManager.default.fileExists(atPath: folder))
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.components(separatedBy: "<property name=\"interrupted\" value=\"true\"/>").count == 3, "both suites")
        #expect(xml.hasSuffix("</testsuites>\n"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (blocker as NSString).deletingLastPathComponent)
        #expect(!leftovers.contains { $0.hasPrefix(".") && $0.contains("r.json.vigil-") })
    }
}
