import Testing
import VigilJSON
import VigilSchema

/// The OpenAPI index conformance checks use: operations by method and path template under the
/// servers' path prefixes, and what a status and media type mean for an operation.
@Suite struct OpenAPIDescriptionTests {
    static let document: JSONValue = [
        "openapi": "3.0.1",
        "servers": [["url": "https://{host}/api/rest/v1/", "variables": ["host": ["default": "localhost"]]]],
        "paths": [
            "/cameras/{id}": [
                "get": [
                    "tags": ["Cameras"],
                    "responses": [
                        "200": ["description": "ok", "content": ["application/json": ["schema": ["type": "object"]]]],
                        "4XX": ["$ref": "#/components/responses/Error"],
                    ],
                ]
            ],
            "/cameras/count": ["get": ["responses": ["200": ["description": "ok"]]]],
            "/files/{name}.json": ["put": ["responses": ["default": ["description": "any", "content": ["text/*": ["schema": ["type": "string"]]]]]]],
        ],
        "components": ["responses": ["Error": ["description": "e", "content": ["application/json": ["schema": ["type": "object"]]]]]],
    ]

    @Test func operationsAreFoundUnderTheServersPathWithLiteralSegmentsFirst() throws {
        let spec = try OpenAPIDescription(Self.document)
        #expect(spec.serverPaths == ["/api/rest/v1"])
        #expect(spec.operation(method: "get", path: "/api/rest/v1/cameras/abc")?.path == "/cameras/{id}")
        #expect(spec.operation(method: "GET", path: "/api/rest/v1/cameras/count")?.path == "/cameras/count")
        #expect(spec.operation(method: "PUT", path: "/api/rest/v1/files/a.json")?.path == "/files/{name}.json")
        #expect(spec.operation(method: "PUT", path: "/api/rest/v1/files/.json") == nil, "a template matches at least one character")
        #expect(spec.operation(method: "POST", path: "/api/rest/v1/cameras/abc") == nil, "no such method")
        #expect(spec.operation(method: "GET", path: "/api/rest/v2/cameras/abc") == nil, "another prefix")
        #expect(spec.operation(method: "GET", path: "/api/rest/v1/cameras/abc/more") == nil, "more segments")
        #expect(spec.operation(method: "GET", path: "/api/rest/v1/cameras/abc")?.tags == ["Cameras"])
    }

    @Test func statusesAndMediaTypesAreLookedUpLikeOpenAPISays() throws {
        let spec = try OpenAPIDescription(Self.document)
        let camera = try #require(spec.operation(method: "GET", path: "/api/rest/v1/cameras/x"))
        #expect(
            spec.response(of: camera, status: 200, mediaType: "application/json")
                == .declared(key: "200", schemaPointer: "/paths/~1cameras~1{id}/get/responses/200/content/application~1json/schema"))
        // A range key, through a $ref to components.
        #expect(
            spec.response(of: camera, status: 404, mediaType: "application/json")
                == .declared(key: "4XX", schemaPointer: "/components/responses/Error/content/application~1json/schema"))
        #expect(spec.response(of: camera, status: 500, mediaType: "application/json") == .undeclaredStatus(declared: ["200", "4XX"]))
        #expect(spec.response(of: camera, status: 200, mediaType: "text/html") == .undeclaredMediaType(key: "200", declared: ["application/json"]))
        #expect(spec.response(of: camera, status: 200, mediaType: nil) == .declared(key: "200", schemaPointer: nil))
        let file = try #require(spec.operation(method: "PUT", path: "/api/rest/v1/files/a.json"))
        #expect(
            spec.response(of: file, status: 503, mediaType: "text/plain")
                == .declared(key: "default", schemaPointer: "/paths/~1files~1{name}.json/put/responses/default/content/text~1*/schema"))
        let count = try #require(spec.operation(method: "GET", path: "/api/rest/v1/cameras/count"))
        #expect(spec.response(of: count, status: 200, mediaType: "application/json") == .declared(key: "200", schemaPointer: nil))
    }

    @Test func aDocumentThatIsNotOpenAPIIsRefused() {
        #expect(throws: SchemaError.self) { try OpenAPIDescription(["swagger": "2.0"]) }
        #expect(throws: SchemaError.self) { try OpenAPIDescription(["openapi": "2.0"]) }
        let noServers = try? OpenAPIDescription(["openapi": "3.1.0", "paths": ["/a": ["get": ["responses": [:]]]]])
        #expect(noServers?.operation(method: "GET", path: "/a")?.path == "/a")
    }
}
