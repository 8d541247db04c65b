#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore
import VigilJSON
import VigilRunner
import VigilYAML

/// A JSON report read back (`vigil merge`): its suites with every record as the run had them
/// (the requests as written too, ``WrittenRecord``), without the collections' models, which
/// reports need only for what the JSON report keeps (descriptions, requests as written).
public struct ReadReport: Sendable {
    public var file: String
    public var suites: [SuiteRecord]
    /// Each environment's base URL, by name.
    public var baseURLs: [String: String]
    public var shard: Shard?
    /// The OpenAPI coverage of each environment that had a description (`openapi`).
    public var coverages: [OpenAPICoverage] = []
}

/// A JSON report that cannot be read back, with where in it.
public struct ReportReadError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Reads the JSON report (docs/reports.md) back into suites and records.
public enum ReportReader {
    public static func read(_ bytes: [UInt8], file: String) throws(ReportReadError) -> ReadReport {
        let root: JSONValue
        do { root = try JSONValue(parsing: bytes) } catch { throw ReportReadError("\(file):\(error.line):\(error.column): not JSON: \(error.message)") }
        let r = Reader(file: file, path: "", value: root)
        guard root["schemaVersion"] != nil, root["suites"] != nil else {
            throw ReportReadError("\(file): not a Vigil JSON report (no schemaVersion and suites)")
        }
        let version = try r.int("schemaVersion")
        guard version == JSONReporter.schemaVersion else {
            throw ReportReadError("\(file): a JSON report of schema version \(version); this vigil reads version \(JSONReporter.schemaVersion)")
        }
        var baseURLs: [String: String] = [:]
        for e in try r.optionalArray("environments") ?? [] { baseURLs[try e.string("name")] = try e.string("baseUrl") }
        var shard: Shard?
        if let s = try r.optional("shard") {
            do { shard = try Shard(index: Int(try s.int("index")), count: Int(try s.int("count"))) } catch let e as ShardError {
                throw ReportReadError("\(file): shard: \(e.description)")
            } catch let e as ReportReadError { throw e } catch { throw ReportReadError("\(file): shard: \(error)") }
        }
        var suites = try r.array("suites").map(suite)
        for i in suites.indices {
            suites[i].position = i
            suites[i].serial = i
        }
        var coverages: [OpenAPICoverage] = []
        for c in try r.optionalArray("openapi") ?? [] {
            func strings(_ r: Reader, _ key: String) throws(ReportReadError) -> [String] {
                try r.array(key).map { (s: Reader) throws(ReportReadError) in try s.string() }
            }
            coverages.append(
                OpenAPICoverage(
                    environment: try c.string("environment"), source: try c.string("source"), mode: try c.string("mode"),
                    operationCount: Int(try c.int("operations")), exercisedCount: Int(try c.int("exercised")),
                    tags: try c.array("tags").map { (t: Reader) throws(ReportReadError) in
                        OpenAPICoverage.Tag(name: try t.string("name"), exercised: try strings(t, "exercised"), missed: try strings(t, "missed"))
                    },
                    unmatched: try strings(c, "unmatched"), responsesWithViolations: Int(try c.int("responsesWithViolations")),
                    violations: try strings(c, "violations")))
        }
        return ReadReport(file: file, suites: suites, baseURLs: baseURLs, shard: shard, coverages: coverages)
    }

    static func suite(_ r: Reader) throws(ReportReadError) -> SuiteRecord {
        let startedText = try r.string("started")
        guard let started = try? Date(startedText, strategy: Date.ISO8601FormatStyle()) else {
            throw r.error("started", "not an ISO 8601 time: \(startedText)")
        }
        let collection = try r.string("collection"), file = try r.string("file"), environment = try r.string("environment")
        var requests: [RequestRecord] = []
        for q in try r.array("requests") { requests.append(try request(q, collection: collection, file: file, environment: environment)) }
        var s = SuiteRecord(collection: collection, file: file, environment: environment, started: started, requests: requests)
        s.fileIndex = try r.optionalInt("fileIndex").map(Int.init)
        s.interrupted = try r.bool("interrupted")
        s.finished = true
        s.duration = .milliseconds(try r.child("summary").int("durationMs"))
        s.writtenDescription = try r.optionalString("description")
        return s
    }

    static func request(_ r: Reader, collection: String, file: String, environment: String) throws(ReportReadError) -> RequestRecord {
        let sectionName = try r.string("section")
        guard let section = RequestSection(rawValue: sectionName) else { throw r.error("section", "expected requests or finally, got '\(sectionName)'") }
        let ref = RequestRef(
            collection: collection, file: file, environment: environment, section: section, index: Int(try r.int("index")), name: try r.string("name"),
            method: try r.string("method"), mark: Mark(line: Int(try r.int("line")), column: Int(try r.optionalInt("column") ?? 1)))
        let outcome: RequestOutcome
        switch try r.string("outcome") {
        case "passed": outcome = .passed
        case "failed": outcome = .failed
        case "error": outcome = .error
        case "skipped": outcome = .skipped(reason: try r.optionalString("skipReason") ?? "")
        case let other: throw r.error("outcome", "expected passed, failed, error or skipped, got '\(other)'")
        }
        guard let checks = try r.optionalArray("checks") else {
            throw r.error("checks", "missing: the report was written by a vigil older than `vigil merge`; run the shards again with this one")
        }
        var out = RequestRecord(
            ref: ref, spec: nil, outcome: outcome, url: try r.string("url"), message: try r.optionalString("message"), checks: try checks.map(check),
            notes: try r.array("notes").map { (n: Reader) throws(ReportReadError) in try n.string() }, status: try r.optionalInt("status").map(Int.init),
            duration: .milliseconds(try r.int("durationMs")), attempts: Int(try r.int("attempts")),
            polls: try r.array("polls").map { (p: Reader) throws(ReportReadError) in
                PollRecord(number: Int(try p.int("attempt")), elapsed: .milliseconds(try p.int("elapsedMs")), status: try p.optionalInt("status").map(Int.init))
            },
            captures: try r.array("captures").map { (c: Reader) throws(ReportReadError) in (try c.string("name"), try c.child("value").value) })
        out.redirects = try r.array("redirects").map { (h: Reader) throws(ReportReadError) in
            RedirectHop(
                status: Int(try h.int("status")), location: try h.string("location"), method: try h.string("method"), url: try h.string("url"),
                droppedHeaders: try h.array("droppedHeaders").map { (d: Reader) throws(ReportReadError) in try d.string() }, refused: try h.bool("refused"))
        }
        if let w = try r.optional("written") {
            out.written = WrittenRecord(
                urlTemplate: try r.string("urlTemplate"), text: try w.string("text"), retry: try w.optionalString("retry"),
                variables: Set(try w.array("variables").map { (v: Reader) throws(ReportReadError) in try v.string() }),
                expectations: try w.array("expectations").map { (a: Reader) throws(ReportReadError) in
                    AssertionRecord(
                        subjectWords: try a.string("words"), subjectCode: try a.optionalString("code"), expectation: try a.string("expectation"), passed: nil,
                        actual: nil)
                }, description: try w.optionalString("description"))
        }
        if let q = try r.optional("request") { out.request = try message(q) }
        if let p = try r.optional("response") {
            out.response = try message(p)
            out.responseDuration = .milliseconds(try p.int("durationMs"))
        }
        return out
    }

    static func check(_ r: Reader) throws(ReportReadError) -> CheckResult {
        let name = try r.optionalString("name")
        func named() throws(ReportReadError) -> String {
            guard let name else { throw r.error("name", "missing for this kind of check") }
            return name
        }
        let kind: CheckResult.Kind
        switch try r.string("kind") {
        case "status": kind = .status
        case "header": kind = .header(try named())
        case "json": kind = .json
        case "body": kind = .body(try named(), location: try r.optionalString("location"))
        case "duration": kind = .duration
        case "capture": kind = .capture(try named())
        case "failWhen": kind = .failWhen
        case "schema": kind = .schema(try named())
        case "openAPI": kind = .openAPI(try named())
        case "text": kind = .text
        case "cookie": kind = .cookie(try named())
        case "xpath": kind = .xpath(try named())
        case let other: throw r.error("kind", "not a kind of check: '\(other)'")
        }
        let outcome: CheckResult.Outcome
        switch try r.string("outcome") {
        case "passed": outcome = .passed
        case "failed": outcome = .failed
        case "not checked": outcome = .notChecked(try r.optionalString("reason") ?? "")
        case let other: throw r.error("outcome", "expected passed, failed or not checked, got '\(other)'")
        }
        let line = try r.optionalInt("line"), column = try r.optionalInt("column")
        return CheckResult(
            kind, mark: line.map { Mark(line: Int($0), column: Int(column ?? 1)) }, expected: try r.string("expected"), actual: try r.string("actual"),
            outcome: outcome)
    }

    static func message(_ r: Reader) throws(ReportReadError) -> MessageRecord {
        let headers = try r.array("headers").map { (h: Reader) throws(ReportReadError) in (name: try h.string("name"), value: try h.string("value")) }
        let bytes = try r.optionalInt("bodyBytes").map(Int.init)
        let body: BodyRecord?
        if let name = try r.optionalString("bodyFile") {
            body = .file(name: name, bytes: bytes ?? 0)
        } else if try r.optionalBool("bodyOmitted") == true {
            body = .omitted(bytes ?? 0)
        } else if let json = try r.optional("body") {
            body = .json(json.value)
        } else if let text = try r.optionalString("bodyText") {
            body = .text(text)
        } else {
            body = bytes.map(BodyRecord.binary)
        }
        return MessageRecord(headers: headers, body: body)
    }
}

/// A position in a JSON report being read: typed accessors whose errors name the file and the path.
struct Reader {
    let file: String
    let path: String
    let value: JSONValue

    func error(_ key: String, _ message: String) -> ReportReadError {
        ReportReadError("\(file): \(path.isEmpty ? key : path + "." + key): \(message)")
    }

    /// The member `key`; nil when absent or null.
    func optional(_ key: String) throws(ReportReadError) -> Reader? {
        guard case .object(let o) = value else { throw ReportReadError("\(file): \(path.isEmpty ? "the document" : path): expected an object") }
        guard let v = o[key], v != .null else { return nil }
        return Reader(file: file, path: path.isEmpty ? key : path + "." + key, value: v)
    }

    func child(_ key: String) throws(ReportReadError) -> Reader {
        guard let r = try optional(key) else { throw error(key, "missing") }
        return r
    }

    func string() throws(ReportReadError) -> String {
        guard let s = value.stringValue else { throw ReportReadError("\(file): \(path): expected a string") }
        return s
    }

    func string(_ key: String) throws(ReportReadError) -> String { try child(key).string() }
    func optionalString(_ key: String) throws(ReportReadError) -> String? { try optional(key)?.string() }

    func int(_ key: String) throws(ReportReadError) -> Int64 {
        guard let i = try child(key).value.intValue else { throw error(key, "expected an integer") }
        return i
    }

    func optionalInt(_ key: String) throws(ReportReadError) -> Int64? {
        guard let r = try optional(key) else { return nil }
        guard let i = r.value.intValue else { throw error(key, "expected an integer") }
        return i
    }

    func bool(_ key: String) throws(ReportReadError) -> Bool {
        guard let b = try optionalBool(key) else { throw error(key, "missing") }
        return b
    }

    func optionalBool(_ key: String) throws(ReportReadError) -> Bool? {
        guard let r = try optional(key) else { return nil }
        guard let b = r.value.boolValue else { throw error(key, "expected true or false") }
        return b
    }

    func array(_ key: String) throws(ReportReadError) -> [Reader] {
        guard let a = try optionalArray(key) else { throw error(key, "missing") }
        return a
    }

    func optionalArray(_ key: String) throws(ReportReadError) -> [Reader]? {
        guard let r = try optional(key) else { return nil }
        guard let items = r.value.arrayValue else { throw error(key, "expected an array") }
        return items.enumerated().map { Reader(file: file, path: "\(r.path)[\($0.offset)]", value: $0.element) }
    }
}
