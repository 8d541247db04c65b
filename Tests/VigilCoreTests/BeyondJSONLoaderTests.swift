import Testing
@testable import VigilCore
import VigilJSON

/// Loading what issue 15 added: text, xpath and cookie checks and captures, namespaces,
/// `cookies:` switches and multipart bodies; and their mistakes, at FILE:LINE:COL.
@Suite struct BeyondJSONLoaderTests {
    @Test func loadsChecksCapturesAndBodies() throws {
        let c = try collection(
            """
            cookies: false
            defaults:
              namespaces: { s: "urn:s" }
            requests:
              - GET: http://h/x
                cookies: true
                namespaces: { v: "urn:v" }
                expect:
                  text: { contains: Welcome }
                  xpath: { "count(//v:li)": { gte: 3 } }
                  cookies: { session: { exists: true }, session.secure: true, "a.b": x }
                capture:
                  t: { text: true, regex: "b([0-9]+)" }
                  s: { cookie: session.expires }
                  x: { xpath: "string(//title)", optional: true }
              - POST: http://h/upload
                multipart:
                  title: "{{t}}"
                  upload: { file: data/a.bin, contentType: application/octet-stream, filename: a.bin }
                  meta: { value: "{}", contentType: application/json }
            """)
        #expect(c.cookies == false)
        #expect(c.defaults.namespaces.map(\.prefix) == ["s"])
        let r = c.requests[0]
        #expect(r.cookies == true)
        #expect(r.namespaces.map(\.uri) == ["urn:v"])
        #expect(r.expect.text != nil)
        #expect(r.expect.xpath.map(\.expression) == ["count(//v:li)"])
        #expect(
            r.expect.cookies.map(\.selector) == [
                CookieSelector(name: "session"), CookieSelector(name: "session", attribute: .secure), CookieSelector(name: "a.b"),
            ])
        #expect(r.captures.count == 3)
        if case .text = r.captures[0].source {} else { Issue.record("t is not a text capture") }
        if case .cookie(let s) = r.captures[1].source {
            #expect(s == CookieSelector(name: "session", attribute: .expires))
        } else {
            Issue.record("s is not a cookie capture")
        }
        #expect(r.captures[2].optional)
        guard case .multipart(let parts)? = c.requests[1].body else {
            Issue.record("no multipart body")
            return
        }
        #expect(parts.map(\.name) == ["title", "upload", "meta"])
        #expect(parts[1].content == .file(try tpl("data/a.bin")))
        #expect(parts[1].filename?.source == "a.bin")
        #expect(parts[2].contentType?.source == "application/json")
        // A literal upload path is checked before the run, like a file: body.
        #expect(c.facts.literalUploads.map(\.path) == ["data/a.bin"])
    }

    @Test func mistakesAreNamedAtTheirPlace() {
        let errors = collectionErrors(
            """
            requests:
              - GET: http://h/x
                namespaces: [a]
                expect:
                  xpath: { "//a[": 1 }
                  cookies: { "bad name": 1 }
                capture:
                  a: { text: false }
                  b: { cookie: s, header: X }
              - POST: http://h/x
                multipart: [a]
              - POST: http://h/x
                json: {}
                multipart: { a: b }
            """)
        let text = errors.joined(separator: "\n")
        #expect(text.contains("c.yaml:3:"), "\(text)")
        #expect(text.contains("c.yaml:5:21: invalid XPath '//a['"), "\(text)")
        #expect(text.contains("c.yaml:6:18: 'bad name' is not a cookie name"), "\(text)")
        #expect(text.contains("c.yaml:8:18: capture 'a' with text: false captures nothing"), "\(text)")
        #expect(text.contains("c.yaml:9:10: capture 'b' takes one of path, header, status, text, cookie or xpath"), "\(text)")
        #expect(text.contains("c.yaml:11:16: multipart must be a mapping"), "\(text)")
        #expect(text.contains("c.yaml:14:5: a request has one body; found json and multipart"), "\(text)")
    }
}
