import Foundation
import Testing
import VigilTestSupport

/// Issue 15: cookies, text, HTML and XML bodies, multipart uploads and numeric header values,
/// through the binary against a loopback web site (``WebAppServer``).
@Suite struct BeyondJSONTests {
    /// 1000 bytes holding every byte value (CR, LF, NUL and `--` included): binary safety.
    static let clip: [UInt8] = (0..<1000).map { UInt8($0 % 256) }

    static func environment(_ server: WebAppServer) -> String {
        "name: Web site\nvariables:\n  baseUrl: \"\(server.baseURL)\"\n"
    }

    static func site(_ collection: String, _ server: WebAppServer) throws -> URL {
        let dir = try scratch(["c.yaml": collection, "env.yaml": environment(server)])
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        try Data(clip).write(to: dir.appendingPathComponent("data/clip.bin"))
        return dir
    }

    /// The example validates where it is, with the bytes the test uploads beside it.
    @Test func theDocsExampleValidatesInPlace() async throws {
        let r = try await vigil(["validate", "docs/examples/web-site.yaml"])
        #expect(r.status == 0, "\(r.all)")
        let bytes = try Data(contentsOf: repositoryRoot.appendingPathComponent("docs/examples/data/clip.bin"))
        #expect([UInt8](bytes) == Self.clip)
    }

    /// The example collection of the docs, run as it is.
    static var flow: String {
        get throws { try String(contentsOf: repositoryRoot.appendingPathComponent("docs/examples/web-site.yaml"), encoding: .utf8) }
    }

    @Test func aWebSiteWithCookiesHTMLTextXMLAndAnUpload() async throws {
        let server = try await WebAppServer.start()
        defer { Task { await server.stop() } }
        let dir = try Self.site(try Self.flow, server)
        let run = try await vigil(["run", "c.yaml", "-e", "env.yaml"], in: dir)
        #expect(run.status == 0, "\(run.all)")
        #expect(run.stdout.contains("9 passed"), "\(run.stdout)")
        // The jar sent the session after the redirect and on the next request; not with
        // `cookies: false`; and after the server deleted it, only the theme.
        let session = try #require(server.session)
        let home = server.cookiesSent.filter { $0.path == "/home" }.map(\.cookie)
        #expect(home.count == 4, "\(home)")
        #expect(home.first??.contains("session=\(session)") == true, "\(home)")
        #expect(home.dropFirst().first??.contains("session=\(session)") == true, "\(home)")
        #expect(home.dropFirst(2).first! == nil, "\(home)")
        #expect(home.last! == "theme=dark", "\(home)")
        // The upload's bytes arrived as they are, with the names and types written.
        let parts = try #require(server.uploads.first)
        #expect(parts.count == 3)
        #expect(String(decoding: parts[0].bytes, as: UTF8.self) == "Build 4711, Stopped")
        #expect(parts[0].headers == #"Content-Disposition: form-data; name="title""#)
        #expect(parts[1].bytes == Self.clip)
        #expect(parts[1].headers.contains(#"name="upload"; filename="clip.bin""#))
        #expect(parts[1].headers.contains("Content-Type: application/octet-stream"))
        #expect(String(decoding: parts[2].bytes, as: UTF8.self) == "false")
        #expect(parts[2].headers.contains("Content-Type: text/plain"))
    }

    @Test func failuresSayWhatWasFoundInText() async throws {
        let server = try await WebAppServer.start()
        defer { Task { await server.stop() } }
        let collection = """
            name: Failing checks
            continueOnFailure: true
            requests:
              - name: Wrong title
                GET: "{{baseUrl}}/"
                expect:
                  xpath: { "string(//title)": Logout }
                  text: { contains: Goodbye }
                  headers: { Content-Length: { lt: 10 } }
              - name: Not XML
                GET: "{{baseUrl}}/text"
                expect:
                  xpath: { "count(//a)": 0 }
            """
        let dir = try Self.site(collection, server)
        let run = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--verbose", "--report", "json=r.json"], in: dir)
        #expect(run.status == 1, "\(run.all)")
        #expect(run.stdout.contains(#"xpath string(//title): expected "Logout", got "Login""#), "\(run.stdout)")
        // A Latin-1 body is shown decoded by its charset, on the console and in the reports.
        #expect(run.stdout.contains("< Café: build 4711"), "\(run.stdout)")
        #expect(try String(contentsOf: dir.appendingPathComponent("r.json"), encoding: .utf8).contains("Café: build 4711"))
        #expect(run.stdout.contains("body text: expected to contain \"Goodbye\""), "\(run.stdout)")
        #expect(run.stdout.contains("header Content-Length: expected < 10"), "\(run.stdout)")
        #expect(run.stdout.contains("not well-formed XML"), "\(run.stdout)")
    }

    /// A cookie's value is a secret: in no output, whether a check shows it, a body echoes it,
    /// or a capture takes it.
    @Test func cookieValuesAreInNoOutput() async throws {
        let server = try await WebAppServer.start()
        defer { Task { await server.stop() } }
        let collection = """
            name: Cookie secrets
            continueOnFailure: true
            requests:
              - name: Sign in
                POST: "{{baseUrl}}/login"
                expect:
                  status: 302
                  cookies: { session: { matches: "^s3s" } }
                capture:
                  sid: { cookie: session }
              - name: Echo
                GET: "{{baseUrl}}/echo"
                headers: { X-Sid: "{{sid}}" }
                expect:
                  text: "nothing like this"
                  cookies: { session: "shown when wrong" }
              - name: Wrong cookie check
                POST: "{{baseUrl}}/login"
                expect:
                  cookies: { session: { endsWith: "zzz" } }
                  headers: { "Set-Cookie[any]": { contains: "nope" } }
            """
        let dir = try Self.site(collection, server)
        let run = try await vigil(
            [
                "run", "c.yaml", "-e", "env.yaml", "--verbose", "--record", "out/rec",
                "--report", "junit=out/junit.xml", "--report", "json=out/report.json",
                "--report", "html=out/report.html", "--report", "markdown=out/md",
            ], in: dir)
        #expect(run.status == 1, "\(run.all)")
        let docs = try await vigil(["docs", "c.yaml", "-e", "env.yaml", "--out", "out/docs"], in: dir)
        #expect(docs.status == 1, "\(docs.all)")
        var texts = ["stdout": run.stdout + docs.stdout, "stderr": run.stderr + docs.stderr]
        let out = dir.appendingPathComponent("out")
        for case let url as URL in FileManager.default.enumerator(at: out, includingPropertiesForKeys: nil)! where !url.hasDirectoryPath {
            texts[url.path.replacingOccurrences(of: out.path, with: "out")] = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        }
        #expect(texts.count >= 7, "\(texts.keys.sorted())")
        let sessions = server.sessions
        #expect(sessions.count == 4)
        for (name, text) in texts {
            for s in sessions { #expect(!text.contains(s), "the session cookie in \(name)") }
            #expect(!text.contains("s3ss10n-"), "a session cookie in \(name)")
        }
        #expect(run.stdout.contains("••••"), "\(run.stdout)")
    }

    @Test func credentialsDoNotFollowARedirectToAnotherOrigin() async throws {
        let server = try await WebAppServer.start()
        defer { Task { await server.stop() } }
        // 127.0.0.1 and localhost are different hosts for the jar and different origins for
        // the redirect rules: neither the jar's session nor a written Cookie header goes there.
        let collection = """
            name: Cross-origin redirect
            requests:
              - name: Sign in
                POST: "{{baseUrl}}/login"
              - name: Away
                GET: "{{baseUrl}}/away?to=http://localhost:\(server.port)/echo"
                headers: { Cookie: "manual=abc123" }
                followRedirects: true
                expect:
                  text: "cookie: (none)"
              - name: Same origin keeps both
                GET: "{{baseUrl}}/echo"
                headers: { Cookie: "manual=abc123" }
                expect:
                  text: { startsWith: "cookie: manual=abc123; session=" }
            """
        let dir = try Self.site(collection, server)
        let run = try await vigil(["run", "c.yaml", "-e", "env.yaml"], in: dir)
        #expect(run.status == 0, "\(run.all)")
    }

    @Test func xpathSyntaxAndMissingUploadsAreLoadErrors() async throws {
        let collection = """
            name: Broken
            requests:
              - name: Bad XPath
                GET: "http://127.0.0.1:9/"
                expect:
                  xpath: { "count(//li[": 3 }
                capture:
                  x: { xpath: "//a/" }
              - name: Two contents
                POST: "http://127.0.0.1:9/upload"
                multipart:
                  both: { file: a, value: b }
            """
        let missing = """
            name: Missing
            requests:
              - name: Missing file
                POST: "http://127.0.0.1:9/upload"
                multipart:
                  title: x
                  upload: { file: data/missing.bin }
            """
        let dir = try scratch(["c.yaml": collection, "m.yaml": missing])
        let r = try await vigil(["validate", "c.yaml"], in: dir)
        #expect(r.status == 2, "\(r.all)")
        #expect(r.all.contains("c.yaml:6:"), "\(r.all)")
        #expect(r.all.contains("invalid XPath 'count(//li['"), "\(r.all)")
        #expect(r.all.contains("c.yaml:8:"), "\(r.all)")
        #expect(r.all.contains("invalid XPath '//a/'"), "\(r.all)")
        #expect(r.all.contains("c.yaml:12:"), "\(r.all)")
        #expect(r.all.contains("takes file: (a path) or value: (text)"), "\(r.all)")
        let m = try await vigil(["validate", "m.yaml"], in: dir)
        #expect(m.status == 2, "\(m.all)")
        #expect(m.all.contains("m.yaml:7:"), "\(m.all)")
        #expect(m.all.contains("missing.bin"), "\(m.all)")
    }

    @Test func queryXPathOnASavedResponse() async throws {
        let page = "<!DOCTYPE html><html><head><title>Login</title></head><body><ul><li>a<li>b</ul></body></html>"
        let soap = #"<e:Envelope xmlns:e="urn:e"><e:Item>1</e:Item><e:Item>2</e:Item></e:Envelope>"#
        let dir = try scratch(["page.html": page, "soap.xml": soap])
        let title = try await vigil(["query", "--xpath", "string(//title)", "page.html"], in: dir)
        #expect(title.status == 0 && title.stdout == "\"Login\"\n", "\(title.all)")
        let items = try await vigil(["query", "--xpath", "//x:Item", "--namespace", "x=urn:e", "soap.xml"], in: dir)
        #expect(items.stdout == "[\"1\",\"2\"]\n", "\(items.all)")
        let bad = try await vigil(["query", "--xpath", "count(//li", "page.html"], in: dir)
        #expect(bad.status == 2 && bad.stderr.hasPrefix("xpath:1:"), "\(bad.all)")
    }
}
