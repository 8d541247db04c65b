import Foundation
import Testing
import VigilCore
import VigilRunner
import XProtectEmulator

/// Retry, failWhen, when and finally, against the emulator's tasks.
@Suite struct PollingTests {
    static func taskCollection(camera: String) -> String {
        """
        auth: xprotect
        requests:
          - name: Invoke
            POST: "{{api}}/cameras/\(camera)/ptzPresets"
            query: { task: GetDevicePresets }
            json: { sessionDataId: 0 }
            capture: { taskId: result.path.id }
          - name: Poll
            GET: "{{api}}/tasks/{{taskId}}"
            retry:
              until: { body: { data.progress: 100 } }
              failWhen: { body: { data.state: Error } }
              interval: 50ms
              timeout: 10s
            expect: { body: { data.state: Success } }
          - name: After
            GET: "{{api}}/sites"
        finally:
          - name: Cleanup
            POST: "{{api}}/tasks/{{taskId}}"
            query: { task: TaskCleanup }
            json: {}
            expect: { body: { result.state: Success } }
        """
    }

    @Test func aTaskIsPolledUntilItSucceeds() async throws {
        var config = EmulatorConfiguration()
        config.taskDuration = .milliseconds(300)
        let emulator = try await EmbeddedEmulator.start(config)
        defer { Task { await emulator.shutdown() } }
        let (result, log) = try await run(Self.taskCollection(camera: "93345da5-de2b-415c-afe3-968f4b28cccd"), on: emulator)
        #expect(result.passed == 4, "\(result.results.map { ($0.ref.name, $0.outcome, $0.failures, $0.message) })")
        let poll = try #require(log.results.first { $0.ref.name == "Poll" })
        #expect(poll.attempts >= 3)
        #expect(poll.captures.isEmpty)
    }

    @Test func aTaskEndingInErrorFailsThePollAtOnceWithTheServersText() async throws {
        var config = EmulatorConfiguration()
        config.taskDuration = .milliseconds(300)
        let emulator = try await EmbeddedEmulator.start(config)
        defer { Task { await emulator.shutdown() } }
        // The emulator's Bosch PTZ camera is configured so its tasks end in Error.
        let (result, log) = try await run(Self.taskCollection(camera: "5c4b3a29-1807-4f6e-9d5c-4b3a29180706"), on: emulator)
        let poll = try #require(log.results.first { $0.ref.name == "Poll" })
        #expect(poll.outcome == .failed)
        let failure = try #require(poll.failures.first)
        #expect(failure.actual.contains("failWhen held"))
        #expect(failure.actual.contains("errorText"))
        #expect(poll.duration < .seconds(3), "stops at once, not at the 10 s budget")
        #expect(result.results.first { $0.ref.name == "After" }?.outcome == .skipped(reason: "an earlier request failed ('Poll')"))
        #expect(result.results.first { $0.ref.name == "Cleanup" }?.outcome == .passed, "finally runs after a failure")
    }

    @Test func pollingGivesUpAtItsTimeout() async throws {
        var config = EmulatorConfiguration()
        config.taskDuration = .seconds(30)
        let emulator = try await EmbeddedEmulator.start(config)
        defer { Task { await emulator.shutdown() } }
        let yaml = Self.taskCollection(camera: "93345da5-de2b-415c-afe3-968f4b28cccd").replacingOccurrences(of: "timeout: 10s", with: "timeout: 400ms")
        let (_, log) = try await run(yaml, on: emulator)
        let poll = try #require(log.results.first { $0.ref.name == "Poll" })
        #expect(poll.outcome == .failed)
        #expect(poll.failures.first?.actual.contains("gave up after") == true)
        #expect(poll.duration < .seconds(2))
    }

    @Test func whenSkipsWithTheReasonAndUnresolvedPlaceholdersAreNotSent() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let (result, _) = try await run(
            """
            auth: xprotect
            requests:
              - name: Find nothing
                GET: "{{api}}/cameras"
                capture: { missing: { path: "$.array[?@.name == 'none'].id", optional: true } }
              - name: Guarded
                GET: "{{api}}/cameras/{{missing}}"
                when: { missing: { exists: true } }
              - name: Unguarded
                GET: "{{api}}/cameras/{{missing}}"
            """, on: emulator)
        #expect(result.results[0].outcome == .passed)
        #expect(result.results[1].outcome == .skipped(reason: "when: missing has no value"))
        #expect(result.results[2].outcome == .failed)
        #expect(result.results[2].message?.contains("not sent: '{{missing}}' is not defined") == true)
        #expect(result.results[2].attempts == 0)
    }

    @Test func aSoloPlaceholderKeepsItsJSONTypeInABody() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let (result, log) = try await run(
            """
            auth: xprotect
            requests:
              - name: Count
                GET: "{{api}}/cameras"
                capture: { n: { path: "$.array[0].channel" } }
              - name: Send
                POST: "{{api}}/userDefinedEvents"
                json: { name: "typed {{n}}", count: "{{n}}" }
                expect: { status: 201 }
            """, on: emulator)
        #expect(result.passed == 2)
        let sent = try #require(log.results.last?.exchange?.request.body)
        #expect(String(decoding: sent, as: UTF8.self) == #"{"name":"typed 0","count":0}"#)
    }
}
