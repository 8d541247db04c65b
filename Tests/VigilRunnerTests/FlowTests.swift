import Testing
import VigilCore
import VigilRunner
import XProtectEmulator

/// Issue 14, point 5: `continueOnFailure` and what a failure leaves out.
@Suite struct FlowTests {
    static let yaml = """
        auth: xprotect
        continueOnFailure: true
        requests:
          - name: Missing
            GET: "{{api}}/userDefinedEvents/00000000-0000-0000-0000-000000000000"
            capture: { eventId: data.id }
          - name: Uses the id
            GET: "{{api}}/userDefinedEvents/{{eventId}}"
            capture: { eventName: data.name }
          - name: Independent
            GET: "{{api}}/sites"
          - name: Uses the skipped one's capture
            GET: "{{api}}/sites?name={{eventName}}"
          - name: Tests for the id
            GET: "{{api}}/sites"
            when: { eventId: { exists: false } }
        finally:
          - name: Cleanup
            GET: "{{api}}/sites"
        """

    static func reasons(_ log: EventLog) -> [String: String] {
        var out: [String: String] = [:]
        for r in log.results { if case .skipped(let reason) = r.outcome { out[r.ref.name] = reason } }
        return out
    }

    @Test(arguments: [false, true])
    func laterRequestsRunAndThoseNeedingAMissingCaptureSaySo(scanned: Bool) async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let collection =
            scanned ? try CollectionLoader.scan(bytes: Array(Self.yaml.utf8), file: "c.yaml") : try CollectionLoader.load(Self.yaml, file: "c.yaml")
        let log = EventLog()
        let t = try TransportFactory.make(tls: TLSSettings())
        let context = RunContext(transport: t, redactor: Redactor(), observer: log, defaultTimeout: .seconds(10))
        let result = await CollectionRunner(context: context).run(
            collection, in: try emulatorEnvironment(), provided: [("baseUrl", .string(emulator.baseURL))])
        await t.shutdown()
        #expect((result.passed, result.failed, result.skipped, result.errors) == (3, 1, 2, 0))
        let reasons = Self.reasons(log)
        #expect(reasons["Uses the id"] == "needs 'eventId', which 'Missing' did not capture (it failed)")
        #expect(reasons["Uses the skipped one's capture"] == "needs 'eventName', which 'Uses the id' did not capture (it was skipped)")
        #expect(log.results.first { $0.ref.name == "Tests for the id" }?.outcome == .passed, "when: decides for itself")
        #expect(log.results.last?.ref.name == "Cleanup" && log.results.last?.outcome == .passed)
    }

    @Test func aRequestMayContinueOnItsOwnAndTheNextFailureStillStops() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let (result, log) = try await run(
            """
            auth: xprotect
            requests:
              - name: Allowed to fail
                GET: "{{api}}/userDefinedEvents/00000000-0000-0000-0000-000000000000"
                continueOnFailure: true
              - name: Runs
                GET: "{{api}}/sites"
              - name: Fails
                GET: "{{api}}/sites"
                expect: { status: 404 }
              - name: Skipped
                GET: "{{api}}/sites"
            """, on: emulator)
        #expect((result.passed, result.failed, result.skipped) == (1, 2, 1))
        #expect(Self.reasons(log)["Skipped"] == "an earlier request failed ('Fails')")
    }

    @Test func aRequestMayOptOutOfItsCollectionsContinueOnFailure() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let (result, log) = try await run(
            """
            auth: xprotect
            continueOnFailure: true
            requests:
              - name: Must pass
                GET: "{{api}}/sites"
                expect: { status: 404 }
                continueOnFailure: false
              - name: Skipped
                GET: "{{api}}/sites"
            """, on: emulator)
        #expect((result.passed, result.failed, result.skipped) == (0, 1, 1))
        #expect(Self.reasons(log)["Skipped"] == "an earlier request failed ('Must pass')")
    }

    @Test func aSkipReasonSkipsEveryRequestAndFinally() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let collection = try CollectionLoader.load(Self.yaml, file: "c.yaml")
        let log = EventLog()
        let t = try TransportFactory.make(tls: TLSSettings())
        let context = RunContext(transport: t, redactor: Redactor(), observer: log, defaultTimeout: .seconds(10))
        let result = await CollectionRunner(context: context).run(
            collection, in: try emulatorEnvironment(), provided: [("baseUrl", .string(emulator.baseURL))], skipReason: "--bail: collection 'x' failed")
        await t.shutdown()
        #expect(result.skipped == 6 && result.passed == 0)
        #expect(Set(Self.reasons(log).values) == ["--bail: collection 'x' failed"])
    }
}
