import Foundation
import Testing
@testable import VigilReport

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
        #expect(s.apply(text, now: now) == """
            GET {{baseUrl}}/api/00000000-0000-4000-8000-000000000001
            id 00000000-0000-4000-8000-000000000001 other 00000000-0000-4000-8000-000000000002
            made 2000-01-01T00:00:00.0000001Z seed 2025-06-11T08:00:00.0000000Z again 2000-01-01T00:00:00.0000001Z
            """)
    }

    @Test func reportRequestsAreParsed() throws {
        #expect(try ReportRequest(parsing: "junit=out/j.xml") == ReportRequest(kind: .junit, path: "out/j.xml"))
        #expect(try ReportRequest(parsing: "md=docs") == ReportRequest(kind: .markdown, path: "docs"))
        #expect(throws: ReportRequestError.self) { try ReportRequest(parsing: "html") }
        #expect(throws: ReportRequestError.self) { try ReportRequest(parsing: "pdf=x") }
    }
}
