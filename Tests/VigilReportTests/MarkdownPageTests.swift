import Foundation
import Mustache
import Testing
@testable import VigilReport
@testable import VigilRunner
import VigilCore
import VigilJSON

/// The Markdown docs pages are written by hand (``MarkdownPage``) for speed: they must be the
/// bytes the Mustache template (``MarkdownTemplate/page``) makes of the same suite.
@Suite struct MarkdownPageTests {
    /// Text that Markdown escaping changes: punctuation, a list marker, a fence, raw HTML, a
    /// control character, a combining accent.
    static let odd = "- a \"quoted\" 'x' <b>&amp; *em* _u_ [l](javascript:x) ``` \u{1B}[31m \"\u{301} é #"

    /// Every record of the HTML sections' test (every optional part, filled and empty), and
    /// records that exercise what only the docs show: checks in words, captures used later,
    /// polled requests, descriptions.
    static var records: [RequestRecord] {
        var out = HTMLSectionTests.records
        for var r in HTMLSectionTests.records.prefix(6) {
            r.written = WrittenRecord(
                urlTemplate: "{{api}}/x", text: "GET {{api}}/x\nX-Odd: " + odd, retry: "Repeated every 1s until " + odd + ".", variables: ["id", "n"],
                expectations: [], description: "  " + odd + "\n\nsecond line\n")
            r.checks = [
                CheckResult(.status, mark: nil, expected: "200", actual: "200", outcome: .passed),
                CheckResult(.header("Content-Type"), mark: nil, expected: "~ json", actual: "application/json", outcome: .passed),
                CheckResult(.body("a.`b`", location: nil), mark: nil, expected: "\"" + odd + "\"", actual: String(repeating: "x", count: 81), outcome: .passed),
                CheckResult(.body("c", location: nil), mark: nil, expected: "1", actual: "`2`", outcome: .failed),
                CheckResult(.capture("id"), mark: nil, expected: "result.id", actual: odd, outcome: .passed),
                CheckResult(.duration, mark: nil, expected: "< 10", actual: "", outcome: .notChecked("the run was stopped")),
                CheckResult(.text, mark: nil, expected: "is \(odd)", actual: odd, outcome: .passed),
            ]
            r.captures = [("id", .string(odd)), ("n", .int(3)), ("unused", .string(String(repeating: "long ", count: 40)))]
            r.outcome = .failed
            r.message = odd
            out.append(r)
            r.written?.retry = nil
            r.written?.description = "   \n"
            r.written?.variables = []
            r.outcome = .error
            r.request?.headers += [("Date", "x"), ("Host", "h"), ("Content-Length", "3"), ("user-agent", "v")]
            r.response?.headers += [("Connection", "close"), ("X-Odd", odd)]
            out.append(r)
            r.checks = []
            r.outcome = .skipped(reason: odd)
            r.request = nil
            r.response = nil
            out.append(r)
        }
        return out
    }

    static var suites: [SuiteRecord] {
        let records = Self.records
        var out: [SuiteRecord] = []
        for (i, r) in records.enumerated() {
            var s = SuiteRecord(collection: "Page \(i) " + odd, file: "dir/c\(i) -->.yaml", environment: "env " + odd, started: Date(), requests: [r])
            s.finished = i % 3 != 0
            s.interrupted = i % 5 == 0
            s.writtenDescription = [nil, "", "  \n ", odd + "\n1. two\n"][i % 4]
            out.append(s)
        }
        var all = SuiteRecord(collection: "All", file: "all.yaml", environment: "e", started: Date(), requests: records)
        all.finished = true
        out.append(all)
        var empty = SuiteRecord(collection: "", file: "", environment: "", started: Date())
        empty.finished = true
        out.append(empty)
        return out
    }

    @Test func aHandWrittenPageIsTheTemplatesBytes() {
        let suites = Self.suites
        #expect(suites.count > 40)
        for (i, s) in suites.enumerated() {
            for baseURLs in [[], ["http://h"]] {
                let mustache = MarkdownReporter.page(s, baseURLs: baseURLs)
                #expect(!mustache.isEmpty)
                #expect(MarkdownPage.render(s, baseURLs: baseURLs) == mustache, "suite \(i): \(s.collection)")
            }
        }
    }

    /// The test covers what it claims: every part of the template appears in some page.
    @Test func theSuitesFillEveryPartOfThePage() {
        let pages = Self.suites.map { MarkdownPage.render($0, baseURLs: ["http://h"]) }.joined()
        for part in [
            "> **The run was interrupted**", "*Skipped: ", "As sent:", "As a curl command:", "Redirected:", "Repeated every", "(the last attempt)",
            "The response:", "**\\- a", "Captured:", ", used by ", "Checked:", "(got ", "- – ", "- ✗ ", "- ✓ ", "second line",
        ] {
            #expect(pages.contains(part), "\(part)")
        }
    }
}

/// The byte-wise fast paths the pages use give what the character-wise ones give.
@Suite struct DocsFastPathTests {
    static let texts = [
        "", "'", "''", "http://h", "http://h/x?q=it's", "xhttp://h:1http://h", "a\r\nb http://h", "é http://h", "http://h\u{301}/x",
        "•••• and ••••", "k-••••", "``a```b`", "a`\u{301}``", "plain text\twith tab\nand line", "\u{1B}[31m`x`", "\r\n``",
        String(repeating: "abc http://h/", count: 50),
    ]
    static let substitutions: [[(literal: String, variable: String)]] = [
        [], [("http://h", "BASE_URL"), (Redactor.mask, "SECRET")], [("http://h:1", "BASE_URL"), ("http://h", "OTHER"), ("'", "Q")],
        [("h", "A"), ("http://h", "B")],
    ]

    @Test func quotingByBytesIsQuotingByCharacters() {
        var fast = 0
        for text in Self.texts {
            for substituting in Self.substitutions {
                if CurlCommand.asciiQuote(text, substituting: substituting) != nil { fast += 1 }
                let (quoted, used) = CurlCommand.quote(text, substituting: substituting)
                let (expected, expectedUsed) = CurlCommand.characterQuote(text, substituting: substituting)
                #expect(quoted == expected && used == expectedUsed, "\(text.debugDescription)")
            }
        }
        #expect(fast > 20)
    }

    /// Fences and code spans: backtick runs counted by bytes in ASCII text, as by characters.
    @Test func fencesAreTheCharacterWiseFences() {
        for text in Self.texts {
            let slow = text.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.escaped(String($0)) }.joined(separator: "\n")
            var longest = 0, run = 0
            for c in slow {
                run = c == "`" ? run + 1 : 0
                longest = max(longest, run)
            }
            let fence = String(repeating: "`", count: max(3, longest + 1))
            #expect(MarkdownText.fence(text, info: "http") == fence + "http\n" + slow + "\n" + fence, "\(text.debugDescription)")
            #expect(
                MarkdownText.longestRun(of: "`", in: text)
                    == text.reduce(into: (0, 0)) {
                        $0.1 = $1 == "`" ? $0.1 + 1 : 0; $0.0 = max($0.0, $0.1)
                    }.0)
        }
    }
}

/// A docs page that a run makes again unchanged is left as it is; a changed one is replaced.
@Suite struct UnchangedPageTests {
    func inode(_ path: String) throws -> UInt64 {
        try #require((try FileManager.default.attributesOfItem(atPath: path))[.systemFileNumber] as? UInt64)
    }

    @Test func anUnchangedPageIsNotWrittenAgainAndAChangedOneIs() throws {
        let dir = SpoolRun.temporary("pages")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let page = dir + "/p.md", redactor = Redactor(secrets: ["s3cret-value"])
        try ReportOutput.save("# A\ntoken s3cret-value\n", to: page, redactor: redactor, unlessUnchanged: true)
        let first = try inode(page)
        #expect(try String(contentsOfFile: page, encoding: .utf8) == "# A\ntoken \(Redactor.mask)\n")
        // The same page (compared after redaction): the file is the one written before.
        try ReportOutput.save("# A\ntoken s3cret-value\n", to: page, redactor: redactor, unlessUnchanged: true)
        #expect(try inode(page) == first)
        // Without `unlessUnchanged` (every other report), or with other bytes: replaced.
        try ReportOutput.save("# A\ntoken s3cret-value\n", to: page, redactor: redactor)
        #expect(try inode(page) != first)
        try ReportOutput.save("# B\n", to: page, redactor: redactor, unlessUnchanged: true)
        #expect(try String(contentsOfFile: page, encoding: .utf8) == "# B\n")
        // Same length, other bytes.
        try ReportOutput.save("# C\n", to: page, redactor: redactor, unlessUnchanged: true)
        #expect(try String(contentsOfFile: page, encoding: .utf8) == "# C\n")
        // A link is followed, never taken for the page itself.
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.md", withDestinationPath: "p.md")
        try ReportOutput.save("# C\n", to: dir + "/link.md", redactor: redactor, unlessUnchanged: true)
        try ReportOutput.save("# D\n", to: dir + "/link.md", redactor: redactor, unlessUnchanged: true)
        #expect(try String(contentsOfFile: page, encoding: .utf8) == "# D\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.md") == "p.md")
    }

    /// A page that does not exist is created under its own name (no temporary file, no
    /// rename); a dangling link there is still followed, never replaced.
    @Test func aNewPageIsCreatedInPlaceAndALinkIsStillFollowed() throws {
        let dir = SpoolRun.temporary("new-pages")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let redactor = Redactor(secrets: ["s3cret-value"])
        #expect(try ReportOutput.create(dir + "/a.md", "# A\n"))
        #expect(try !ReportOutput.create(dir + "/a.md", "# other\n"), "an existing file is not created again")
        #expect(try !ReportOutput.create(dir + "/missing/b.md", "# B\n"), "nor a page whose folder is missing")
        #expect(try String(contentsOfFile: dir + "/a.md", encoding: .utf8) == "# A\n")
        try ReportOutput.save("# N\ntoken s3cret-value\n", to: dir + "/n.md", redactor: redactor, unlessUnchanged: true)
        #expect(try String(contentsOfFile: dir + "/n.md", encoding: .utf8) == "# N\ntoken \(Redactor.mask)\n")
        try ReportOutput.save("# M\n", to: dir + "/sub/m.md", redactor: redactor, unlessUnchanged: true)
        #expect(try String(contentsOfFile: dir + "/sub/m.md", encoding: .utf8) == "# M\n")
        try FileManager.default.createSymbolicLink(atPath: dir + "/dangling.md", withDestinationPath: "target.md")
        try ReportOutput.save("# T\n", to: dir + "/dangling.md", redactor: redactor, unlessUnchanged: true)
        #expect(try String(contentsOfFile: dir + "/target.md", encoding: .utf8) == "# T\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/dangling.md") == "target.md")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["a.md", "dangling.md", "n.md", "sub", "target.md"])
    }
}
