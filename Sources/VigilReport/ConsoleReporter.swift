import Rainbow
import VigilCore
import VigilJSON
import VigilRunner

/// The console reporter: one line per request, the details of each failure, a summary.
/// On a terminal (and not under `CI`) a live line shows the request in flight and, while it
/// is polled, its attempts and the time spent. `--verbose` adds each request and response.
///
/// `VigilReport` holds the reporters. Each consumes ``RunEvent``s on the run's one consumer
/// task (``RunEventDispatcher``), so none needs a lock, and writes only through a
/// ``Redactor``-backed output, so no secret reaches a terminal or a file.
public final class ConsoleReporter: RunEventConsumer {
    public enum Verbosity: Sendable { case quiet, normal, verbose }

    private let out: TerminalOutput
    /// Masks secret headers whole (the output redacts known values anyway).
    private let redactor: Redactor
    private let color: Bool
    private let verbosity: Verbosity
    /// Whether a live progress line is drawn (a terminal, not under CI).
    private let live: Bool
    private var totals = Totals()
    private var progressShown = false
    /// The requests of the current collection finished (skipped ones too), and its count.
    private var progressDone = 0, progressTotal = 0

    struct Totals {
        var passed = 0, failed = 0, errors = 0, skipped = 0, collections = 0
        var interrupted = false
    }

    /// Colour is used only on a terminal and never when `NO_COLOR` is set.
    public init(output: TerminalOutput, environment: [String: String], verbosity: Verbosity = .normal, redactor: Redactor = Redactor()) {
        out = output
        self.redactor = redactor
        self.verbosity = verbosity
        color = output.isTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        live = output.isTerminal && (environment["CI"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }

    /// Writes a line, first erasing the progress line if one is shown.
    private func line(_ text: String = "") {
        if progressShown { out.clearTransient() }
        progressShown = false
        out.line(text)
    }

    /// The live line: `  ⋯ [3/12] name  detail`, cut to the terminal's width (the detail first,
    /// then the name) so that it never wraps.
    private func showProgress(_ name: String, _ detail: String) {
        guard live else { return }
        progressShown = true
        let counter = progressTotal > 0 ? "[\(min(progressDone + 1, progressTotal))/\(progressTotal)] " : ""
        let parts = ProgressLine.fit(prefix: "  ⋯ " + counter, name: name, detail: detail, width: out.columns - 1)
        out.transient(paint(parts.prefix, { $0.cyan }) + parts.name + (parts.detail.isEmpty ? "" : "  " + paint(parts.detail, { $0.dim })))
    }

    private func paint(_ s: String, _ style: (String) -> String) -> String { color ? style(s) : s }

    /// Text from a server or a collection, made safe for a terminal: control characters are
    /// shown escaped (`\e`, `\x07`, `\r`), so no escape sequence, bell or carriage return of
    /// theirs reaches the terminal raw.
    /// Server or collection text for the terminal: masked first, then control characters
    /// escaped, so a secret holding them (an NTLM message a server echoes decoded) is found as
    /// it is. (The output masks each line again, for what was not shown through here.)
    func safe(_ text: String) -> String { TerminalText.escaped(redactor.redact(text)) }

    public func consume(_ event: RunEvent) {
        switch event {
        case .collectionStarted(let name, let file, let environment, let count):
            totals.collections += 1
            progressDone = 0
            progressTotal = count
            guard verbosity != .quiet else { return }
            line(paint(safe(name), { $0.bold }) + paint("  \(safe(file)) · \(safe(environment))", { $0.dim }))
        case .collectionLoaded:
            break
        case .requestStarted(let ref, let url):
            showProgress(safe(ref.name), safe("\(ref.method) \(url)"))
        case .attempt(let ref, let number, let elapsed, let status):
            showProgress(safe(ref.name), "polling: attempt \(number), \(elapsed.shortText)" + (status.map { ", last \($0)" } ?? ""))
            if verbosity == .verbose {
                line("      " + paint("attempt \(number) → \(status.map(String.init) ?? "no response") after \(elapsed.shortText)", { $0.dim }))
            }
        case .requestFinished(let r):
            progressDone += 1
            switch r.outcome {
            case .passed: totals.passed += 1
            case .failed: totals.failed += 1
            case .error: totals.errors += 1
            case .skipped: totals.skipped += 1
            }
            report(r)
            if verbosity == .verbose, let exchange = r.exchange { exchangeLines(exchange) }
        case .collectionFinished(let c):
            if c.interrupted { totals.interrupted = true }
            if verbosity != .quiet { line() }
            out.flush()
        case .openAPICoverage(let c):
            coverageLines(c)
        }
    }

    private func report(_ r: RequestResult) {
        let prefix = r.ref.section == .finally ? "finally: " : ""
        let timing = r.attempts > 1 ? "\(r.duration.shortText), \(r.attempts) attempts" : r.duration.shortText
        switch r.outcome {
        case .passed:
            guard verbosity != .quiet else { return }
            line(
                "  " + paint("✓", { $0.green }) + " \(prefix)\(safe(r.ref.name))  "
                    + paint("\(r.ref.method) \(safe(r.url)) → \(r.status ?? 0) (\(timing))", { $0.dim }))
        case .skipped(let reason):
            guard verbosity != .quiet else { return }
            line("  " + paint("–", { $0.yellow }) + " \(prefix)\(safe(r.ref.name))  " + paint("skipped: \(safe(reason))", { $0.yellow }))
        case .failed, .error:
            let status = r.status.map { " → \($0)" } ?? ""
            let mark = paint("✗", { $0.red })
            let where_ = "\(r.ref.markFile):\(r.ref.mark.line):\(r.ref.mark.column)"
            line(
                "  \(mark) \(prefix)\(safe(r.ref.name))  " + paint("\(r.ref.method) \(safe(r.url))\(status)\(r.attempts > 0 ? " (\(timing))" : "")", { $0.dim })
            )
            if let message = r.message { line("      " + paint(safe(message), { $0.red })) }
            for f in r.failures {
                line("      \(safe(f.subject)): expected " + paint(safe(f.expected), { $0.green }) + ", got " + paint(safe(f.actual), { $0.red }))
                if let m = f.mark { line(paint("        at \(safe(r.ref.markFile)):\(m.line):\(m.column)", { $0.dim })) }
            }
            line(paint("      request at \(safe(where_))", { $0.dim }))
        }
    }

    /// The request as sent and the response as received, secrets masked.
    private func exchangeLines(_ e: Exchange) {
        let indent = "      "
        line(indent + paint("> \(e.request.method) \(safe(e.request.url))", { $0.cyan }))
        for h in e.request.headers { line(indent + paint("> \(safe(h.name)): \(safe(redactor.redactHeader(name: h.name, value: h.value)))", { $0.dim })) }
        if let body = e.request.body, !body.isEmpty {
            bodyLines(body, parsed: nil, contentType: e.request.headers.first { $0.name.lowercased() == "content-type" }?.value, indent: indent + "> ")
        }
        if let stream = e.request.streamedBody {
            line(indent + paint("> (\(safe(redactor.redact(e.request.bodyFile ?? "a streamed body"))), \(stream.length) bytes)", { $0.dim }))
        }
        for hop in e.redirects { line(indent + paint("↪ \(safe(hop.summary))", { $0.cyan })) }
        guard let p = e.response else { return }
        line(indent + paint("< \(p.status) (\(p.duration.shortText))", { $0.cyan }))
        for h in p.headers { line(indent + paint("< \(safe(h.name)): \(safe(redactor.redactHeader(name: h.name, value: h.value)))", { $0.dim })) }
        if !p.body.isEmpty { bodyLines(p.body, parsed: p.json, contentType: p.header("Content-Type"), indent: indent + "< ") }
    }

    /// Bodies up to this size are shown pretty-printed when they are JSON; larger ones as
    /// their first ``largeBodyShown`` bytes, so that `--verbose` stays linear and small.
    static let prettyLimit = 1 << 20
    static let largeBodyShown = 64 * 1024

    /// The body's first ``largeBodyShown`` bytes as text (a character the cut went through
    /// left out), or nil when they are not UTF-8: a large body is never copied whole.
    static func textPrefix(_ bytes: [UInt8]) -> String? {
        var prefix = bytes.prefix(largeBodyShown)
        if prefix.count < bytes.count {
            // Drop an incomplete sequence at the cut: at most 3 bytes, back to its lead byte.
            var back = 0
            while back < 3, let last = prefix.last, last & 0xC0 == 0x80 {
                prefix.removeLast()
                back += 1
            }
            if let last = prefix.last, last >= 0xC0 { prefix.removeLast() }
        }
        return String(validating: prefix, as: UTF8.self)
    }

    /// The first `limit` lines of a body (JSON pretty-printed, using the parse the runner made).
    private func bodyLines(_ bytes: [UInt8], parsed: Result<JSONValue, JSONParseError>?, contentType: String?, indent: String, limit: Int = 200) {
        let text: String
        var cut = false
        if bytes.count <= Self.prettyLimit, let v = parsed.map({ try? $0.get() }) ?? (try? JSONValue(parsing: bytes)) {
            text = v.serialized(pretty: true)
        } else if let shown = Self.textPrefix(bytes) {
            cut = shown.utf8.count < bytes.count
            text = shown
        } else if bytes.count <= Self.largeBodyShown, BodyText.charset(of: contentType) != nil,
            case .success(let decoded) = BodyText.decode(bytes, contentType: contentType)
        {
            // Text in the charset its Content-Type names (Latin-1, UTF-16…).
            text = redactor.redact(decoded)
        } else {
            text = "(\(bytes.count) bytes of binary data)"
        }
        let lines = text.split(separator: "\n", maxSplits: limit, omittingEmptySubsequences: false)
        for (i, l) in lines.prefix(limit).enumerated() {
            line(indent + safe(cut && i == lines.count - 1 ? String(l) + String(Redactor.cutMarker) : String(l)))
        }
        if lines.count > limit {
            let more = lines[limit].utf8.reduce(1) { $1 == 10 ? $0 + 1 : $0 }
            line(indent + paint("… \(more) more line\(more == 1 ? "" : "s")\(cut ? " of the first \(Self.largeBodyShown / 1024) KiB" : "")", { $0.dim }))
        }
        if cut {
            line(
                indent
                    + paint(
                        "… \(bytes.count) bytes in all: --verbose shows the first \(Self.largeBodyShown / 1024) KiB of a body over \(Self.prettyLimit / 1_048_576) MiB",
                        { $0.dim }))
        }
    }

    /// The coverage of an OpenAPI description: the summary, then per tag the operations
    /// exercised (and with `--verbose` those missed), then the requests that matched none.
    private func coverageLines(_ c: OpenAPICoverage) {
        let bad = c.responsesWithViolations > 0 && c.mode == "fail"
        line(paint(safe(c.summaryLine), { bad ? $0.red : $0.bold }))
        guard verbosity != .quiet else { return }
        line(paint("  \(safe(c.source))", { $0.dim }))
        for tag in c.tags {
            let total = tag.exercised.count + tag.missed.count
            let listed = tag.exercised.isEmpty ? "" : ": " + tag.exercised.joined(separator: ", ")
            line("  \(safe(tag.name)) \(tag.exercised.count)/\(total)" + paint(safe(listed), { $0.dim }))
            if verbosity == .verbose, !tag.missed.isEmpty { line(paint("    not exercised: " + safe(tag.missed.joined(separator: ", ")), { $0.yellow })) }
        }
        for request in c.unmatched { line(paint("  matched no operation: \(safe(request))", { $0.yellow })) }
        if c.mode == "report" {
            for v in c.violations { line(paint("  broke the contract: \(safe(v))", { $0.yellow })) }
            let more = c.responsesWithViolations - c.violations.count
            if more > 0 { line(paint("  and \(more) more", { $0.yellow })) }
        }
        line()
    }

    /// Prints the closing summary line and returns the totals.
    @discardableResult
    public func finish(elapsed: Duration) -> (passed: Int, failed: Int, errors: Int, skipped: Int) {
        let t = totals
        var parts = ["\(t.passed) passed", "\(t.failed + t.errors) failed"]
        parts.append("\(t.skipped) skipped")  // always: a run that skipped everything must say so
        let summary = parts.joined(separator: ", ")
        let tail = " (\(t.collections) collection\(t.collections == 1 ? "" : "s"), \(elapsed.shortText)\(t.interrupted ? ", interrupted" : ""))"
        let styled = t.failed + t.errors > 0 ? paint(summary, { $0.red.bold }) : paint(summary, { $0.green.bold })
        line(styled + paint(tail, { $0.dim }))
        out.flush()
        return (t.passed, t.failed, t.errors, t.skipped)
    }
}

/// Fitting the live progress line to the terminal: plain text, counted in terminal columns (a
/// CJK character or an emoji takes two; the colours are added after), the detail cut first,
/// then the name. A line wider than the terminal would wrap, and clearing the line would leave
/// its first rows on the screen.
enum ProgressLine {
    static func fit(prefix: String, name: String, detail: String, width: Int) -> (prefix: String, name: String, detail: String) {
        let room = max(0, width - columns(prefix))
        let nameColumns = columns(name)
        if nameColumns >= room { return (prefix, cut(name, room), "") }
        let left = room - nameColumns - 2
        if left < 4 { return (prefix, name, "") }
        return (prefix, name, cut(detail, left))
    }

    /// `text` in at most `limit` columns, ending with "…" when cut.
    static func cut(_ text: String, _ limit: Int) -> String {
        guard columns(text) > limit else { return text }
        let budget = limit > 1 ? limit - 1 : limit
        var out = ""
        var used = 0
        for c in text {
            let w = columns(c)
            if used + w > budget { break }
            out.append(c)
            used += w
        }
        return limit > 1 ? out + "…" : out
    }

    /// The columns `text` takes on a terminal.
    static func columns(_ text: String) -> Int {
        // ASCII, the usual case, is a column a byte.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.utf8.count }
        return text.reduce(0) { $0 + columns($1) }
    }

    /// Two for East Asian wide and fullwidth characters and emoji shown as pictures, else one.
    static func columns(_ c: Character) -> Int {
        guard let first = c.unicodeScalars.first else { return 0 }
        let v = first.value
        if v < 0x1100 { return 1 }
        if first.properties.isEmojiPresentation { return 2 }
        return wideRanges.contains { $0.contains(v) } ? 2 : 1
    }

    /// East Asian wide and fullwidth blocks (Hangul Jamo, CJK, Hangul, fullwidth forms, …).
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xAC00...0xD7A3,
        0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
