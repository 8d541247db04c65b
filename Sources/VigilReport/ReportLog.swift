#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Synchronization
import VigilCore
import VigilJSON
import VigilRunner

/// An HTTP message as reports show it: every text already redacted.
public struct MessageRecord: Sendable {
    public var headers: [(name: String, value: String)]
    public var body: BodyRecord?
}

/// A body as reports show it.
public enum BodyRecord: Sendable {
    /// Parsed JSON, keys in the order they were sent, strings redacted.
    case json(JSONValue)
    case text(String)
    /// Not UTF-8 text: only its size.
    case binary(Int)
    /// Larger than reports keep (``ReportLog/maxBodyBytes``): only its size.
    case omitted(Int)
    /// Read from a file (`file:`): its name as written (placeholders resolved) and its size.
    case file(name: String, bytes: Int)

    /// Pretty JSON, or the text.
    public var displayText: String {
        switch self {
        case .json(let v): v.serialized(pretty: true)
        case .text(let t): t
        case .binary(let n): "(\(n) bytes of binary data)"
        case .omitted(let n): "(\(n) bytes: larger than the \(ReportLog.maxBodyBytes / 1_048_576) MiB a report keeps of a body)"
        case .file(let name, let n): "(file \(name), \(n) bytes)"
        }
    }
}

/// One attempt of a polled request.
public struct PollRecord: Sendable {
    public var number: Int
    public var elapsed: Duration
    public var status: Int?
}

/// A finished request as reports show it: every text already redacted.
public struct RequestRecord: Sendable {
    public var ref: RequestRef
    public var spec: RequestSpec?
    /// What reports show of the request as written (from `spec`, redacted; or read back from a
    /// JSON report).
    public var written: WrittenRecord?
    public var outcome: RequestOutcome
    public var url: String
    public var message: String?
    /// Every check made, passed ones too, texts redacted.
    public var checks: [CheckResult]
    public var failures: [CheckResult] { checks.filter(\.failed) }
    public var notes: [String]
    public var status: Int?
    public var duration: Duration
    public var attempts: Int
    public var polls: [PollRecord]
    public var captures: [(name: String, value: JSONValue)]
    public var request: MessageRecord?
    /// Every redirect followed (or refused), in order, URLs redacted.
    public var redirects: [RedirectHop] = []
    public var response: MessageRecord?
    public var responseDuration: Duration?

    public var outcomeName: String {
        switch outcome {
        case .passed: "passed"
        case .failed: "failed"
        case .error: "error"
        case .skipped: "skipped"
        }
    }

    public var skipReason: String? { if case .skipped(let r) = outcome { r } else { nil } }
}

/// A request as written in its collection, as reports show it, every text redacted: what the
/// docs show beside what was sent. Kept in the JSON report, so that `vigil merge` needs no
/// collection file.
public struct WrittenRecord: Sendable {
    /// The URL as written (`{{api}}/cameras`).
    public var urlTemplate: String
    /// The request as written, the collection's defaults merged in: method and URL, query,
    /// headers, body, placeholders kept.
    public var text: String
    /// How a polled request repeats, in words (Markdown); nil when it is not polled.
    public var retry: String?
    /// The variables it reads (the docs name the later requests that use a capture).
    public var variables: Set<String>
    /// Its expectations in words, for when it got no response.
    public var expectations: [AssertionRecord]
    /// Its `description:`, redacted.
    public var description: String?

    public init(urlTemplate: String, text: String, retry: String?, variables: Set<String>, expectations: [AssertionRecord], description: String? = nil) {
        self.description = description
        self.urlTemplate = urlTemplate
        self.text = text
        self.retry = retry
        self.variables = variables
        self.expectations = expectations
    }

    init(_ spec: RequestSpec, defaults: RequestDefaults, redactor: Redactor) {
        urlTemplate = redactor.redact(spec.url.source)
        description = spec.description.map(redactor.redact)
        text = redactor.redact(WrittenRequest.text(spec, defaults: defaults))
        retry = WrittenRequest.retry(spec).map(redactor.redact)
        variables = WrittenRequest.variablesUsed(spec)
        expectations = Assertions.expectations(spec.expect).map { a in
            var a = a
            a.subjectWords = redactor.redact(a.subjectWords)
            a.subjectCode = a.subjectCode.map(redactor.redact)
            a.expectation = redactor.redact(a.expectation)
            return a
        }
    }
}

/// How many requests ended how.
public struct Tally: Sendable, Equatable {
    public var total = 0, passed = 0, failed = 0, errors = 0, skipped = 0

    public init() {}

    public mutating func add(_ outcome: RequestOutcome) {
        total += 1
        switch outcome {
        case .passed: passed += 1
        case .failed: failed += 1
        case .error: errors += 1
        case .skipped: skipped += 1
        }
    }

    public static func + (a: Tally, b: Tally) -> Tally {
        var t = a
        t.total += b.total
        t.passed += b.passed
        t.failed += b.failed
        t.errors += b.errors
        t.skipped += b.skipped
        return t
    }
}

/// A collection's run in one environment, as reports show it: its totals, and its records when
/// they are kept (``ReportLog/keepsRecords``; otherwise reports spool each one as it arrives).
public struct SuiteRecord: Sendable {
    public var collection: String
    public var file: String
    public var environment: String
    /// The collection's own fields (description, defaults); its requests only when it was
    /// loaded in memory (a scanned one is never decoded whole).
    public var model: CollectionFile?
    public var started: Date
    public var requests: [RequestRecord] = []
    /// Its totals (kept whether or not its records are).
    public var tally = Tally()
    public var duration: Duration = .zero
    public var finished = false
    public var interrupted = false
    /// Its position among the suites of the run (the ``RunOrder``; without one, the order they
    /// started): reports list suites in this order, and HTML anchors use it.
    public var position = 0
    /// The collection's description when there is no ``model`` (a suite read back from a JSON report).
    public var writtenDescription: String?
    /// The collection's description.
    public var collectionDescription: String? { model?.description ?? writtenDescription }
    /// Its collection file's place in the whole run before `--shard` took a share (the JSON
    /// report keeps it for `vigil merge`).
    public var fileIndex: Int?
    /// Unique within a run (spool file names).
    public var serial = 0

    public init(collection: String, file: String, environment: String, started: Date, requests: [RequestRecord] = []) {
        self.collection = collection
        self.file = file
        self.environment = environment
        self.started = started
        self.requests = requests
        tally = requests.reduce(into: Tally()) { $0.add($1.outcome) }
    }

    /// Suites are keyed by collection file, name and environment (one per cell of a matrix run,
    /// one per row of a data-driven collection).
    public var key: String { "\(file)\u{1F}\(collection)\u{1F}\(environment)" }

    public func count(_ outcome: String) -> Int {
        switch outcome {
        case "passed": tally.passed
        case "failed": tally.failed
        case "error": tally.errors
        case "skipped": tally.skipped
        default: 0
        }
    }
}

/// A request just recorded, for reports to spool.
public struct FinishedRecord: Sendable {
    public var record: RequestRecord
    /// Its collection run, without records.
    public var suite: SuiteRecord
    /// Its position within the collection run.
    public var ordinal: Int
}

/// Collects run events into redacted records for the file reports, and totals per collection
/// run. Thread-safe.
public final class ReportLog: Sendable {
    public let redactor: Redactor
    /// Whether each suite keeps its records (else ``handle(_:)`` hands each one over, and only
    /// the totals stay).
    public let keepsRecords: Bool
    /// Whether a body read from a file is shown (`--verbose`); else only its name and size.
    public let showsFileBodies: Bool
    /// The order of the run's suites, known before it starts.
    public let order: RunOrder?
    private let state = Mutex(State())

    struct State {
        var suites: [SuiteRecord] = []
        /// Position in `suites` of each suite's key (a run of 10,000 collections looked them up
        /// by scanning, once per event).
        var positions: [String: Int] = [:]
        var models: [String: CollectionFile] = [:]
        var polls: [RequestRef: [PollRecord]] = [:]
        var serials = 0
    }

    public init(redactor: Redactor, keepsRecords: Bool = true, showsFileBodies: Bool = false, order: RunOrder? = nil) {
        self.order = order
        self.redactor = redactor
        self.keepsRecords = keepsRecords
        self.showsFileBodies = showsFileBodies
    }

    /// The suites so far, in the run's order (``SuiteRecord/position``).
    public var suites: [SuiteRecord] { state.withLock { $0.suites }.sorted { $0.position < $1.position } }

    /// Whether any suite was interrupted (or never finished).
    public var interrupted: Bool { state.withLock { s in s.suites.contains { $0.interrupted || !$0.finished } } }

    /// Records `event`; a finished request's record is returned (with its suite) to be spooled.
    @discardableResult
    public func handle(_ event: RunEvent) -> FinishedRecord? {
        switch event {
        case .collectionLoaded(let c, let environment):
            // Each request as written comes with its result; a scanned collection is not decoded
            // here (its requests are read from the file as they run).
            var model = c
            model.stream = nil
            state.withLock { $0.models["\(c.file)\u{1F}\(c.name)\u{1F}\(environment)"] = model }
        case .collectionStarted(let name, let file, let environment, _):
            state.withLock { s in
                var suite = SuiteRecord(collection: name, file: file, environment: environment, started: Date())
                suite.model = s.models.removeValue(forKey: "\(file)\u{1F}\(name)\u{1F}\(environment)")
                if let earlier = s.positions[suite.key] {
                    // The same collection started again in the same environment: it replaces the
                    // earlier suite (rare; the positions after it move up).
                    s.suites.remove(at: earlier)
                    s.positions = Dictionary(uniqueKeysWithValues: s.suites.enumerated().map { ($1.key, $0) })
                }
                // Unplanned suites (or no plan) follow the planned ones, in the order they start.
                suite.position = order?.position(file: file, collection: name, environment: environment) ?? ((order?.cells.count ?? 0) + s.serials)
                suite.fileIndex = order?.fileIndex(file)
                suite.serial = s.serials
                s.serials += 1
                s.positions[suite.key] = s.suites.count
                s.suites.append(suite)
            }
        case .attempt(let ref, let number, let elapsed, let status):
            state.withLock { $0.polls[ref, default: []].append(PollRecord(number: number, elapsed: elapsed, status: status)) }
        case .requestFinished(let r):
            let record = self.record(r)
            return state.withLock { s -> FinishedRecord? in
                var rec = record
                rec.polls = s.polls.removeValue(forKey: r.ref) ?? []
                guard let i = s.positions["\(r.ref.file)\u{1F}\(r.ref.collection)\u{1F}\(r.ref.environment)"] else { return nil }
                if rec.spec == nil, let model = s.suites[i].model {
                    rec.spec = (r.ref.section == .requests ? model.requests : model.finally)[safe: r.ref.index]
                }
                rec.written = rec.spec.map { WrittenRecord($0, defaults: s.suites[i].model?.defaults ?? RequestDefaults(), redactor: redactor) }
                let ordinal = s.suites[i].tally.total
                if keepsRecords {
                    // Kept until the end of the run: without the request as parsed (what reports
                    // show of it is in `written`).
                    var kept = rec
                    kept.spec = nil
                    s.suites[i].requests.append(kept)
                }
                s.suites[i].tally.add(rec.outcome)
                var suite = s.suites[i]
                suite.requests = []
                return FinishedRecord(record: rec, suite: suite, ordinal: ordinal)
            }
        case .collectionFinished(let c):
            state.withLock { s in
                if let i = s.positions["\(c.file)\u{1F}\(c.collection)\u{1F}\(c.environment)"] {
                    s.suites[i].finished = true
                    s.suites[i].interrupted = c.interrupted
                    s.suites[i].duration = c.duration
                    // Its requests as parsed were for its records; reports keep the rest of the
                    // collection's fields (description, data row) until the end of the run.
                    s.suites[i].model?.requests = []
                    s.suites[i].model?.finally = []
                    s.suites[i].model?.variables = []
                }
            }
        case .requestStarted, .openAPICoverage:
            break
        }
        return nil
    }

    private func record(_ r: RequestResult) -> RequestRecord {
        let red = redactor
        var out = RequestRecord(
            ref: r.ref, spec: r.spec, written: nil, outcome: redacted(r.outcome), url: red.redact(r.url), message: r.message.map(red.redact),
            checks: r.checks.map(redacted),
            notes: r.notes.map(red.redact), status: r.status, duration: r.duration, attempts: r.attempts, polls: [],
            captures: r.captures.map { ($0.name, redact($0.value)) })
        if let exchange = r.exchange {
            let q = exchange.request
            out.request = MessageRecord(
                headers: q.headers.map { ($0.name, red.redactHeader(name: $0.name, value: $0.value)) },
                body: q.body.map { bytes in
                    if let file = q.bodyFile, !showsFileBodies { return .file(name: red.redact(file), bytes: bytes.count) }
                    return body(bytes, contentType: header("Content-Type", q.headers))
                } ?? q.streamedBody.map { .file(name: red.redact(q.bodyFile ?? "a streamed body"), bytes: $0.length) })
            out.redirects = exchange.redirects.map { hop in
                var hop = hop
                hop.location = red.redact(hop.location)
                hop.url = red.redact(hop.url)
                return hop
            }
            if let p = exchange.response {
                out.response = MessageRecord(
                    headers: p.headers.map { ($0.name, red.redactHeader(name: $0.name, value: $0.value)) },
                    body: p.body.isEmpty ? nil : body(p.body, contentType: p.header("Content-Type"), parsed: p.json))
                out.responseDuration = p.duration
            }
        }
        return out
    }

    private func redacted(_ c: CheckResult) -> CheckResult {
        var c = c
        switch c.kind {
        case .header(let h): c.kind = .header(redactor.redact(h))
        case .body(let path, let location): c.kind = .body(redactor.redact(path), location: location.map(redactor.redact))
        case .xpath(let x): c.kind = .xpath(redactor.redact(x))
        default: break
        }
        c.expected = redactor.redact(c.expected)
        c.actual = redactor.redact(c.actual)
        if case .notChecked(let reason) = c.outcome { c.outcome = .notChecked(redactor.redact(reason)) }
        return c
    }

    private func redacted(_ o: RequestOutcome) -> RequestOutcome {
        if case .skipped(let reason) = o { return .skipped(reason: redactor.redact(reason)) }
        return o
    }

    private func header(_ name: String, _ headers: [(name: String, value: String)]) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Bodies larger than this are recorded by size only: a report of a run that reads a
    /// 20 MB camera list stays readable (and the log small).
    public static let maxBodyBytes = 1_048_576

    private func body(_ bytes: [UInt8], contentType: String?, parsed: Result<JSONValue, JSONParseError>? = nil) -> BodyRecord {
        if bytes.count > Self.maxBodyBytes { return .omitted(bytes.count) }
        if bytes.first.map({ $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") }) ?? false,
            let v = parsed.map({ try? $0.get() }) ?? (try? JSONValue(parsing: bytes))
        {
            return .json(redact(v))
        }
        // UTF-8, or text in the charset its Content-Type names (Latin-1, UTF-16…).
        let decoded = String(validating: bytes, as: UTF8.self) ?? (try? BodyText.decode(bytes, contentType: contentType).get())
        guard let text = decoded else { return .binary(bytes.count) }
        if contentType?.firstRange(of: "x-www-form-urlencoded") != nil {
            // A secret may be percent-encoded in a form: mask the decoded fields too.
            let fields = text.split(separator: "&").map { f -> String in
                let decoded = f.formDecoded() ?? String(f)
                return redactor.redact(decoded) == decoded ? String(f) : Redactor.mask
            }
            return .text(redactor.redact(fields.joined(separator: "&")))
        }
        return .text(redactor.redact(text))
    }

    /// `value` with every string (and key) redacted.
    public func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): return .string(redactor.redact(s.string))
        case .array(let items): return .array(items.map(redact))
        case .object(let o): return .object(JSONObject(o.map { (redactor.redact($0.key), redact($0.value)) }))
        default: return value
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
