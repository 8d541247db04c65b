import Foundation
import Testing
@testable import VigilReport
@testable import VigilRunner
import VigilCore
import VigilJSON
import VigilYAML

/// Issue 20, point 5: text from a server or a collection never becomes Markdown markup.
@Suite struct MarkdownTextTests {
    @Test func proseIsEscaped() {
        #expect(MarkdownText.inline("a *b* _c_ `d` [x](javascript:alert(1))") == #"a \*b\* \_c\_ \`d\` \[x\](javascript:alert(1))"#)
        #expect(MarkdownText.inline("<img src=x onerror=alert(1)> & #h | ~~s~~") == ##"&lt;img src=x onerror=alert(1)&gt; &amp; \#h \| \~\~s\~\~"##)
        #expect(MarkdownText.inline("back\\slash") == #"back\\slash"#)
        #expect(MarkdownText.inline("\u{1B}[31mred\u{07}\nnext") == #"\\e\[31mred\\x07\\nnext"#)
        #expect(MarkdownText.inline("- item") == #"\- item"#)
        #expect(MarkdownText.inline("12. item") == #"12\. item"#)
        #expect(MarkdownText.inline("= x") == #"\= x"#)
        #expect(MarkdownText.inline("Create a user-defined event 1.") == "Create a user-defined event 1.")
    }

    @Test func severalLinesKeepTheirBreaksEachEscaped() {
        #expect(MarkdownText.lines("# Title\n```\n> quote\n\n- x") == "\\# Title\n\\`\\`\\`\n&gt; quote\n\n\\- x")
    }

    @Test func inlineCodeIsLongerThanAnyRunOfBackticksInside() {
        #expect(MarkdownText.code("plain") == "`plain`")
        #expect(MarkdownText.code("a`b") == "``a`b``")
        #expect(MarkdownText.code("a``b```c") == "````a``b```c````")
        #expect(MarkdownText.code("`start") == "`` `start ``")
        #expect(MarkdownText.code("end`") == "`` end` ``")
        #expect(MarkdownText.code(" both ") == "`  both  `")
        #expect(MarkdownText.code("") == "`  `")
        #expect(MarkdownText.code("<b>\u{1B}") == #"`<b>\e`"#)
    }

    @Test func aFenceIsLongerThanAnyRunOfBackticksInItsBody() {
        #expect(MarkdownText.fence("GET /x", info: "http") == "```http\nGET /x\n```")
        #expect(MarkdownText.fence("a\n```\nb", info: "http") == "````http\na\n```\nb\n````")
        #expect(MarkdownText.fence("`````") == "``````\n`````\n``````")
        #expect(MarkdownText.fence("~~~\n\u{1B}]0;x\u{07}\tz\r") == "```\n~~~\n\\e]0;x\\x07\tz\\r\n```")
    }

    @Test func aCommentCannotBeClosedAndALinkHoldsNoScheme() {
        #expect(MarkdownText.comment("x --> <img>") == "x --&gt; <img&gt;")
        #expect(MarkdownText.link("env/01-a b.md") == "env/01-a%20b.md")
        #expect(MarkdownText.link("javascript:alert(1).md") == "javascript%3Aalert%281%29.md")
        #expect(MarkdownText.link("é.md") == "%C3%A9.md")
    }
}

/// Issue 20, points 4 and 1: bodies read from files are shown by name and size, and every
/// redirect hop is in the reports, redacted.
@Suite struct ReportedFileBodyAndRedirectTests {
    static let secret = "s3cr3t-tok"

    static func result() -> RequestResult {
        let ref = RequestRef(
            collection: "c", file: "c.yaml", environment: "e", section: .requests, index: 0, name: "Upload", method: "POST",
            mark: Mark(line: 1, column: 1))
        var r = RequestResult(ref: ref, url: "http://a/upload", outcome: .passed)
        r.status = 200
        r.attempts = 1
        var request = PreparedRequest(method: "POST", url: "http://a/upload", body: Array("FILE-CONTENT-1234".utf8))
        request.bodyFile = "data/x.bin"
        var exchange = Exchange(
            request: request,
            response: ReceivedResponse(status: 200, headers: [("Content-Type", "text/plain")], body: Array("ok".utf8), duration: .milliseconds(1)))
        exchange.redirects = [
            RedirectHop(status: 302, location: "http://b/next?t=\(secret)", method: "GET", url: "http://b/next?t=\(secret)", droppedHeaders: ["Authorization"]),
            RedirectHop(status: 307, location: "/last", method: "POST", url: "http://b/last", refused: true),
        ]
        r.exchange = exchange
        return r
    }

    static func suites(verbose: Bool) -> [SuiteRecord] {
        let log = ReportLog(redactor: Redactor(secrets: [secret]), showsFileBodies: verbose)
        log.handle(.collectionStarted(collection: "c", file: "c.yaml", environment: "e", requestCount: 1))
        log.handle(.requestFinished(result()))
        log.handle(.collectionFinished(CollectionResult(collection: "c", file: "c.yaml", environment: "e", duration: .milliseconds(2), interrupted: false)))
        return log.suites
    }

    static func written(_ report: (String) -> any FileReport, _ suites: [SuiteRecord], file: String? = nil) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-safety-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try report(path).write(suites, redactor: Redactor(secrets: [secret]))
        return try String(contentsOfFile: file.map { path + "/" + $0 } ?? path, encoding: .utf8)
    }

    @Test func aFileBodyIsItsNameAndSizeUnlessVerbose() throws {
        let quiet = try #require(Self.suites(verbose: false).first?.requests.first)
        guard case .file(let name, let bytes)? = quiet.request?.body else { Issue.record("expected a file body"); return }
        #expect(name == "data/x.bin" && bytes == 17)
        #expect(quiet.request?.body?.displayText == "(file data/x.bin, 17 bytes)")
        let verbose = try #require(Self.suites(verbose: true).first?.requests.first)
        guard case .text("FILE-CONTENT-1234")? = verbose.request?.body else { Issue.record("verbose shows the content"); return }

        let suites = Self.suites(verbose: false)
        let json = try JSONValue(parsing: Array(try Self.written({ JSONReporter(path: $0) }, suites).utf8))
        let request = try #require(json["suites"]?[0]?["requests"]?[0]?["request"])
        #expect(request["bodyFile"] == "data/x.bin")
        #expect(request["bodyBytes"] == .int(17))
        for text in [
            try Self.written({ HTMLReporter(path: $0) }, suites), try Self.written({ JUnitReporter(path: $0) }, suites),
            try Self.written({ MarkdownReporter(directory: $0) }, suites, file: "c.md"),
        ] {
            #expect(!text.contains("FILE-CONTENT"))
        }
        #expect(try Self.written({ HTMLReporter(path: $0) }, suites).contains("(file data/x.bin, 17 bytes)"))
        #expect(try Self.written({ MarkdownReporter(directory: $0) }, suites, file: "c.md").contains("(file data/x.bin, 17 bytes)"))
    }

    @Test func everyRedirectHopIsInEveryReportRedacted() throws {
        let suites = Self.suites(verbose: false)
        let record = try #require(suites.first?.requests.first)
        #expect(record.redirects.map(\.url) == ["http://b/next?t=••••", "http://b/last"])

        let json = try JSONValue(parsing: Array(try Self.written({ JSONReporter(path: $0) }, suites).utf8))
        let hops = try #require(json["suites"]?[0]?["requests"]?[0]?["redirects"])
        #expect(hops[0]?["status"] == .int(302))
        #expect(hops[0]?["location"] == "http://b/next?t=••••")
        #expect(hops[0]?["method"] == "GET")
        #expect(hops[0]?["droppedHeaders"] == .array(["Authorization"]))
        #expect(hops[0]?["refused"] == .bool(false))
        #expect(hops[1]?["url"] == "http://b/last")
        #expect(hops[1]?["refused"] == .bool(true))

        let html = try Self.written({ HTMLReporter(path: $0) }, suites)
        #expect(html.contains("<li>↪ 302 → GET http://b/next?t=•••• (Authorization not sent: another origin)</li>"), "\(html)")
        #expect(html.contains("<li>↪ 307 → POST http://b/last (refused)</li>"), "\(html)")
        let markdown = try Self.written({ MarkdownReporter(directory: $0) }, suites, file: "c.md")
        #expect(markdown.contains("- ↪ `302 → GET http://b/next?t=•••• (Authorization not sent: another origin)`"), "\(markdown)")
        #expect(markdown.contains("- ↪ `307 → POST http://b/last (refused)`"), "\(markdown)")
        for text in [html, markdown, try Self.written({ JSONReporter(path: $0) }, suites)] { #expect(!text.contains(Self.secret)) }
    }
}
