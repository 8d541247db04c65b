import Testing
import VigilCore
import VigilRunner
import XProtectEmulator

/// What `vigil run` does: a scanned collection, read again from its bytes as it runs, and a
/// context that keeps totals rather than every result.
@Suite struct ScannedRunTests {
    static let yaml = """
        auth: xprotect
        finally:
          - name: Cleanup
            DELETE: "{{api}}/userDefinedEvents/{{eventId}}"
        requests:
          - name: Create
            POST: "{{api}}/userDefinedEvents"
            json: { name: "Scanned {{$uuid}}" }
            capture: { eventId: result.id }
          - name: Read
            GET: "{{api}}/userDefinedEvents/{{eventId}}"
            expect: { body: { data.id: "{{eventId}}" } }
          - name: Missing
            GET: "{{api}}/userDefinedEvents/00000000-0000-0000-0000-000000000000"
          - name: Skipped after the failure
            GET: "{{api}}/sites"
        """

    /// Runs `collection` as the command line does: totals kept, results seen by the observer.
    func runKeepingTotals(_ collection: CollectionFile, on emulator: EmbeddedEmulator) async throws -> (CollectionResult, EventLog) {
        let log = EventLog()
        var context = RunContext(
            transport: try TransportFactory.make(tls: TLSSettings()), redactor: Redactor(), observer: log,
            defaultTimeout: .seconds(10))
        context.keepsResults = false
        let result = await CollectionRunner(context: context).run(
            collection, in: try emulatorEnvironment(),
            provided: [("baseUrl", .string(emulator.baseURL))])
        await context.transport.shutdown()
        return (result, log)
    }

    @Test func aScannedCollectionRunsInOrderWithFinallyLastAndTotalsOnly() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let collection = try CollectionLoader.scan(bytes: Array(Self.yaml.utf8), file: "c.yaml")
        #expect(collection.requests.isEmpty, "nothing decoded is kept")
        let (result, log) = try await runKeepingTotals(collection, on: emulator)
        #expect(result.results.isEmpty)
        #expect((result.passed, result.failed, result.skipped, result.errors) == (3, 1, 1, 0))
        let seen = log.results
        #expect(seen.map(\.ref.name) == ["Create", "Read", "Missing", "Skipped after the failure", "Cleanup"])
        #expect(seen.map(\.ref.section) == [.requests, .requests, .requests, .requests, .finally])
        #expect(seen.last?.outcome == .passed, "finally ran, with the captured id: \(seen.last?.message ?? "")")
    }

    @Test func aLongScannedCollectionIsDecodedAheadOfTheRunInOrder() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        // Over 32 requests: decoded on a second thread while the run waits on the network.
        let yaml =
            "auth: xprotect\nrequests:\n" + (1...60).map { "  - name: Step \($0)\n    GET: \"{{api}}/sites?n=\($0)\"\n" }.joined()
            + "finally:\n" + (1...40).map { "  - name: Cleanup \($0)\n    GET: \"{{api}}/sites\"\n" }.joined()
        let collection = try CollectionLoader.scan(bytes: Array(yaml.utf8), file: "long.yaml")
        let (result, log) = try await runKeepingTotals(collection, on: emulator)
        #expect((result.passed, result.failed, result.errors) == (100, 0, 0))
        #expect(log.results.map(\.ref.name) == (1...60).map { "Step \($0)" } + (1...40).map { "Cleanup \($0)" })
        #expect(log.results.prefix(60).map(\.ref.index) == Array(0..<60))
    }
}
