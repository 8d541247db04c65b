import Foundation
import Testing
@testable import VigilReport
@testable import VigilRunner
import VigilCore
import VigilJSON
import VigilYAML

@Suite struct XMLEscapeTests {
    @Test func escapesMarkupAndDropsControlCharacters() {
        #expect(XML.escape("a<b>&\"c\"\u{1}\n", attribute: true) == "a&lt;b&gt;&amp;&quot;c&quot;&#10;")
        #expect(XML.escape("a<b>\n\"", attribute: false) == "a&lt;b&gt;\n\"")
    }
}

@Suite struct DocsStabilizerTests {
    @Test func baseURLAndUUIDsAndRunTimesBecomeStable() throws {
        let now = try #require(ISO8601DateFormatter().date(from: "2026-03-01T12:00:00Z"))
        let s = DocsStabilizer(replacements: [("http://127.0.0.1:41234", "{{baseUrl}}")])
        let text = """
            GET http://127.0.0.1:41234/api/a0dd1b7e-2f32-40a2-ad76-203fae0590c2
            id A0DD1B7E-2F32-40A2-AD76-203FAE0590C2 other 93345da5-de2b-415c-afe3-968f4b28cccd
            made 2026-03-01T11:59:58.1234567Z seed 2025-06-11T08:00:00.0000000Z again 2026-03-01T11:59:58.1234567Z
            """
        let first = DocsValues.standInID(1), second = DocsValues.standInID(2)
        #expect(
            s.apply(text, now: now) == """
                GET {{baseUrl}}/api/\(first)
                id \(first.uppercased()) other \(second)
                made 2025-06-11T09:00:00.0000000Z seed 2025-06-11T08:00:00.0000000Z again 2025-06-11T09:00:00.0000000Z
                """)
    }

    @Test func reportRequestsAreParsed() throws {
        #expect(try ReportRequest(parsing: "junit=out/j.xml") == ReportRequest(kind: .junit, path: "out/j.xml"))
        #expect(try ReportRequest(parsing: "md=docs") == ReportRequest(kind: .markdown, path: "docs"))
        #expect(throws: ReportRequestError.self) { try ReportRequest(parsing: "html") }
        #expect(throws: ReportRequestError.self) { try ReportRequest(parsing: "pdf=x") }
    }
}

@Suite struct ReportBodyLimitTests {
    func result(body: [UInt8], index: Int) -> RequestResult {
        let ref = RequestRef(
            collection: "c", file: "c.yaml", environment: "e", section: .requests, index: index,
            name: "R\(index)", method: "GET", mark: Mark(line: 1, column: 1))
        var r = RequestResult(ref: ref, url: "http://h/\(index)", outcome: .passed)
        r.status = 200
        r.exchange = Exchange(
            request: PreparedRequest(method: "GET", url: "http://h/\(index)"),
            response: ReceivedResponse(
                status: 200, headers: [("Content-Type", "application/json")], body: body,
                duration: .milliseconds(1)))
        return r
    }

    @Test func aBodyOverTheLimitIsKeptBySizeOnlyInEveryReport() throws {
        let log = ReportLog(redactor: Redactor())
        let big = Array(("[" + String(repeating: "\"0123456789\",", count: 100_000) + "0]").utf8)
        #expect(big.count > ReportLog.maxBodyBytes)
        log.handle(.collectionStarted(collection: "c", file: "c.yaml", environment: "e", requestCount: 2))
        log.handle(.requestFinished(result(body: big, index: 0)))
        log.handle(.requestFinished(result(body: Array(#"{"ok":true}"#.utf8), index: 1)))
        let records = try #require(log.suites.first?.requests)
        guard case .omitted(let size)? = records[0].response?.body else { Issue.record("expected an omitted body"); return }
        #expect(size == big.count)
        #expect(records[0].response?.body?.displayText.contains("larger than the 1 MiB a report keeps") == true)
        guard case .json? = records[1].response?.body else { Issue.record("a small body stays JSON"); return }

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-body-limit-\(getpid()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try JSONReporter(path: path).write(log.suites, redactor: Redactor())
        let data = try #require(FileManager.default.contents(atPath: path))
        #expect(data.count < 100_000, "the report does not carry the megabyte")
        let report = try JSONValue(parsing: Array(data))
        let response = try #require(report["suites"]?[0]?["requests"]?[0]?["response"])
        #expect(response["bodyOmitted"] == .bool(true))
        #expect(response["bodyBytes"] == .int(Int64(big.count)))
        #expect(response["body"] == nil)
    }
}

/// `--verbose` shows a large body by its first bytes, never copying it whole.
@Suite struct LargeBodyDisplayTests {
    @Test func aLargeBodyIsShownByItsFirstBytesCutAtACharacter() {
        let limit = ConsoleReporter.largeBodyShown
        // "é" (2 bytes) straddles the cut: it is left out rather than shown broken.
        let bytes = Array(repeating: UInt8(ascii: "a"), count: limit - 1) + Array("é".utf8) + Array(repeating: UInt8(ascii: "b"), count: 100)
        let shown = ConsoleReporter.textPrefix(bytes)
        #expect(shown == String(repeating: "a", count: limit - 1))
        #expect(ConsoleReporter.textPrefix(Array("short é".utf8)) == "short é")
        #expect(ConsoleReporter.textPrefix([0xFF, 0xFE, 0x00]) == nil)
    }
}

/// Docs stay stable without locale data: recent timestamps are numbered, the day computed by
/// arithmetic.
@Suite struct DocsDayArithmeticTests {
    @Test func daysAreComputedWithoutAFormatter() throws {
        for (text, seconds) in [("1970-01-01", 0.0), ("2000-03-01", 951_868_800.0), ("2026-12-01", 1_796_083_200.0), ("1969-12-31", -86_400.0)] {
            #expect(DocsStabilizer.utcDay(text)?.timeIntervalSince1970 == seconds, "\(text)")
        }
        #expect(DocsStabilizer.utcDay("2026-13-01") == nil)
        #expect(DocsStabilizer.utcDay("x") == nil)
    }

    @Test func recentTimestampsAreNumberedAndOldOnesKept() {
        let now = Date(timeIntervalSince1970: 1_796_083_200 + 3_600)
        let text = "made 2026-12-01T01:02:03.123Z, again 2026-12-01T01:02:03.123Z, then 2026-12-01T05:00:00Z; old 2001-01-01T00:00:00Z"
        var values = DocsValues(now: now)
        #expect(
            values.apply(text)
                == "made 2025-06-11T09:00:00.000Z, again 2025-06-11T09:00:00.000Z, then 2025-06-11T09:00:01Z; old 2001-01-01T00:00:00Z")
    }
}
