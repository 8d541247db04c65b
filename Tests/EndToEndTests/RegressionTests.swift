import Foundation
import Testing

/// Regression across releases: gates, release-keyed expectations, recordings and drift.
@Suite struct RegressionTests {
    static let gated = """
        auth: xprotect
        requests:
          - name: Discovery
            GET: "{{baseUrl}}/api/.well-known/uris"
            requires: 2022 R1
            expect: { status: 200 }
          - name: Cameras
            GET: "{{api}}/cameras"
            expect:
              body:
                array[0].enabled: { "< 2022 R2": "True", default: true }
                array[0].ptzEnabled: { requires: ">= 2023 R1", type: boolean }
          - name: Permissions
            GET: "{{api}}/securityNamespaces"
            requires: ">= 2024 R2 < 2026 R1"
            expect: { status: 200 }
        """

    @Test(arguments: [("2021 R2", 1, 2), ("2022 R2", 2, 1), ("2025 R2", 3, 0)])
    func gatesSkipWithTheirReasonAndExpectationsFollowTheRelease(profile: String, passed: Int, skipped: Int) async throws {
        let dir = try scratch(["env.yaml": embeddedEnvironment(profile: profile), "c.yaml": Self.gated])
        let r = try await vigil(["run", "c.yaml", "-e", "env.yaml"], in: dir)
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stdout.contains("\(passed) passed, 0 failed\(skipped > 0 ? ", \(skipped) skipped" : "")"), "\(r.stdout)")
        if profile == "2021 R2" {
            #expect(r.stdout.contains("– Discovery  skipped: requires >= 2022 R1; the server is 2021 R2"), "\(r.stdout)")
        }
        if skipped > 0 {
            #expect(r.stdout.contains("– Permissions  skipped: requires >= 2024 R2 < 2026 R1; the server is \(profile)"), "\(r.stdout)")
        }
    }

    @Test func aReleaseKeyedExpectationFailsWhenTheServerDisagrees() async throws {
        let dir = try scratch([
            "env.yaml": embeddedEnvironment(profile: "2025 R2"),
            "c.yaml":
                "auth: xprotect\nrequests:\n  - GET: \"{{api}}/cameras\"\n    expect:\n      body:\n        array[0].enabled: { \">= 2022 R2\": \"True\" }\n",
        ])
        let r = try await vigil(["run", "c.yaml", "-e", "env.yaml"], in: dir)
        #expect(r.status == 1, "\(r.all)")
        #expect(r.stdout.contains("expected \"True\", got true"), "\(r.stdout)")
    }

    @Test func aStatedReleaseGatesAnExternalServer() async throws {
        let dir = try scratch([
            "env.yaml": "name: stated\nrelease: 2022 R3\nvariables: { baseUrl: \"http://127.0.0.1:9\" }\n",
            "c.yaml": "requires: 2023 R2\nrequests:\n  - GET: \"{{baseUrl}}/never\"\nfinally:\n  - GET: \"{{baseUrl}}/never\"\n",
        ])
        let r = try await vigil(["run", "c.yaml", "-e", "env.yaml"], in: dir)
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stdout.contains("skipped: collection requires >= 2023 R2; the server is 2022 R3"), "\(r.stdout)")
        #expect(r.stdout.contains("0 passed, 0 failed, 2 skipped"))
    }

    @Test func compareReportsOnlyTheDocumentedDifferencesBetween2021R2And2025R2() async throws {
        let dir = try scratch([:])
        for (name, profile) in [("old", "2021r2"), ("new", "2025r2"), ("new2", "2025r2")] {
            let r = try await vigil(["run", "collections", "-q", "-e", "environments/emulator-\(profile).yaml", "--record", dir.path + "/" + name])
            #expect(r.status == 0, "\(r.all)")
        }
        let same = try await vigil(["compare", dir.path + "/new", dir.path + "/new2"], in: dir)
        #expect(same.status == 0, "\(same.all)")
        #expect(same.stdout.contains("no drift"))

        let drift = try await vigil(["compare", dir.path + "/old", dir.path + "/new"], in: dir)
        #expect(drift.status == 1)
        let lines = drift.stdout.split(separator: "\n").filter { $0.hasPrefix("  drift") }.map(String.init)
        #expect(!lines.isEmpty)
        // Each drift is one of the emulator's documented profile differences (docs/emulator.md, rows 3–6 and 11).
        let documented: [(String, String)] = [
            ("type string → boolean", "row 3: string booleans before 2022 R2"),
            ("$.array[*].ptzEnabled: added", "row 4: ptzEnabled from 2023 R1"),
            ("$.array[*].failoverSetting: added", "row 4: failoverSetting from 2023 R1"),
            ("f01-delete-the-user-defined-event $.data: removed", "row 5: DELETE answer"),
            ("f01-delete-the-user-defined-event $.state: added", "row 5: DELETE answer"),
            ("skipped in the first (when: ptzCameraId has no value)", "row 4: no ptzEnabled, no PTZ camera"),
            ("skipped in the first (requires >= 2022 R1; the server is 2021 R2)", "row 6: TaskCleanup gated"),
            ("skipped in the first (collection requires >= 2023 R2; the server is 2021 R2)", "row 11: Events and Alarms REST from 2023 R2"),
            ("skipped in the first (collection requires >= 2023 R3; the server is 2021 R2)", "Events and State WebSocket from 2023 R3"),
        ]
        for line in lines {
            #expect(documented.contains { line.contains($0.0) }, "undocumented drift: \(line)")
        }
        for (pattern, row) in documented where !pattern.hasPrefix("skipped") {
            #expect(lines.contains { $0.contains(pattern) }, "expected drift for \(row)")
        }

        // Accepting the drift makes the comparison pass.
        let accepted = dir.path + "/accepted.txt"
        let update = try await vigil(["compare", dir.path + "/old", dir.path + "/new", "--accepted", accepted, "--update"], in: dir)
        #expect(update.status == 0)
        let again = try await vigil(["compare", dir.path + "/old", dir.path + "/new", "--accepted", accepted], in: dir)
        #expect(again.status == 0, "\(again.all)")
        #expect(again.stdout.contains("0 not accepted"))
    }
}

/// One run over several environments.
@Suite struct MatrixTests {
    @Test func everyProfileInOneMatrixRunPassesOrIsSkippedByAGateWithItsReason() async throws {
        let profiles = ["2021r2", "2022r1", "2022r2", "2023r2", "2024r2", "2025r2"]
        let dir = try scratch([:])
        let html = dir.appendingPathComponent("report.html").path
        let r = try await vigil(["run", "collections", "--report", "html=\(html)"] + profiles.flatMap { ["-e", "environments/emulator-\($0).yaml"] })
        // The HTML report shows the same grid: a column per environment, a cell per request.
        let page = try String(contentsOfFile: html, encoding: .utf8)
        let grid = try #require(page.components(separatedBy: "<table class=\"grid\">").dropFirst().first?.components(separatedBy: "</table>").first)
        #expect(grid.components(separatedBy: "<th>Emulator ").count - 1 == profiles.count)
        // Skipped on 2021 R2 to 2022 R2: 7 PTZ steps before 2023 R1, and the 16 of 03-events-and-alarms (requires 2023 R2);
        // on 2021 R2 to 2023 R2, the 8 of 04-events-websocket (requires 2023 R3).
        #expect(grid.components(separatedBy: "class=\"badge skipped\"").count - 1 == 3 * (7 + 16) + 4 * 8, "gated steps")
        let events = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("  Trigger the user-defined event") })
        #expect(events.filter { $0 == "–" }.count == 3, "skipped before 2023 R2: \(events)")
        #expect(events.filter { $0 == "✓" }.count == 3, "\(events)")
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stdout.contains(" 0 failed"))
        let header = try #require(r.stdout.split(separator: "\n").first { $0.contains("Emulator 2021 R2") && $0.contains("Emulator 2025 R2") })
        #expect(header.contains("Emulator 2023 R2"))
        let row = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("  Clean the task up") })
        #expect(row.filter { $0 == "–" }.count == 3, "skipped on 2021 R2 to 2022 R2: \(row)")
        #expect(row.filter { $0 == "✓" }.count == 3, "\(row)")
        #expect(!r.stdout.contains("✗"))
        // Each block is whole: a collection's lines are not interleaved with another environment's.
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, line) in lines.enumerated() where line.hasPrefix("Cameras and PTZ preset tasks  ") {
            #expect(lines[i + 1].hasPrefix("  ✓ List cameras"), "\(lines[i + 1])")
        }
    }

    /// A recorded key holding a line break stays on its drift line: it cannot forge an
    /// "accepted" line on the console, and `--update` writes it so that it is accepted next time.
    @Test func aKeyWithALineBreakStaysOnItsDriftLine() async throws {
        let dir = try scratch([
            "ra/c/01-one.json": #"{"request": "GET one", "status": 200, "body": {"name": "x"}}"#,
            "rb/c/01-one.json": #"{"request": "GET one", "status": 200, "body": {"name": "x", "x\n  accepted  fake: all good\n": 2, "e\u001b[31m": 1}}"#,
        ])
        let drift = try await vigil(["compare", "ra", "rb", "--accepted", "acc.txt"], in: dir)
        #expect(drift.status == 1, "\(drift.all)")
        #expect(drift.stdout.contains(#"c/01-one $['x\n  accepted  fake: all good\n']: added (number)"#), "\(drift.stdout)")
        #expect(drift.stdout.contains(#"c/01-one $['e\u001b[31m']: added (number)"#), "\(drift.stdout)")
        #expect(!drift.stdout.split(separator: "\n").contains { $0.hasPrefix("  accepted") }, "\(drift.stdout)")
        let update = try await vigil(["compare", "ra", "rb", "--accepted", "acc.txt", "--update"], in: dir)
        #expect(update.status == 0, "\(update.all)")
        let accepted = try String(contentsOf: dir.appendingPathComponent("acc.txt"), encoding: .utf8)
        #expect(accepted.split(separator: "\n").count == 3, "\(accepted)")
        #expect(!accepted.unicodeScalars.contains("\u{1B}"), "\(accepted)")
        let again = try await vigil(["compare", "ra", "rb", "--accepted", "acc.txt"], in: dir)
        #expect(again.status == 0, "\(again.all)")
        #expect(again.stdout.contains("2 changes, 0 not accepted"), "\(again.stdout)")
    }
}
