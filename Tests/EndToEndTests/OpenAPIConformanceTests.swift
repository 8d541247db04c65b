import Foundation
import Testing
import VigilJSON
import XProtectEmulator

/// `openapi:` and `--openapi`: every response of a run checked against an OpenAPI description
/// (here the emulator's own, at /api/rest/v1/openapi.json), with the coverage at the end.
@Suite struct OpenAPIConformanceTests {
    @Test func theShippedCollectionsConformToTheEmulatorsDescriptionWithCoverage() async throws {
        let dir = try scratch([:])
        let json = dir.appendingPathComponent("r.json").path, html = dir.appendingPathComponent("r.html").path
        let r = try await vigil([
            "run", "collections/01-user-defined-events.yaml", "collections/03-events-and-alarms.yaml", "-e", "environments/local.yaml",
            "--report", "json=\(json)", "--report", "html=\(html)",
        ])
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stdout.contains("OpenAPI coverage (Local emulator): "), "\(r.stdout)")
        #expect(r.stdout.contains("0 responses broke the contract"), "\(r.stdout)")
        #expect(r.stdout.contains("UserDefinedEvents 6/7: GET /userDefinedEvents, POST /userDefinedEvents"), "\(r.stdout)")
        let report = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: json))))
        let coverage = try #require(report["openapi"]?[0])
        #expect(coverage["mode"] == "fail")
        #expect((coverage["exercised"]?.intValue ?? 0) >= 12, "\(coverage)")
        #expect(coverage["operations"]?.intValue == 43)
        let tags = coverage["tags"]?.arrayValue ?? []
        let events = try #require(tags.first { $0["name"] == "Events" })
        #expect(events["exercised"] == ["GET /events", "POST /events", "GET /events/{id}"])
        #expect(tags.first { $0["name"] == "Bookmarks" }?["missed"]?.arrayValue?.count == 5)
        // Each response has its check in the reports.
        let requests = report["suites"]?[0]?["requests"]?.arrayValue ?? []
        #expect(
            requests.contains {
                ($0["assertions"]?.arrayValue ?? []).contains { $0["subject"]?.stringValue?.contains("OpenAPI") == true && $0["result"] == "passed" }
            },
            "\(requests.first?["assertions"] ?? .null)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("<h2>OpenAPI coverage</h2>") && page.contains("GET /events/{id}"))
    }

    static let faultyCollection = """
        name: Contract
        continueOnFailure: true
        requests:
          - name: List sites
            GET: "{{baseUrl}}/api/rest/v1/sites"
            expect: { status: 5xx }   # the fault answers 500, 502 or 503
          - name: Discovery
            GET: "{{baseUrl}}/api/.well-known/uris"
        """

    @Test func aResponseThatBreaksTheContractFailsItsRequestOrIsListedInReportMode() async throws {
        var configuration = EmulatorConfiguration()
        configuration.faults = try EmulatorFaults(parsing: "5xx=1")
        let emulator = try await EmbeddedEmulator.start(configuration)
        defer { Task { await emulator.shutdown() } }
        let dir = try scratch([
            "c.yaml": Self.faultyCollection,
            "fail.yaml": "name: Faulty\nvariables: { baseUrl: \"\(emulator.baseURL)\" }\nopenapi: \"{{baseUrl}}/api/rest/v1/openapi.json\"\n",
            "report.yaml":
                "name: Faulty\nvariables: { baseUrl: \"\(emulator.baseURL)\" }\nopenapi: { spec: \"{{baseUrl}}/api/rest/v1/openapi.json\", mode: report }\n",
        ])
        let failing = try await vigil(["run", "c.yaml", "-e", "fail.yaml"], in: dir)
        #expect(failing.status == 1, "\(failing.all)")
        #expect(
            failing.stdout.contains(
                "response against OpenAPI GET /sites: expected a response the operation declares, got status 50"),
            "\(failing.stdout)")
        #expect(failing.stdout.contains("1 response broke the contract; 1 request matched no operation"), "\(failing.stdout)")
        #expect(failing.stdout.contains("matched no operation: GET /api/.well-known/uris"), "\(failing.stdout)")

        let listed = try await vigil(["run", "c.yaml", "-e", "report.yaml"], in: dir)
        #expect(listed.status == 0, "\(listed.all)")
        #expect(listed.stdout.contains("✓ List sites"), "\(listed.stdout)")
        #expect(listed.stdout.contains("broke the contract: 'List sites': GET /sites: status 50"), "\(listed.stdout)")
        #expect(listed.stdout.contains("is not declared (declared: 200, 401)"), "\(listed.stdout)")
    }

    @Test func aDescriptionThatCannotBeHadStopsTheRunBeforeAnythingIsSent() async throws {
        let dir = try scratch([
            "c.yaml": "requests:\n  - GET: \"{{baseUrl}}/api/rest/v1/sites\"\n",
            "missing.yaml": "name: E\nserver: embedded\nopenapi: specs/none.yaml\n",
            "notfound.yaml": "name: E\nserver: embedded\nopenapi: \"{{baseUrl}}/api/rest/v1/nothing.json\"\n",
            "bad.yaml": "name: E\nserver: embedded\nopenapi: { spec: x.yaml, mode: strict }\n",
            "specs/broken.yaml": "openapi: 3.0.0\npaths: [unclosed\n",
            "broken.yaml": "name: E\nserver: embedded\nopenapi: specs/broken.yaml\n",
        ])
        let missing = try await vigil(["run", "c.yaml", "-e", "missing.yaml"], in: dir)
        #expect(missing.status == 2 && missing.stderr.contains("missing.yaml:3:10: openapi: cannot read 'specs/none.yaml'"), "\(missing.all)")
        let bad = try await vigil(["run", "c.yaml", "-e", "bad.yaml"], in: dir)
        #expect(bad.status == 2 && bad.stderr.contains("bad.yaml:3:32: openapi mode must be 'fail'"), "\(bad.all)")
        let notFound = try await vigil(["run", "c.yaml", "-e", "notfound.yaml"], in: dir)
        #expect(notFound.status == 3 && notFound.stderr.contains("openapi: http://127.0.0.1:"), "\(notFound.all)")
        #expect(notFound.stderr.contains("/api/rest/v1/nothing.json answered 401, not the description"), "\(notFound.all)")
        let broken = try await vigil(["run", "c.yaml", "-e", "broken.yaml"], in: dir)
        #expect(broken.status == 3 && broken.stderr.contains("specs/broken.yaml:"), "\(broken.all)")
        let usage = try await vigil(["run", "c.yaml", "--openapi-mode", "loose", "--openapi", "specs/broken.yaml"], in: dir)
        #expect(usage.status == 4 && usage.stderr.contains("--openapi-mode must be 'fail' or 'report'"), "\(usage.all)")
    }
}
