import Foundation
import Testing
import VigilTestSupport

/// Issue 20, point 5: hostile server bytes and hostile collection text make no live markup in
/// the Markdown docs (rendered to HTML by markdown-it-py, a CommonMark renderer) and no raw
/// control byte on the console.
@Suite struct HostileMarkdownTests {
    static let hostileLines = [
        "\u{1B}[2J\u{1B}]0;pwned\u{07}", "```", "<img src=x onerror=alert(1)>", "~~~", "<script>alert(1)</script>",
        "[x](javascript:alert(1))", "````", "# heading", "<!-- comment -->", "| a | b |",
    ]

    /// Renders Markdown files to HTML with markdown-it-py (raw HTML allowed, every link scheme
    /// allowed: only Vigil's escaping keeps them out) and lists the tags and attributes made.
    static let renderer = #"""
        import json, sys
        from html.parser import HTMLParser
        from markdown_it import MarkdownIt
        md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
        md.validateLink = lambda url: True
        class Tags(HTMLParser):
            def __init__(self):
                super().__init__(); self.tags = []; self.attrs = []
            def handle_starttag(self, tag, attrs):
                self.tags.append(tag); self.attrs += [[tag, k, v or ""] for k, v in attrs]
            def handle_comment(self, data):
                self.tags.append("!--")
        out = []
        for path in sys.argv[1:]:
            html = md.render(open(path, encoding="utf-8").read())
            p = Tags(); p.feed(html)
            out.append({"path": path, "html": html, "tags": p.tags, "attrs": p.attrs})
        print(json.dumps(out))
        """#

    struct Rendered: Decodable {
        var path: String
        var html: String
        var tags: [String]
        var attrs: [[String]]
    }

    /// The pages rendered to HTML; fails with the way to install the renderer when it is missing.
    static func render(_ paths: [String]) throws -> [Rendered]? {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import markdown_it"]
        probe.standardError = FileHandle.nullDevice
        do {
            try probe.run()
            probe.waitUntilExit()
        } catch {}
        guard probe.isRunning == false, probe.terminationStatus == 0 else {
            Issue.record("markdown-it-py (a CommonMark renderer from PyPI) is not installed for python3: run `make deps`")
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", renderer] + paths
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try JSONDecoder().decode([Rendered].self, from: data)
    }

    @Test func hostileBodiesHeadersAndNamesMakeNoLiveMarkup() async throws {
        let text = Self.hostileLines.joined(separator: "\n")
        let json = #"{"evil": "<img src=x onerror=alert(1)> ``` [x](javascript:alert(1)) \u001b[31m", "ok": 1}"#
        let server = try await ScriptedHTTPServer.start { request in
            // (A control byte in a header is refused by the HTTP parser: the body carries them.)
            let extra = "X-Evil: <img src=x onerror=alert(1)> [x](javascript:alert(1)) ``` <script>\r\n"
            if request.hasPrefix("GET /json") { return .send(httpResponse(Array(json.utf8), extra: extra)) }
            return .send(httpResponse(Array(text.utf8), contentType: "text/plain", extra: extra))
        }
        defer { Task { await server.stop() } }
        let collection = """
            name: '<img src=x onerror=alert(1)> *Hostile* [x](javascript:alert(1))'
            description: |
              # Not a heading
              <script>alert(1)</script>
              ```
              [x](javascript:alert(1))
            requests:
              - name: '<img src=x onerror=alert(1)> [x](javascript:alert(1)) ``` # *x* |'
                GET: "{{baseUrl}}/text"
                headers: { X-Note: "<img src=x onerror=alert(1)> ```" }
                expect: { status: 200 }
              - name: "<script>alert(1)</script>\\u001b[2J"
                GET: "{{baseUrl}}/json"
                capture:
                  evil: { path: evil }
                expect:
                  body: { evil: "<img src=y onerror=alert(2)> ``` [y](javascript:alert(2))" }
            """
        let dir = try scratch(["c.yaml": collection, "env.yaml": "name: '<b>Env</b>'\nvariables: { baseUrl: \"\(server.baseURL)\" }\n"])
        let run = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--verbose", "--report", "markdown=out/md"], in: dir)
        #expect(run.status == 1, "\(run.all)")
        #expect(!run.all.contains("\u{1B}") && !run.all.contains("\u{07}"), "a raw control byte reached the console")
        #expect(run.stdout.contains(#"\e[2J\e]0;pwned\x07"#), "\(run.stdout)")
        let docs = try await vigil(["docs", "c.yaml", "-e", "env.yaml", "--out", "out/docs"], in: dir)
        #expect(docs.status == 1, "\(docs.all)")

        let paths = ["out/md/c.md", "out/md/README.md", "out/docs/c.md", "out/docs/README.md"].map { dir.appendingPathComponent($0).path }
        for path in paths {
            let markdown = try String(contentsOfFile: path, encoding: .utf8)
            #expect(!markdown.contains("\u{1B}") && !markdown.contains("\u{07}"), "\(path)")
        }
        let page = try String(contentsOfFile: paths[0], encoding: .utf8)
        #expect(page.contains("````http"), "a body holding ``` is fenced with four backticks: \(page)")
        #expect(page.contains(#"\e[2J\e]0;pwned\x07"#), "\(page)")
        guard let rendered = try Self.render(paths) else { return }
        let allowed: Set<String> = ["h1", "h2", "p", "pre", "code", "ul", "ol", "li", "strong", "em", "blockquote", "a", "!--"]
        for r in rendered {
            for bad in ["<img", "<script", "href=\"javascript:", "<table", "<del", "<s>"] {
                #expect(!r.html.contains(bad), "\(r.path): \(bad) in \(r.html)")
            }
            #expect(Set(r.tags).subtracting(allowed).isEmpty, "\(r.path): tags \(Set(r.tags).subtracting(allowed))")
            for a in r.attrs {
                #expect(!a[1].lowercased().hasPrefix("on"), "\(r.path): attribute \(a)")
                if a[1] == "href" { #expect(a[2].wholeMatch(of: /[A-Za-z0-9%._~\/-]+\.md/) != nil, "\(r.path): link \(a)") }
            }
            let headings = r.tags.filter { $0 == "h1" }.count
            #expect(headings == 1, "\(r.path): one title, no heading from the description")
        }
        // The text survives, escaped: what the server sent is shown, not obeyed.
        let html = rendered[0].html
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "\(html)")
        #expect(html.contains("[x](javascript:alert(1))"), "\(html)")
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(html)")
    }
}

/// Issue 20, points 4 and 1, end to end: a body read from a file is shown by its name and size
/// (its content only with `--verbose`), and a redirect to a second origin is in every report.
@Suite struct FileBodyAndRedirectReportTests {
    @Test func aFileBodyIsNamedAndEveryHopIsReported() async throws {
        let second = try await ScriptedHTTPServer.start { _ in .send(httpResponse(#"{"done":true}"#)) }
        defer { Task { await second.stop() } }
        let first = try await ScriptedHTTPServer.start { _ in
            .send(httpResponse("", status: "302 Found", extra: "Location: \(second.baseURL)/done\r\n"))
        }
        defer { Task { await first.stop() } }
        let content = "FILE-BODY-CONTENT-0123456789"
        let collection = """
            name: Upload
            requests:
              - name: Upload the file
                POST: "{{baseUrl}}/upload"
                headers: { Authorization: "Bearer {{token}}" }
                file: data/x.bin
                followRedirects: true
                expect: { status: 200 }
            """
        let env = "name: Two origins\nvariables: { baseUrl: \"\(first.baseURL)\", token: tok-123456 }\nsecrets: [token]\n"
        let dir = try scratch(["c.yaml": collection, "env.yaml": env, "data/x.bin": content])
        let reports = ["--report", "json=out/r.json", "--report", "html=out/r.html", "--report", "markdown=out/md", "--report", "junit=out/j.xml"]
        let run = try await vigil(["run", "c.yaml", "-e", "env.yaml"] + reports, in: dir)
        #expect(run.status == 0, "\(run.all)")
        let read = { (name: String) in try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8) }
        for name in ["out/r.json", "out/r.html", "out/md/c.md", "out/j.xml"] {
            #expect(try !read(name).contains(content), "\(name) shows the file's content")
        }
        let json = try JSONSerialization.jsonObject(with: Data(try read("out/r.json").utf8)) as? [String: Any]
        let suites = json?["suites"] as? [[String: Any]]
        let request = (suites?.first?["requests"] as? [[String: Any]])?.first
        let sent = request?["request"] as? [String: Any]
        #expect(sent?["bodyFile"] as? String == "data/x.bin")
        #expect(sent?["bodyBytes"] as? Int == content.utf8.count)
        let hops = request?["redirects"] as? [[String: Any]]
        #expect(hops?.count == 1)
        #expect(hops?.first?["status"] as? Int == 302)
        #expect(hops?.first?["location"] as? String == "\(second.baseURL)/done")
        #expect(hops?.first?["method"] as? String == "GET")
        #expect(hops?.first?["url"] as? String == "\(second.baseURL)/done")
        #expect((hops?.first?["droppedHeaders"] as? [String])?.contains("Authorization") == true)
        #expect(hops?.first?["refused"] as? Bool == false)
        let hop = "302 → GET \(second.baseURL)/done (Authorization not sent: another origin)"
        #expect(try read("out/r.html").contains("<li>↪ \(hop)</li>"))
        #expect(try read("out/md/c.md").contains("- ↪ `\(hop)`"))
        #expect(try read("out/md/c.md").contains("(file data/x.bin, \(content.utf8.count) bytes)"))

        // With --verbose the content is shown, as before.
        let verbose = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--verbose", "--report", "json=out/v.json"], in: dir)
        #expect(verbose.status == 0, "\(verbose.all)")
        #expect(verbose.stdout.contains(content))
        #expect(try read("out/v.json").contains(content))
    }
}
