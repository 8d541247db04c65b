import Testing
import VigilJSON

@testable import VigilSchema

struct ViolationTests {
    static let cameraSchema: JSONValue = try! JSONValue(
        parsing: """
            {"type": "object", "required": ["array"], "properties": {"array": {"type": "array", "items": {"$ref": "#/$defs/camera"}}},
             "$defs": {"camera": {"type": "object", "required": ["id", "name"], "properties": {"id": {"type": "string", "format": "uuid"},
               "name": {"type": "string", "minLength": 1}, "enabled": {"type": "boolean"}}}}}
            """)

    @Test func reportsPathKeywordMessageAndValue() throws {
        let schema = try CompiledSchema(Self.cameraSchema)
        let result = try schema.validate(try JSONValue(parsing: #"{"array": [{"id": 7, "name": "a"}, {"id": "x", "name": ""}]}"#))
        #expect(result.totalCount == 2)
        let first = try #require(result.violations.first)
        #expect(first.instancePath.description == "$['array'][0]['id']")
        #expect(first.keywordLocation == "/$defs/camera/properties/id/type")
        #expect(first.message == "expected string, found integer")
        #expect(first.value == .int(7))
        #expect(first.description == "$['array'][0]['id']: expected string, found integer (/$defs/camera/properties/id/type)")
        #expect(result.violations[1].instancePath.description == "$['array'][1]['name']")
        #expect(result.violations[1].keywordLocation == "/$defs/camera/properties/name/minLength")
    }

    @Test func keywordLocationOfInlineSchema() throws {
        let schema = try CompiledSchema(try JSONValue(parsing: #"{"properties": {"id": {"type": "integer"}}}"#))
        let result = try schema.validate(try JSONValue(parsing: #"{"id": "x"}"#))
        #expect(result.violations.map(\.keywordLocation) == ["/properties/id/type"])
        #expect(result.violations.first?.instancePath.description == "$['id']")
    }

    @Test func capsViolationsAndCountsAll() throws {
        let schema = try CompiledSchema(try JSONValue(parsing: #"{"items": {"type": "string"}}"#))
        let result = try schema.validate(.array((0..<25).map { .int(Int64($0)) }), maxViolations: 10)
        #expect(result.violations.count == 10)
        #expect(result.totalCount == 25)
        #expect(!result.isValid)
        #expect(result.violations.last?.instancePath.description == "$[9]")
    }

    @Test func missingRequiredAndAdditionalProperties() throws {
        let schema = try CompiledSchema(try JSONValue(parsing: #"{"required": ["id"], "properties": {"id": true}, "additionalProperties": false}"#))
        let result = try schema.validate(try JSONValue(parsing: #"{"extra": 1}"#))
        #expect(result.violations.map(\.keywordLocation) == ["/required", "/additionalProperties"])
        #expect(result.violations[0].message == "missing required property 'id'")
        #expect(result.violations[1].instancePath.description == "$['extra']")
    }

    @Test func anyOfReportsOnce() throws {
        let schema = try CompiledSchema(try JSONValue(parsing: #"{"anyOf": [{"type": "string"}, {"type": "integer"}]}"#))
        let result = try schema.validate(.bool(true))
        #expect(result.totalCount == 1)
        #expect(result.violations.first?.keywordLocation == "/anyOf")
    }

    @Test func formatAssertedOnlyWhenAsked() throws {
        let value: JSONValue = ["array": [["id": "not-a-uuid", "name": "a"]]]
        #expect(try CompiledSchema(Self.cameraSchema).isValid(value))
        let asserting = try CompiledSchema(Self.cameraSchema, options: SchemaOptions(assertFormats: true))
        let result = try asserting.validate(value)
        #expect(result.violations.map(\.keywordLocation) == ["/$defs/camera/properties/id/format"])
    }

    @Test func entryIntoOpenAPIComponents() throws {
        let document: JSONValue = try JSONValue(
            parsing: """
                {"openapi": "3.0.3", "components": {"schemas": {"Site": {"type": "object", "required": ["id"],
                  "properties": {"id": {"type": "integer"}, "parent": {"$ref": "#/components/schemas/Site"}}}}}}
                """)
        let schema = try CompiledSchema(document, entry: "#/components/schemas/Site")
        #expect(schema.draft == .openAPI30)
        let result = try schema.validate(["id": 1, "parent": ["id": "2"]])
        #expect(result.violations.map(\.keywordLocation) == ["/components/schemas/Site/properties/id/type"])
        #expect(result.violations.first?.instancePath.description == "$['parent']['id']")
    }

    @Test func invalidSchemasSayWhere() {
        #expect(throws: SchemaError.invalidSchema(location: "urn:vigil:schema#/properties/a/minLength", message: "expected a non-negative integer")) {
            try CompiledSchema(["properties": ["a": ["minLength": -1]]])
        }
        #expect(throws: SchemaError.unresolvedReference(reference: "#/$defs/missing", location: "urn:vigil:schema#/$ref")) {
            try CompiledSchema(["$ref": "#/$defs/missing"])
        }
        #expect(throws: SchemaError.self) { try CompiledSchema(["pattern": "(unclosed"]) }
        #expect(throws: SchemaError.self) { try CompiledSchema(["type": "integr"]) }
        #expect(throws: SchemaError.self) { try CompiledSchema(["multipleOf": 0]) }
    }
}
