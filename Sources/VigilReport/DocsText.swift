#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore
import VigilJSON
import VigilRunner

/// Makes generated docs stable: the same run gives the same text, and two runs (or two
/// servers) give text that differs only where the API does.
public struct DocsStabilizer: Sendable {
    /// Literal values and what replaces them (`http://127.0.0.1:41234` → `{{baseUrl}}`).
    public var replacements: [(value: String, with: String)]

    /// The environment's base URL, when known (the JSON report keeps it for `vigil merge`).
    public var baseURL: String?

    public init(replacements: [(value: String, with: String)] = []) {
        self.replacements = replacements.filter { !$0.value.isEmpty }.sorted { $0.value.count > $1.value.count }
    }

    /// `baseURL` as `{{baseUrl}}`, and its WebSocket form (`ws://…`, written `{{baseUrl}}/…`) too.
    public init(baseURL: String?) {
        let ws = baseURL.flatMap { $0.lowercased().hasPrefix("http") ? "ws" + $0.dropFirst(4) : nil }
        self.init(replacements: [baseURL, ws].compactMap { $0.map { ($0, "{{baseUrl}}") } })
        self.baseURL = baseURL
    }

    /// Keep the run's ids and timestamps as they were (`--keep-values`); the base URL is still `{{baseUrl}}`.
    public var keepsValues = false

    /// The base URL as `{{baseUrl}}`, then (unless ``keepsValues``) every UUID and every
    /// timestamp of the last two days (made during the run) replaced by a stable, real-looking
    /// stand-in, in order of appearance, consistently everywhere on the page, `captured` parts
    /// of them too (see ``DocsValues``).
    public func apply(_ text: String, captured: [String] = [], now: Date = Date()) -> String {
        var out = text
        for r in replacements { out = out.replacingBytes(of: r.value, with: r.with) }
        guard !keepsValues else { return out }
        var values = DocsValues(now: now)
        return values.apply(out, captured: captured)
    }

    /// Midnight UTC of a `YYYY-MM-DD` day, by arithmetic (a `DateFormatter` per page, with its
    /// locale data, was most of the cost of writing 10,000 pages).
    static func utcDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        // Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
        let y = parts[1] <= 2 ? parts[0] - 1 : parts[0]
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = (parts[1] + 9) % 12
        let dayOfYear = (153 * monthIndex + 2) / 5 + parts[2] - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Date(timeIntervalSince1970: TimeInterval(days) * 86_400)
    }
}

/// Texts of a request as written in its collection, for the docs.
enum WrittenRequest {
    /// `METHOD URL-template`, the query, headers and body as written (placeholders kept).
    static func text(_ spec: RequestSpec, defaults: RequestDefaults) -> String {
        var url = spec.url.source
        let query = defaults.query.filter { d in !spec.query.contains { $0.name == d.name } } + spec.query
        if !query.isEmpty {
            url += (url.firstRange(of: "?") != nil ? "&" : "?") + query.map { q in q.value.map { "\(q.name)=\($0.source)" } ?? q.name }.joined(separator: "&")
        }
        var lines = ["\(spec.method) \(url)"]
        let headers = defaults.headers.filter { d in !spec.headers.contains { $0.name.lowercased() == d.name.lowercased() } } + spec.headers
        lines += headers.map { "\($0.name): \($0.value.source)" }
        switch spec.body {
        case .json(let tree): lines += ["", json(tree).serialized(pretty: true)]
        case .form(let fields): lines += ["", fields.map { "\($0.name)=\($0.value?.source ?? "")" }.joined(separator: "&")]
        case .text(let t): lines += ["", t.source]
        case .file(let t): lines += ["", "(the bytes of the file \(t.source))"]
        case .multipart(let parts):
            lines += [""]
            for p in parts {
                switch p.content {
                case .text(let t): lines.append("(field \(p.name): \(t.source))")
                case .file(let t): lines.append("(field \(p.name): the bytes of the file \(t.source))")
                }
            }
        case nil: break
        }
        return lines.joined(separator: "\n")
    }

    /// A template tree as JSON, each template as its source text.
    static func json(_ tree: TemplateTree) -> JSONValue {
        switch tree {
        case .value(let v): return v
        case .template(let t): return .string(t.source)
        case .array(let items): return .array(items.map(json))
        case .object(let entries): return .object(JSONObject(entries.map { ($0.key.source, json($0.value)) }))
        }
    }

    /// The variables a request reads, anywhere: URL, query, headers, body, `when:`, expectations.
    static func variablesUsed(_ spec: RequestSpec) -> Set<String> {
        var placeholders = spec.url.placeholders.map(\.0)
        placeholders += spec.headers.flatMap { $0.value.placeholders.map(\.0) }
        placeholders += spec.query.flatMap { $0.value?.placeholders.map(\.0) ?? [] }
        switch spec.body {
        case .json(let tree): placeholders += tree.placeholders
        case .form(let fields): placeholders += fields.flatMap { $0.value?.placeholders.map(\.0) ?? [] }
        case .text(let t), .file(let t): placeholders += t.placeholders.map(\.0)
        case .multipart(let parts): placeholders += parts.flatMap { $0.templates.flatMap { $0.placeholders.map(\.0) } }
        case nil: break
        }
        var names = Set(placeholders.compactMap { if case .variable(let n) = $0 { n } else { nil } })
        names.formUnion(spec.when.map(\.variable))
        let expectText = (spec.expect.body.map(\.matcher.summary) + spec.expect.headers.map(\.matcher.summary)).joined(separator: " ")
        // A regex literal is compiled on every call: most expectations hold no placeholder.
        if expectText.firstRange(of: "{{") != nil {
            for m in expectText.matches(of: /\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}/) { names.insert(String(m.1)) }
        }
        return names
    }

    /// How a polled request repeats, in words, as Markdown (queries as code, the rest escaped).
    static func retry(_ spec: RequestSpec) -> String? {
        guard let r = spec.retry else { return nil }
        func check(_ b: BodyExpectation) -> String { MarkdownText.code(b.path.text) + " " + MarkdownText.inline(Assertions.words(b.matcher)) }
        let until =
            r.until.map { e in
                let parts = (e.status.map { [MarkdownText.inline("status is \($0.summary)")] } ?? []) + e.body.map(check)
                return parts.joined(separator: " and ")
            } ?? "its checks hold"
        var text = "Repeated every \(r.interval.shortText) until \(until), for at most \(r.timeout.shortText)"
        if let f = r.failWhen {
            text += "; it stops at once when " + f.body.map(check).joined(separator: " and ")
        }
        return text + "."
    }
}
