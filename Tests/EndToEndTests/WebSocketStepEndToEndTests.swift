import Foundation
import Testing

/// WebSocket steps through the command line: `--verbose` shows the messages, secrets masked.
@Suite struct WebSocketStepEndToEndTests {
    @Test func verboseShowsTheMessagesWithSecretsMasked() async throws {
        let collection = """
            auth: xprotect
            requests:
              - name: Start a session
                WS: "{{baseUrl}}/api/ws/events/v1"
                send:
                  - { command: startSession, commandId: 1, sessionId: "{{apiKey}}", eventId: "" }
                expect:
                  - { commandId: 1, status: 201 }
            """
        let dir = try scratch([
            "c.yaml": collection,
            "env.yaml": embeddedEnvironment().replacingOccurrences(
                of: "variables:\n", with: "secrets: [apiKey]\nvariables:\n  apiKey: s3cret-key-value\n"),
        ])
        let run = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--verbose"], in: dir)
        #expect(run.status == 0, "\(run.all)")
        #expect(run.stdout.contains("startSession"), "\(run.stdout)")
        #expect(run.stdout.contains("\"status\": 201") || run.stdout.contains("\"status\":201"), "\(run.stdout)")
        #expect(!run.all.contains("s3cret-key-value"), "\(run.all)")
    }

    /// A message over 16 KiB is sent in fragments of 16 KiB: the emulator, like servers on NIO's
    /// defaults, refuses longer frames (1009) but takes longer messages.
    @Test func aMessageOver16KiBIsSentInFragmentsTheServerTakes() async throws {
        let collection = """
            auth: xprotect
            requests:
              - name: Start a session
                WS: "{{baseUrl}}/api/ws/events/v1"
                send:
                  - { command: startSession, commandId: 1, sessionId: "", eventId: "", pad: "\(String(repeating: "é", count: 20_000))" }
                expect:
                  - { commandId: 1, status: 201 }
            """
        let dir = try scratch(["c.yaml": collection, "env.yaml": embeddedEnvironment()])
        let run = try await vigil(["run", "c.yaml", "-e", "env.yaml"], in: dir)
        #expect(run.status == 0, "\(run.all)")
    }
}
