import Foundation
import Testing

/// `vigil schema`: checking a saved response against a JSON Schema.
@Suite struct SchemaCommandTests {
    static let files = [
        "schemas/cameras.json": #"{"type": "object", "required": ["array"], "properties": {"array": {"type": "array", "items": {"$ref": "camera.json"}}}}"#,
        "schemas/camera.json":
            #"{"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "format": "uuid"}, "enabled": {"type": "boolean"}}}"#,
        "schemas/broken.json": #"{"properties": {"id": {"type": "strin"}}}"#,
        "schemas/api.json": #"{"openapi": "3.0.3", "components": {"schemas": {"Name": {"type": "string", "nullable": true}}}}"#,
        "ok.json": #"{"array": [{"id": "2eb8aa08-aa98-11ea-b4aa-73b441d16380", "enabled": true}]}"#,
        "bad.json": #"{"array": [{"id": 7}, {"enabled": "yes"}, {"id": "x"}]}"#,
    ]

    @Test func validDocumentExits0() async throws {
        let dir = try scratch(Self.files)
        let r = try await vigil(["schema", "schemas/cameras.json", "ok.json"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "ok.json: valid\n")
    }

    @Test func invalidDocumentExits1WithTheViolations() async throws {
        let dir = try scratch(Self.files)
        let r = try await vigil(["schema", "schemas/cameras.json", "bad.json"], in: dir)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("$['array'][0]['id']: expected string, found integer (schema camera.json#/properties/id/type); value: 7"), "\(r.stdout)")
        #expect(r.stdout.contains("$['array'][1]: missing required property 'id' (schema camera.json#/required)"), "\(r.stdout)")
        #expect(r.stdout.hasSuffix("bad.json: 3 violations\n"), "\(r.stdout)")
        let formats = try await vigil(["schema", "--formats", "--max", "1", "schemas/cameras.json", "bad.json"], in: dir)
        #expect(formats.stdout.hasSuffix("bad.json: 4 violations (3 more not shown)\n"), "\(formats.stdout)")
    }

    @Test func schemasAndDocumentsMayBeYAML() async throws {
        let dir = try scratch([
            "api.yaml":
                "openapi: 3.0.3\ncomponents:\n  schemas:\n    Camera:\n      type: object\n      required: [id]\n      properties:\n        id: { $ref: 'id.yaml' }\n",
            "id.yaml": "type: string\nminLength: 3\n",
            "camera.yaml": "id: ab\n",
            "broken.yaml": "id: [ab\n",
        ])
        let r = try await vigil(["schema", "api.yaml#/components/schemas/Camera", "camera.yaml"], in: dir)
        #expect(r.status == 1, "\(r.all)")
        #expect(r.stdout.contains("$['id']: "), "\(r.stdout)")
        #expect(r.stdout.contains("(schema id.yaml#/minLength); value: \"ab\""), "\(r.stdout)")
        let broken = try await vigil(["schema", "api.yaml#/components/schemas/Camera", "broken.yaml"], in: dir)
        #expect(broken.status == 2 && broken.stderr.hasPrefix("broken.yaml:2:1: "), "\(broken.all)")
    }

    @Test func invalidOrUnreadableSchemaExits2SayingWhere() async throws {
        let dir = try scratch(Self.files)
        let broken = try await vigil(["schema", "schemas/broken.json", "ok.json"], in: dir)
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("broken.json#/properties/id/type: unknown type"), "\(broken.stderr)")
        let missing = try await vigil(["schema", "schemas/none.json", "ok.json"], in: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("none.json"), "\(missing.stderr)")
    }

    /// The schema and the document as named on the command line: a symbolic link to a schema
    /// elsewhere (its `$ref`s still resolve beside the link), and `<(cmd)` pipes from bash (a
    /// piped schema has no folder for relative `$ref`s).
    @Test func schemasAndDocumentsAsTheUserNamesThem() async throws {
        let dir = try scratch(Self.files)
        let elsewhere = try scratch(["real.json": #"{"type": "object", "required": ["array"], "properties": {"array": {"items": {"$ref": "camera.json"}}}}"#])
        try FileManager.default.createSymbolicLink(
            atPath: dir.appendingPathComponent("schemas/linked.json").path, withDestinationPath: elsewhere.appendingPathComponent("real.json").path)
        let linked = try await vigil(["schema", "schemas/linked.json", "bad.json"], in: dir)
        #expect(linked.status == 1, "\(linked.all)")
        #expect(linked.stdout.contains("$['array'][0]['id']: expected string, found integer (schema camera.json#"), "\(linked.all)")
        let piped = try runTool(
            "bash", ["-c", #"cd "$1" && exec "$0" schema <(cat schemas/camera.json) <(echo '{"id": "x"}')"#, vigilBinary.path, dir.path])
        #expect(piped.status == 0, "\(piped.output)")
        #expect(piped.output.hasSuffix(": valid\n"), "\(piped.output)")
    }

    @Test func fragmentsAndDraftOverride() async throws {
        let dir = try scratch(Self.files.merging(["null.json": "null"]) { a, _ in a })
        let openapi = try await vigil(["schema", "schemas/api.json#/components/schemas/Name", "null.json"], in: dir)
        #expect(openapi.status == 0, "\(openapi.stdout)\(openapi.stderr)")
        let forced = try await vigil(["schema", "--draft", "2020-12", "schemas/api.json#/components/schemas/Name", "null.json"], in: dir)
        #expect(forced.status == 1, "\(forced.stdout)")
        let wrong = try await vigil(["schema", "--draft", "4", "schemas/api.json", "null.json"], in: dir)
        #expect(wrong.status == 4)
    }
}
