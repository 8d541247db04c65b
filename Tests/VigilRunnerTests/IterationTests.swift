import Foundation
import Testing
import VigilCore
import VigilJSON
import VigilRunner
import VigilYAML
import XProtectEmulator

/// Writes `files` in a fresh folder, loads its `c.yaml` as `vigil` does and runs it on `emulator`.
func runFolder(_ files: [String: String], on emulator: EmbeddedEmulator) async throws -> (CollectionResult, EventLog) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-iter-\(UUID().uuidString)")
    for (name, text) in files {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
    let source = try #require(YAMLSource(contentsOf: dir.path + "/c.yaml"))
    let collection = try CollectionLoader.scan(source, root: dir.path)
    let log = EventLog()
    let t = try TransportFactory.make(tls: TLSSettings())
    let context = RunContext(transport: t, redactor: Redactor(), observer: log, defaultTimeout: .seconds(10))
    let result = await CollectionRunner(context: context).run(
        collection, in: try emulatorEnvironment(), provided: [("baseUrl", .string(emulator.baseURL))])
    await t.shutdown()
    return (result, log)
}

@Suite("Include and forEach runs")
struct IterationTests {
    static let createEvent = """
        - name: Create
          POST: "{{api}}/userDefinedEvents"
          json: { name: "{{prefix}} {{event}} {{event.index}}" }
          expect: { status: 201 }
          capture: { eventId: result.id }
        - name: Read
          GET: "{{api}}/userDefinedEvents/{{eventId}}"
          expect:
            body: { data.name: "{{prefix}} {{event}} {{event.index}}" }
        """

    @Test func capturesFlowOutOfFragmentsAndIterationsAreResultsOfTheirOwn() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let (result, log) = try await runFolder(
            [
                "fragments/event.yaml": Self.createEvent,
                "c.yaml": """
                variables: { names: [alpha, beta, gamma] }
                auth: xprotect
                requests:
                  - name: Events
                    include: fragments/event.yaml
                    forEach: "{{names}}"
                    as: event
                    with: { prefix: "Iter" }
                  - name: Last one
                    GET: "{{api}}/userDefinedEvents/{{eventId}}"
                    expect: { body: { data.name: "Iter gamma 2" } }
                  - name: All events
                    GET: "{{api}}/userDefinedEvents"
                    capture: { ids: { path: "$.array[?search(@.name, '^Iter ')].id", all: true } }
                  - name: Each
                    GET: "{{api}}/userDefinedEvents/{{id}}"
                    forEach: "{{ids}}"
                    as: id
                    expect: { body: { data.id: "{{id}}" } }
                finally:
                  - name: Delete
                    DELETE: "{{api}}/userDefinedEvents/{{id}}"
                    forEach: "{{ids}}"
                    as: id
                """,
            ], on: emulator)
        let names = log.results.map(\.ref.name)
        #expect(
            names == [
                "Events [1/3] › Create", "Events [1/3] › Read", "Events [2/3] › Create", "Events [2/3] › Read",
                "Events [3/3] › Create", "Events [3/3] › Read", "Last one", "All events",
                "Each [1/3]", "Each [2/3]", "Each [3/3]", "Delete [1/3]", "Delete [2/3]", "Delete [3/3]",
            ])
        #expect((result.passed, result.failed, result.errors, result.skipped) == (14, 0, 0, 0), "\(log.results.map { "\($0.ref.name): \($0.message ?? "")" })")
        #expect(log.results[0].ref.file.hasSuffix("/c.yaml"), "results stay in their collection's suite")
        #expect(log.results[0].ref.markFile.hasSuffix("fragments/event.yaml"))
        #expect(log.results[0].ref.mark == Mark(line: 1, column: 3))
    }

    @Test func anEmptyListSkipsTheStepSayingWhyAndANonListIsAnError() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let (result, log) = try await runFolder(
            [
                "c.yaml": """
                variables: { none: [], one: solo }
                auth: xprotect
                requests:
                  - name: Nothing
                    GET: "{{api}}/cameras/{{item}}"
                    forEach: "{{none}}"
                  - name: Not a list
                    GET: "{{api}}/cameras/{{item}}"
                    forEach: "{{one}}"
                  - name: After
                    GET: "{{api}}/cameras"
                """
            ], on: emulator)
        #expect((result.passed, result.failed, result.errors, result.skipped) == (0, 0, 1, 2))
        #expect(log.results[0].ref.name == "Nothing")
        #expect(log.results[0].outcome == .skipped(reason: "forEach {{none}} is an empty list: nothing to iterate"))
        #expect(log.results[1].outcome == .error)
        let message = try #require(log.results[1].message)
        #expect(message.hasPrefix("forEach needs a list, but {{one}} is text ('solo') (forEach at "), "\(message)")
        #expect(message.hasSuffix("/c.yaml:9:14)"))
        #expect(log.results[2].outcome == .skipped(reason: "an earlier request failed ('Not a list')"))
    }
}
