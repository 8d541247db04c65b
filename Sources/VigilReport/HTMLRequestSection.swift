import VigilCore
import VigilRunner

/// A request's section of the HTML report (and a collection run's heading, a failure's entry),
/// written out by hand: the same bytes as
/// ``HTMLTemplate/request`` rendered by Mustache from ``HTMLReporter/request(_:anchor:open:)``
/// (a test renders both and compares them), at a fraction of the cost. Mustache looks every
/// value up through dynamic casts; with 10,000 collections it was a third of the reports' time.
enum HTMLRequestSection {
    static func render(_ r: RequestRecord, anchor: String, open: Bool) -> String {
        var h = ""
        h.reserveCapacity(2048)
        let name = (r.ref.section == .finally ? "finally: " : "") + r.ref.name
        let outcome = escape(r.outcomeName)
        h += "<details class=\"req o-\(outcome)\" id=\"\(escape(anchor))\"\(open ? " open" : "")>\n"
        h += "  <summary><span class=\"badge \(outcome)\">\(outcome)</span><span class=\"name\">\(escape(name))</span>"
        h += "<span class=\"line\">\(escape(r.ref.method)) \(escape(r.url))"
        if let status = r.status { h += " → \(status)" }
        h += " · \(escape(r.duration.shortText))"
        if r.attempts > 1 { h += " · \(r.attempts) attempts" }
        h += "</span></summary>\n  <div class=\"body\">\n    "
        if let d = r.written?.description { h += "<p>\(escape(d))</p>" }
        h += "\n    "
        if let reason = r.skipReason { h += "<p class=\"skipped\">Skipped: \(escape(reason))</p>" }
        h += "\n    "
        if let message = r.message { h += "<p class=\"message\">\(escape(message))</p>" }
        h += "\n    "
        let assertions = Assertions.list(r)
        if !assertions.isEmpty {
            h += "<h3>Assertions</h3><table>\n    "
            for a in assertions {
                let state = a.passed.map { $0 ? "passed" : "failed" } ?? "skipped"
                let symbol = a.passed.map { $0 ? "✓" : "✗" } ?? "–"
                h += "<tr><td class=\"\(state)\">\(symbol)</td><td class=\"mono\">\(escape(a.subject))</td><td>\(escape(a.expectation))</td>"
                h += "<td class=\"mono failed\">\(a.actual.map { "got " + escape($0) } ?? "")</td></tr>\n    "
            }
            h += "</table>"
        }
        h += "\n    "
        if !r.notes.isEmpty {
            h += "<ul>"
            for n in r.notes { h += "<li class=\"muted\">\(escape(n))</li>" }
            h += "</ul>"
        }
        h += "\n    "
        if !r.captures.isEmpty {
            h += "<h3>Captured</h3><table>"
            for c in r.captures { h += "<tr><td class=\"mono\">\(escape(c.name))</td><td class=\"mono\">\(escape(c.value.serialized()))</td></tr>" }
            h += "</table>"
        }
        h += "\n    "
        if !r.redirects.isEmpty {
            h += "<h3>Redirects</h3><ul class=\"mono\">"
            for hop in r.redirects { h += "<li>↪ \(escape(hop.summary))</li>" }
            h += "</ul>"
        }
        h += "\n    "
        if r.polls.count > 1 {
            h += "<h3>Attempts</h3><table>"
            for p in r.polls {
                h += "<tr><td>#\(p.number)</td><td class=\"mono\">\(escape(p.status.map(String.init) ?? "no response"))</td>"
                h += "<td class=\"muted\">after \(escape(p.elapsed.shortText))</td></tr>"
            }
            h += "</table>"
        }
        h += "\n    <div class=\"cols\">\n    "
        if let q = r.request {
            h += "<div><h3>Request</h3><pre>\(escape(r.ref.method)) \(escape(r.url))\n"
            headers(q, into: &h)
            h += "</pre>"
            body(q.body, into: &h)
            h += "</div>"
        }
        h += "\n    "
        if let p = r.response {
            h += "<div><h3>Response · \(escape(r.status.map(String.init) ?? "")) · \(escape((r.responseDuration ?? .zero).shortText))</h3><pre>"
            headers(p, into: &h)
            h += "</pre>"
            body(p.body, into: &h)
            h += "</div>"
        }
        h += "\n    </div>\n  </div>\n</details>\n"
        return h
    }

    /// A collection run's heading (``HTMLTemplate/suite`` without its requests' marker line);
    /// texts as the console shows them (``shown(_:)``), then HTML-escaped.
    static func heading(_ s: SuiteRecord) -> String {
        var h = "<h2>" + escape(shown(s.collection)) + " <span class=\"muted\">· " + escape(shown(s.environment)) + "</span> "
        if s.interrupted || !s.finished { h += "<span class=\"interrupted\">interrupted</span>" }
        h += "</h2>\n<div class=\"muted mono\">" + escape(shown(s.file))
        h += " · \(s.tally.passed) passed, \(s.tally.failed + s.tally.errors) failed, \(s.tally.skipped) skipped · " + escape(s.duration.shortText)
        h += "</div>\n<p>" + escape(shown(s.collectionDescription ?? "")) + "</p>\n"
        return h
    }

    /// A failed request's entry in the failure list (``HTMLTemplate/failure``).
    static func failure(_ r: RequestRecord, of s: SuiteRecord, anchor: String) -> String {
        let outcome = escape(r.outcomeName)
        var h = "<li><a href=\"#" + escape(anchor) + "\"><span class=\"badge " + outcome + "\">" + outcome + "</span> "
        h += escape(shown(s.collection)) + " · " + escape(shown(s.environment)) + ": <b>" + escape(shown(r.ref.name)) + "</b></a> <span class=\"mono\">"
        h += escape(shown(r.message ?? r.failures.first?.description ?? "")) + "</span></li>\n"
        return h
    }

    private static func headers(_ m: MessageRecord, into h: inout String) {
        for header in m.headers { h += "\(escape(header.name)): \(escape(header.value))\n" }
    }

    /// ``HTMLTemplate/body``.
    private static func body(_ b: BodyRecord?, into h: inout String) {
        guard let b else { return }
        let display = b.displayText
        let text = escape(display)
        let lines = display.split(separator: "\n", omittingEmptySubsequences: false).count
        if lines > HTMLReporter.foldLines {
            h += "<details><summary class=\"muted\">Body: \(lines) lines (click to show)</summary><pre>\(text)</pre></details>"
        } else {
            h += "<pre>\(text)</pre>"
        }
    }

    /// HTML escaping (`<`, `>`, `&`, `"`, `'`, as Mustache escapes them), by Unicode scalar so
    /// that a combining mark after `<` cannot hide it, and a server's control characters (ESC,
    /// BEL, NUL, DEL, C1; not tab, line feed or carriage return) shown as `\e` / `\xNN` like on
    /// the console; a fast path for text that holds none of their bytes.
    static func escape(_ s: String) -> String {
        guard
            s.utf8.contains(where: {
                $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x22 || $0 == 0x27 || ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D)
                    || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2
            })
        else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for c in s.unicodeScalars {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(c)
            default:
                if TerminalText.needsEscape(c) { out += TerminalText.escaped(String(c)) } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }
}
