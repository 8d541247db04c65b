#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore
import VigilJSON
import VigilRunner

/// The JSON report: every request and response with timings, attempts of polled requests,
/// captures and assertion results. The schema is documented in docs/reports.md; fields are
/// only ever added (`schemaVersion` changes when one is removed or changes meaning).
public final class JSONReporter: FileReport {
    public static let schemaVersion: Int64 = 1
    public let path: String
    /// The OpenAPI coverage of each environment that had a description.
    private var coverages: [OpenAPICoverage] = []
    /// Each environment's base URL (for `vigil merge` to make the same docs).
    public let baseURLs: [String: String]
    /// The share of the collection files this run took (`--shard`).
    public let shard: Shard?

    public init(path: String, baseURLs: [String: String] = [:], shard: Shard? = nil) {
        self.path = path
        self.baseURLs = baseURLs
        self.shard = shard
    }

    public func add(_ coverage: OpenAPICoverage) { coverages.append(coverage) }

    /// `openapi`: per environment, the description, the operations exercised and missed by tag,
    /// and the requests that matched no operation.
    static func coverage(_ c: OpenAPICoverage) -> JSONValue {
        var o = JSONObject()
        o["environment"] = .string(c.environment)
        o["source"] = .string(c.source)
        o["mode"] = .string(c.mode)
        o["operations"] = .int(Int64(c.operationCount))
        o["exercised"] = .int(Int64(c.exercisedCount))
        o["responsesWithViolations"] = .int(Int64(c.responsesWithViolations))
        o["tags"] = .array(
            c.tags.map { t in
                .object(["name": .string(t.name), "exercised": .array(t.exercised.map(JSONValue.string)), "missed": .array(t.missed.map(JSONValue.string))])
            })
        o["unmatched"] = .array(c.unmatched.map(JSONValue.string))
        o["violations"] = .array(c.violations.map(JSONValue.string))
        return .object(o)
    }

    /// Each request's element, as it sits in the document (three levels deep).
    public func spool(_ record: RequestRecord, of suite: SuiteRecord, ordinal: Int, into shelf: SpoolShelf) throws {
        try shelf.append(Self.request(record).serialized(pretty: true, level: Self.requestLevel), for: suite, part: "requests")
    }

    static let requestLevel = 4

    /// The document of ``document(_:)``, written in parts: the suites' fields, then their
    /// spooled requests.
    public func write(_ suites: [SuiteRecord], from shelf: SpoolShelf, redactor: Redactor) throws {
        let output = try ReportOutput(path: path, redactor: redactor)
        var root = Self.head(suites, baseURLs: baseURLs, shard: shard)
        root["suites"] = nil
        if !coverages.isEmpty { root["openapi"] = .array(coverages.map(Self.coverage)) }
        var text = Self.unclosed(root, level: 0) + ",\n  \"suites\": "
        if suites.isEmpty { text += "[]" }
        for (i, s) in suites.enumerated() {
            var o = Self.suiteFields(s)
            o["requests"] = nil
            text += (i == 0 ? "[" : ",") + "\n    " + Self.unclosed(o, level: 2) + ",\n      \"requests\": "
            var first = true
            try shelf.forEach(for: s, part: "requests") { element in
                try output.write(text + (first ? "[" : ",") + "\n        " + element)
                text = ""
                first = false
            }
            text += (first ? "[]" : "\n      ]") + "\n    }"
        }
        try output.write(text + (suites.isEmpty ? "" : "\n  ]") + "\n}\n")
        try output.commit()
    }

    /// An object's pretty text at `level` without its closing brace (its last member, then more may follow).
    static func unclosed(_ o: JSONObject, level: Int) -> String {
        let text = JSONValue.object(o).serialized(pretty: true, level: level)
        return String(text.dropLast(2 * level + 2))
    }

    /// The whole document, in memory.
    static func document(_ suites: [SuiteRecord], baseURLs: [String: String] = [:], shard: Shard? = nil) -> JSONValue {
        var root = head(suites, baseURLs: baseURLs, shard: shard)
        root["suites"] = .array(suites.map(suite))
        return .object(root)
    }

    static func head(_ suites: [SuiteRecord], baseURLs: [String: String], shard: Shard?) -> JSONObject {
        var root = JSONObject()
        root["schemaVersion"] = .int(schemaVersion)
        root["vigil"] = .string(VigilVersion.current)
        root["interrupted"] = .bool(suites.contains { $0.interrupted || !$0.finished })
        root["summary"] = summary(suites.reduce(Tally()) { $0 + $1.tally }, duration: suites.reduce(.zero) { $0 + $1.duration })
        root["shard"] = shard.map { .object(["index": .int(Int64($0.index)), "count": .int(Int64($0.count))]) } ?? .null
        root["environments"] = .array(
            baseURLs.sorted { $0.key < $1.key }.map { .object(["name": .string($0.key), "baseUrl": .string($0.value)]) })
        root["suites"] = .array([])
        return root
    }

    static func summary(_ t: Tally, duration: Duration) -> JSONValue {
        .object([
            "total": .int(Int64(t.total)),
            "passed": .int(Int64(t.passed)),
            "failed": .int(Int64(t.failed)),
            "errors": .int(Int64(t.errors)),
            "skipped": .int(Int64(t.skipped)),
            "durationMs": .int(millis(duration)),
        ])
    }

    static func suiteFields(_ s: SuiteRecord) -> JSONObject {
        var o = JSONObject()
        o["collection"] = .string(s.collection)
        o["file"] = .string(s.file)
        o["environment"] = .string(s.environment)
        o["description"] = s.collectionDescription.map(JSONValue.string) ?? .null
        o["started"] = .string(s.started.formatted(Date.ISO8601FormatStyle()))
        o["fileIndex"] = s.fileIndex.map { .int(Int64($0)) } ?? .null
        o["interrupted"] = .bool(s.interrupted || !s.finished)
        o["summary"] = summary(s.tally, duration: s.duration)
        o["requests"] = .array([])
        return o
    }

    static func suite(_ s: SuiteRecord) -> JSONValue {
        var o = suiteFields(s)
        o["requests"] = .array(s.requests.map(request))
        return .object(o)
    }

    static func request(_ r: RequestRecord) -> JSONValue {
        var o = JSONObject()
        o["section"] = .string(r.ref.section.rawValue)
        o["index"] = .int(Int64(r.ref.index))
        o["name"] = .string(r.ref.name)
        if let description = r.written?.description { o["description"] = .string(description) }
        o["method"] = .string(r.ref.method)
        o["url"] = .string(r.url)
        o["urlTemplate"] = r.written.map { .string($0.urlTemplate) } ?? .null
        o["line"] = .int(Int64(r.ref.mark.line))
        o["column"] = .int(Int64(r.ref.mark.column))
        if let source = r.ref.sourceFile { o["sourceFile"] = .string(source) }
        o["outcome"] = .string(r.outcomeName)
        o["skipReason"] = r.skipReason.map(JSONValue.string) ?? .null
        o["message"] = r.message.map(JSONValue.string) ?? .null
        o["status"] = r.status.map { .int(Int64($0)) } ?? .null
        o["durationMs"] = .int(millis(r.duration))
        o["attempts"] = .int(Int64(r.attempts))
        o["polls"] = .array(
            r.polls.map { p in
                .object(["attempt": .int(Int64(p.number)), "elapsedMs": .int(millis(p.elapsed)), "status": p.status.map { .int(Int64($0)) } ?? .null])
            })
        o["redirects"] = .array(
            r.redirects.map { h in
                .object([
                    "status": .int(Int64(h.status)), "location": .string(h.location), "method": .string(h.method), "url": .string(h.url),
                    "droppedHeaders": .array(h.droppedHeaders.map(JSONValue.string)), "refused": .bool(h.refused),
                ])
            })
        o["captures"] = .array(r.captures.map { .object(["name": .string($0.name), "value": $0.value]) })
        o["assertions"] = .array(
            Assertions.list(r).map { a in
                .object([
                    "subject": .string(a.subject), "expectation": .string(a.expectation),
                    "result": .string(a.passed.map { $0 ? "passed" : "failed" } ?? "not checked"),
                    "actual": a.actual.map(JSONValue.string) ?? .null,
                ])
            })
        o["checks"] = .array(r.checks.map(check))
        o["written"] = r.written.map(written) ?? .null
        o["notes"] = .array(r.notes.map(JSONValue.string))
        o["request"] = r.request.map { message($0, first: ["method": .string(r.ref.method), "url": .string(r.url)]) } ?? .null
        o["response"] =
            r.response.map { message($0, first: ["status": .int(Int64(r.status ?? 0)), "durationMs": .int(millis(r.responseDuration ?? .zero))]) } ?? .null
        return .object(o)
    }

    /// The request as written, as the docs show it (for `vigil merge`).
    static func written(_ w: WrittenRecord) -> JSONValue {
        .object([
            "text": .string(w.text), "description": w.description.map(JSONValue.string) ?? .null, "retry": w.retry.map(JSONValue.string) ?? .null,
            "variables": .array(w.variables.sorted().map(JSONValue.string)),
            "expectations": .array(
                w.expectations.map { a in
                    .object(["words": .string(a.subjectWords), "code": a.subjectCode.map(JSONValue.string) ?? .null, "expectation": .string(a.expectation)])
                }),
        ])
    }

    /// A check as data (``CheckResult``): what `vigil merge` reads back.
    static func check(_ c: CheckResult) -> JSONValue {
        var o = JSONObject()
        let (kind, name, location): (String, String?, String?) =
            switch c.kind {
            case .status: ("status", nil, nil)
            case .header(let h): ("header", h, nil)
            case .json: ("json", nil, nil)
            case .body(let query, let location): ("body", query, location)
            case .duration: ("duration", nil, nil)
            case .capture(let n): ("capture", n, nil)
            case .failWhen: ("failWhen", nil, nil)
            case .schema(let n): ("schema", n, nil)
            case .openAPI(let operation): ("openAPI", operation, nil)
            case .text: ("text", nil, nil)
            case .cookie(let c): ("cookie", c, nil)
            case .xpath(let x): ("xpath", x, nil)
            }
        o["kind"] = .string(kind)
        o["name"] = name.map(JSONValue.string) ?? .null
        o["location"] = location.map(JSONValue.string) ?? .null
        o["line"] = c.mark.map { .int(Int64($0.line)) } ?? .null
        o["column"] = c.mark.map { .int(Int64($0.column)) } ?? .null
        o["expected"] = .string(c.expected)
        o["actual"] = .string(c.actual)
        switch c.outcome {
        case .passed: o["outcome"] = .string("passed")
        case .failed: o["outcome"] = .string("failed")
        case .notChecked(let reason):
            o["outcome"] = .string("not checked")
            o["reason"] = .string(reason)
        }
        return .object(o)
    }

    static func message(_ m: MessageRecord, first: JSONObject) -> JSONValue {
        var o = first
        o["headers"] = .array(m.headers.map { .object(["name": .string($0.name), "value": .string($0.value)]) })
        switch m.body {
        case .json(let v)?: o["body"] = v
        case .text(let t)?: o["bodyText"] = .string(t)
        case .binary(let n)?: o["bodyBytes"] = .int(Int64(n))
        case .omitted(let n)?:
            o["bodyBytes"] = .int(Int64(n))
            o["bodyOmitted"] = .bool(true)
        case .file(let name, let n)?:
            o["bodyFile"] = .string(name)
            o["bodyBytes"] = .int(Int64(n))
        case nil: break
        }
        return .object(o)
    }
}
