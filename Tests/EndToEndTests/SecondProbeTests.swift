import Foundation
import Testing
import VigilTestSupport

/// What the second attacker probe (session 8) found in the command line and its outputs, each
/// fixed: a repository's default environment reading the user's process environment, and
/// collection text reaching the terminal raw.
@Suite struct SecondProbeTests {
    /// `vigil run` without `-e` in a cloned repository picks up its `environments/local.yaml`:
    /// that file is the repository's, not the user's, so it may not read the process
    /// environment (where the user's credentials are) unless named with `-e`.
    @Test func aDefaultEnvironmentFromTheCurrentFolderCannotReadTheProcessEnvironment() async throws {
        let catcher = try await ScriptedHTTPServer.start { _ in .send(String(decoding: httpResponse("{}"), as: UTF8.self)) }
        defer { Task { await catcher.stop() } }
        let dir = try scratch([
            "environments/local.yaml": """
            name: Local emulator
            variables:
              baseUrl: http://127.0.0.1:\(catcher.port)
              t: "{{$env.VIGIL_PROBE_SECRET}}"
            """,
            "collections/01-smoke.yaml": "name: Smoke\nrequests:\n  - name: Ping\n    GET: \"{{baseUrl}}/ping?t={{t}}\"\n",
        ])
        let r = try await vigil(["run"], in: dir, environment: ["VIGIL_PROBE_SECRET": "AKIAFAKESECRET123"])
        #expect(r.status == 2, "\(r.all)")
        #expect(
            r.stderr.contains(
                "environments/local.yaml:4:7: reads the process environment ({{$env.VIGIL_PROBE_SECRET}}) but was picked up only because no -e was given"),
            "\(r.stderr)")
        #expect(catcher.requestCount == 0, "nothing is sent")
        // Named with -e, it is the user's choice.
        let named = try await vigil(["run", "-e", "environments/local.yaml"], in: dir, environment: ["VIGIL_PROBE_SECRET": "AKIAFAKESECRET123"])
        #expect(named.status == 0, "\(named.all)")
        #expect(catcher.requestCount == 1)
    }

    /// A shared collection's file name, names and description, and a recording's keys, reach
    /// the console, `--list`, validate's messages, `compare`, the HTML report and the Markdown
    /// pages' names with their control characters (and bidirectional overrides) escaped.
    @Test func collectionTextNeverActsOnTheTerminal() async throws {
        let file = "coll/\u{1B}]0;TITLE\u{07}\u{1B}[31mx.yaml"
        let dir = try scratch([
            "env.yaml": embeddedEnvironment(),
            file: """
            name: "\\e]0;PWNTITLE\\a\\e[41mCOLL\\u202ENAME"
            description: "\\e[2Jdesc"
            requests:
              - name: "\\e[32mREQNAME\\a\\b\\r\\x9b31m"
                GET: "{{baseUrl}}/api/.well-known/uris"
                expect: { status: 599 }
            """,
            "bad/\u{1B}[31mbad.yaml": "name: x\nrequests:\n  - GET: 12\n    nope: 1\n",
            "ra/c/01-one.json": #"{"request": "GET one", "status": 200, "body": {"\u001b[32mk": 1}}"#,
            "rb/c/01-one.json": #"{"request": "GET one", "status": 200, "body": {"\u001b]0;PWNED\u0007k": 1}}"#,
        ])
        let list = try await vigil(["run", "coll", "-e", "env.yaml", "--list"], in: dir)
        let run = try await vigil(["run", "coll", "-e", "env.yaml", "--report", "html=r.html", "--report", "markdown=md"], in: dir)
        let validate = try await vigil(["validate", "bad"], in: dir)
        let compare = try await vigil(["compare", "ra", "rb"], in: dir)
        #expect(list.status == 0 && run.status == 1 && validate.status == 2, "\(list.all)\n\(run.all)\n\(validate.all)")
        #expect(list.stdout.contains(#"\e]0;PWNTITLE\x07\e[41mCOLL\u{202e}NAME  (coll/\e]0;TITLE\x07\e[31mx.yaml)"#), "\(list.stdout)")
        #expect(run.stdout.contains(#"request at coll/\e]0;TITLE\x07\e[31mx.yaml:4:5"#), "\(run.stdout)")
        #expect(validate.stderr.contains(#"bad/\e[31mbad.yaml:"#), "\(validate.stderr)")
        #expect(compare.stdout.contains(#"$['\u001b]0;PWNED\u0007k']: added"#), "\(compare.stdout)")
        let html = try String(contentsOf: dir.appendingPathComponent("r.html"), encoding: .utf8)
        #expect(html.contains(#"\e[2Jdesc"#), "the description is shown")
        let pages = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("md").path)
        for (what, text) in [("list", list.all), ("run", run.all), ("validate", validate.all), ("compare", compare.all), ("html", html)]
            + pages.map({ ("page name", $0) })
        {
            #expect(!text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{9B}" || $0 == "\u{202E}" }, "\(what): \(text)")
        }
    }

    /// A `file:` body that is a FIFO (it would wait for a writer) is refused by validate, at
    /// its place, not when the request is sent.
    @Test func aFileBodyThatIsAPipeIsRefusedBeforeTheRun() async throws {
        let dir = try scratch([
            "env.yaml": embeddedEnvironment(),
            "c.yaml": "name: Pipe\nrequests:\n  - POST: \"{{baseUrl}}/api/.well-known/uris\"\n    file: body.json\n",
        ])
        #expect(mkfifo(dir.appendingPathComponent("body.json").path, 0o600) == 0)
        for command in ["validate", "run"] {
            let r = try await vigil([command, "c.yaml", "-e", "env.yaml"], in: dir)
            #expect(r.status == 2, "\(command): \(r.all)")
            #expect(r.stderr.contains("c.yaml:4:11: file 'body.json' is not a regular file (a pipe, socket or device)"), "\(command): \(r.stderr)")
        }
    }
}
