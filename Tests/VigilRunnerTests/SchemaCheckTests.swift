import Foundation
import Testing
import VigilCore
import VigilRunner
import XProtectEmulator

/// `expect: { schema: … }` against the emulator's real answers: inline and from files (with a
/// `$ref` to another file), violations listed with where they are, files kept in bounds.
@Suite struct SchemaCheckTests {
    static let sitesSchema = """
        {"type": "object", "required": ["array"],
         "properties": {"array": {"type": "array", "minItems": 1, "items": {"$ref": "site.json"}}}}
        """

    func runIn(_ dir: URL, _ yaml: String, emulator: EmbeddedEmulator) async throws -> RequestResult {
        var collection = try CollectionLoader.load(yaml, file: dir.appendingPathComponent("c.yaml").path)
        collection.root = dir.path
        let transport = try TransportFactory.make(tls: TLSSettings())
        let context = RunContext(transport: transport, redactor: Redactor(), observer: EventLog(), defaultTimeout: .seconds(5))
        let result = await CollectionRunner(context: context).run(
            collection, in: try emulatorEnvironment(), provided: [("baseUrl", .string(emulator.baseURL))])
        await transport.shutdown()
        return try #require(result.results.last)
    }

    @Test func aBodyIsCheckedAgainstASchemaFileAndItsReferences() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("schemas"), withIntermediateDirectories: true)
        try Self.sitesSchema.write(to: dir.appendingPathComponent("schemas/sites.json"), atomically: true, encoding: .utf8)
        try #"{"type": "object", "required": ["id", "displayName"], "properties": {"id": {"type": "string", "format": "uuid"}}}"#.write(
            to: dir.appendingPathComponent("schemas/site.json"), atomically: true, encoding: .utf8)
        try #"{"type": "object", "required": ["nosuchmember"]}"#.write(
            to: dir.appendingPathComponent("schemas/strict.json"), atomically: true, encoding: .utf8)
        let request = "auth: xprotect\nrequests:\n  - GET: \"{{api}}/sites\"\n    expect: { schema: schemas/%@ }\n"
        let good = try await runIn(dir, request.replacingOccurrences(of: "%@", with: "sites.json"), emulator: emulator)
        #expect(good.outcome == .passed, "\(good.checks)")
        #expect(good.checks.contains { $0.kind == .schema("schemas/sites.json") && $0.passed })
        let bad = try await runIn(dir, request.replacingOccurrences(of: "%@", with: "strict.json"), emulator: emulator)
        #expect(bad.outcome == .failed)
        let failure = try #require(bad.failures.first)
        #expect(failure.kind == .schema("schemas/strict.json"))
        #expect(failure.actual.hasPrefix("1 violation: $:"), "\(failure.actual)")
        #expect(failure.actual.contains("nosuchmember") && failure.actual.contains("/required"), "\(failure.actual)")
    }

    @Test func anInlineSchemaAndItsViolations() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let r = try await runIn(
            dir,
            """
            auth: xprotect
            requests:
              - GET: "{{api}}/sites"
                expect:
                  schema: { type: object, properties: { array: { type: array, items: { properties: { id: { type: integer } } } } } }
            """, emulator: emulator)
        #expect(r.outcome == .failed)
        let failure = try #require(r.failures.first)
        #expect(failure.actual.contains("$['array'][0]['id']"), "\(failure.actual)")
        #expect(failure.subject == "body against inline schema")
    }

    @Test func aSchemaOutsideTheCollectionsFolderIsNotRead() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let r = try await runIn(dir, "auth: xprotect\nrequests:\n  - GET: \"{{api}}/sites\"\n    expect: { schema: /etc/hostname }\n", emulator: emulator)
        #expect(r.outcome == .failed)
        #expect(r.failures.first?.actual.contains("cannot check: file '/etc/hostname' is outside the collection's folder") == true, "\(r.failures)")
    }

    @Test func aSchemaAsAMatcherOnAJSONPath() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("schemas"), withIntermediateDirectories: true)
        try #"{"type": "object", "required": ["id", "displayName"], "properties": {"id": {"type": "string"}}}"#.write(
            to: dir.appendingPathComponent("schemas/site.json"), atomically: true, encoding: .utf8)
        let good = try await runIn(
            dir, "auth: xprotect\nrequests:\n  - GET: \"{{api}}/sites\"\n    expect: { body: { \"array[0]\": { schema: schemas/site.json } } }\n",
            emulator: emulator)
        #expect(good.outcome == .passed, "\(good.checks)")
        let bad = try await runIn(
            dir,
            """
            auth: xprotect
            requests:
              - GET: "{{api}}/sites"
                expect:
                  body:
                    array[0].id: { schema: { type: integer } }
                    array[0]: { not: { schema: schemas/site.json } }
            """, emulator: emulator)
        #expect(bad.outcome == .failed)
        #expect(bad.failures.count == 2, "\(bad.failures)")
        let first = try #require(bad.failures.first)
        #expect(first.expected == "a value that conforms to inline schema", "\(first.expected)")
        #expect(first.actual.hasPrefix("1 violation: $: expected integer, found string (/type)"), "\(first.actual)")
        #expect(bad.failures.last?.expected == "not a value that conforms to schemas/site.json")
    }
}
