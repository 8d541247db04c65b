import Foundation
import Mustache
import Testing
@testable import VigilReport
@testable import VigilRunner
import VigilCore
import VigilJSON

/// The HTML report's request sections are written by hand (``HTMLRequestSection``) for speed:
/// they must be the bytes the Mustache template (``HTMLTemplate/request``) makes of the same record.
@Suite struct HTMLSectionTests {
    static func mustache(_ r: RequestRecord, anchor: String, open: Bool) -> String {
        HTMLReporter.library.render(HTMLReporter.request(r, anchor: anchor, open: open), withTemplate: "request") ?? ""
    }

    /// Every record of the spool run, and each with every optional part filled in, with text
    /// that HTML escaping changes (quotes, apostrophes, a quote with a combining accent).
    static var records: [RequestRecord] {
        let base = SpoolRun.suites().flatMap(\.requests)
        var out = base
        for var r in base {
            let odd = "a \"quoted\" 'x' <b>&amp; \"\u{301} é"
            r.written = WrittenRecord(urlTemplate: "{{api}}/x", text: "GET x", retry: nil, variables: [], expectations: [], description: odd)
            r.message = r.message ?? odd
            r.notes = [odd, "second"]
            r.captures = [("id", .string(odd)), ("n", .int(3))]
            r.redirects = [
                RedirectHop(status: 302, location: "/b?x=1&y='2'", method: "GET", url: "http://h/b"),
                RedirectHop(status: 307, location: "http://o/c", method: "POST", url: "http://o/c", droppedHeaders: ["Authorization"], refused: true),
            ]
            r.polls = [PollRecord(number: 1, elapsed: .milliseconds(3), status: nil), PollRecord(number: 2, elapsed: .seconds(1), status: 200)]
            r.attempts = 2
            r.status = 404
            let long = (1...40).map { "line \($0) <\(odd)>" }.joined(separator: "\n")
            r.request = MessageRecord(headers: [("X-Odd", odd), ("Accept", "*/*")], body: .text(long))
            r.response = MessageRecord(headers: [("Content-Type", "text/plain; q=\"1\"")], body: .text(odd))
            r.responseDuration = .milliseconds(17)
            out.append(r)
            r.request?.body = nil
            r.response?.body = .binary(12)
            r.written?.description = ""
            r.message = ""
            out.append(r)
        }
        return out
    }

    @Test func aHandWrittenSectionIsTheTemplatesBytes() {
        let records = Self.records
        #expect(records.count > 10)
        for (i, r) in records.enumerated() {
            for open in [false, true] {
                let anchor = "r\(i)-\(open ? 1 : 0)"
                // One difference on purpose (see below): a quote with a combining accent is escaped.
                let template = Self.mustache(r, anchor: anchor, open: open).replacingOccurrences(of: "\"\u{301}", with: "&quot;\u{301}")
                #expect(HTMLRequestSection.render(r, anchor: anchor, open: open) == template, "record \(i): \(r.ref.name)")
            }
        }
    }

    /// Collection runs' headings and failure entries are written by hand too: the bytes of
    /// their templates, for every kind of suite (described or not, with text that escaping
    /// changes, interrupted, unfinished, with failures and errors).
    @Test func handWrittenHeadingsAndFailureEntriesAreTheTemplatesBytes() {
        let odd = "a \"quoted\" 'x' <b>&amp; é"
        var suites: [SuiteRecord] = []
        for base in SpoolRun.suites() {
            var s = base
            suites.append(s)
            s.collection = odd
            s.environment = "env " + odd
            s.file = "dir/" + odd + ".yaml"
            s.writtenDescription = "Line one\n" + odd
            s.duration = .milliseconds(1_234)
            s.finished = false
            suites.append(s)
            s.finished = true
            s.interrupted = true
            s.writtenDescription = ""
            suites.append(s)
        }
        #expect(suites.count > 6)
        for (i, s) in suites.enumerated() {
            let template = HTMLReporter.library.render(HTMLReporter.suite(s), withTemplate: "suite") ?? ""
            #expect(HTMLRequestSection.heading(s) + HTMLReporter.requestsMarker == template, "suite \(i)")
            for (n, r) in (s.requests + Self.records).enumerated() {
                var r = r
                if n % 3 == 0 { r.message = nil }
                let anchor = "r\(i)-\(n)"
                // The one difference on purpose, as for the sections: a quote with a combining accent is escaped.
                let expected = (HTMLReporter.library.render(HTMLReporter.failure(r, of: s, anchor: anchor), withTemplate: "failure") ?? "")
                    .replacingOccurrences(of: "\"\u{301}", with: "&quot;\u{301}")
                #expect(HTMLRequestSection.failure(r, of: s, anchor: anchor) == expected, "suite \(i), record \(n)")
            }
        }
    }

    /// A collection's name and description are escaped like a request's text: a control
    /// character is shown, never embedded raw.
    @Test func aHeadingShowsControlCharacters() {
        var s = SuiteRecord(collection: "red\u{1B}[31m <x>", file: "c.yaml", environment: "e", started: Date())
        s.writtenDescription = "bell\u{07}"
        let heading = HTMLRequestSection.heading(s)
        #expect(heading.hasPrefix("<h2>red\\e[31m &lt;x&gt; <span class=\"muted\">· e</span> <span class=\"interrupted\">interrupted</span></h2>\n"))
        #expect(heading.hasSuffix("<p>bell\\x07</p>\n"))
        #expect(!heading.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }

    /// The docs' base-URL replacement, byte for byte, as Foundation's replacement did it.
    @Test func replacingBytesIsReplacingOccurrences() {
        let cases: [(String, String, String)] = [
            ("", "http://h:1", "{{baseUrl}}"), ("http://h:1/a http://h:1/b", "http://h:1", "{{baseUrl}}"), ("no match", "http://h:1", "X"),
            ("aaaa", "aa", "b"), ("é http://h:1 é", "http://h:1", "{{baseUrl}}"), ("http://h:1", "http://h:1", ""), ("xhttp://h:", "http://h:1", "X"),
        ]
        for (text, target, replacement) in cases {
            #expect(text.replacingBytes(of: target, with: replacement) == text.replacingOccurrences(of: target, with: replacement), "\(text)")
        }
    }

    @Test func escapingIsMustachesEscaping() {
        for s in ["", "plain", "<a href='x'>&\"</a>", "é'", "line\r\nnext\ttab"] {
            #expect(HTMLRequestSection.escape(s) == s.htmlEscapeForTest())
        }
    }

    /// Where it differs from Mustache's, on purpose: a combining mark cannot hide a `<` or a
    /// quote (Mustache compares whole characters), and a server's control characters are shown,
    /// never embedded raw (a terminal showing the file, or a viewer, would act on them).
    @Test func escapingCoversCombiningMarksAndControlCharacters() {
        #expect(HTMLRequestSection.escape("<\u{301}img onerror=x>") == "&lt;\u{301}img onerror=x&gt;")
        #expect(HTMLRequestSection.escape("\"\u{301}") == "&quot;\u{301}")
        #expect(
            HTMLRequestSection.escape("A\u{1B}]0;PWNED\u{07}B\u{1B}[31mRED\u{08}C\rOVER\u{0}N\u{7F}D\u{9B}")
                == "A\\e]0;PWNED\\x07B\\e[31mRED\\x08C\rOVER\\x00N\\x7fD\\u{9b}")
        #expect(HTMLRequestSection.escape("café ü") == "café ü")
    }
}

extension String {
    /// swift-mustache's escaping, as its `htmlEscape()` does it (internal to that module).
    fileprivate func htmlEscapeForTest() -> String {
        let table: [Character: String] = ["<": "&lt;", ">": "&gt;", "&": "&amp;", "\"": "&quot;", "'": "&#39;"]
        var out = ""
        for c in self { out += table[c] ?? String(c) }
        return out
    }
}
