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
}
