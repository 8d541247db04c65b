import Foundation
import Testing
import VigilJSON

@testable import VigilSchema

struct RecursionTests {
    @Test func selfReferencingSchemaIsRefusedCleanly() throws {
        let schema = try CompiledSchema(["$ref": "#"])
        #expect {
            try schema.validate(1)
        } throws: { error in
            guard case SchemaError.depthLimitExceeded(let limit, _, _) = error else { return false }
            return limit == SchemaOptions().maxDepth
        }
        #expect(throws: SchemaError.self) { try schema.isValid(1) }
    }

    @Test func mutualRecursionInsideAnyOfIsRefused() throws {
        let schema = try CompiledSchema(["$defs": ["a": ["anyOf": [["$ref": "#/$defs/b"]]], "b": ["not": ["$ref": "#/$defs/a"]]], "$ref": "#/$defs/a"])
        #expect(throws: SchemaError.self) { try schema.validate("x") }
    }

    @Test func veryDeepDocumentIsRefusedCleanly() throws {
        var deep: JSONValue = 1
        for _ in 0..<5000 { deep = .array([deep]) }
        let schema = try CompiledSchema(["items": ["$ref": "#"]])
        #expect {
            try schema.validate(deep)
        } throws: { error in
            guard case SchemaError.depthLimitExceeded(_, let path, _) = error else { return false }
            return path.components.count > 400
        }
        // A limit that leaves room for the document validates it.
        var shallow: JSONValue = 1
        for _ in 0..<300 { shallow = .array([shallow]) }
        #expect(try schema.validate(shallow).isValid)
    }

    @Test func deeplyNestedSchemaIsInvalidNotACrash() {
        var nested: JSONValue = true
        for _ in 0..<3000 { nested = ["not": nested] }
        #expect(throws: SchemaError.self) { try CompiledSchema(nested) }
    }

    @Test func legitimateRecursionIsFine() throws {
        let schema = try CompiledSchema(["type": "object", "properties": ["next": ["$ref": "#"], "v": ["type": "integer"]]])
        var list: JSONValue = ["v": 0]
        for i in 1..<200 { list = ["v": .int(Int64(i)), "next": list] }
        #expect(try schema.validate(list).isValid)
    }
}

struct FileReferenceTests {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("schemas/common"), withIntermediateDirectories: true)
        func write(_ path: String, _ text: String) throws {
            try Data(text.utf8).write(to: root.appendingPathComponent(path))
        }
        try write("schemas/camera.json", #"{"type": "object", "properties": {"id": {"$ref": "common/types.json#/$defs/uuid"}, "site": {"$ref": "site.json"}}}"#)
        try write("schemas/common/types.json", #"{"$defs": {"uuid": {"type": "string", "pattern": "^[0-9a-f-]{36}$"}}}"#)
        try write("schemas/site.json", #"{"type": "object", "required": ["name"], "properties": {"owner": {"$ref": "common/../camera.json"}}}"#)
        try write("schemas/escape.json", #"{"$ref": "../secret.json"}"#)
        try write("secret.json", #"{"type": "string"}"#)
        try write(
            "schemas/api.json",
            #"{"openapi": "3.0.3", "components": {"schemas": {"Camera": {"$ref": "camera.json"}, "Name": {"type": "string", "nullable": true}}}}"#)
        try write("schemas/uses-api.json", #"{"properties": {"name": {"$ref": "api.json#/components/schemas/Name"}}}"#)
    }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    @Test func refsResolveRelativeToTheReferringFile() throws {
        let schema = try CompiledSchema(file: path("schemas/camera.json"))
        let uuid = "2eb8aa08-aa98-11ea-b4aa-73b441d16380"
        #expect(try schema.isValid(["id": .string(uuid), "site": ["name": "HQ", "owner": ["id": .string(uuid)]]]))
        let result = try schema.validate(["id": "nope", "site": ["owner": ["id": 1]]])
        #expect(result.violations.map(\.instancePath.description) == ["$['id']", "$['site']", "$['site']['owner']['id']"])
        #expect(result.violations[0].schemaURI.hasSuffix("schemas/common/types.json"))
        #expect(result.violations[0].keywordLocation == "/$defs/uuid/pattern")
    }

    @Test func refsOutsideTheRootAreRefused() throws {
        #expect {
            try CompiledSchema(file: path("schemas/escape.json"))
        } throws: { error in
            guard case SchemaError.loadFailed(_, let message) = error else { return false }
            return message.contains("outside the schema root")
        }
        // With a wider root the same reference is allowed.
        #expect(try CompiledSchema(file: path("schemas/escape.json"), root: root.path).isValid("s"))
    }

    /// A folder granted besides the root (`--allow-path`) may hold the files `$ref`s name.
    @Test func refsIntoAGrantedFolderAreAllowed() throws {
        let schemas = path("schemas")
        #expect {
            try CompiledSchema(file: path("schemas/escape.json"), roots: [schemas, path("schemas/common")])
        } throws: { error in
            guard case SchemaError.loadFailed(_, let message) = error else { return false }
            return message.contains("outside the schema root") && message.contains("(and the 1 folder granted)")
        }
        #expect(try CompiledSchema(file: path("schemas/escape.json"), roots: [schemas, root.path]).isValid("s"))
        let cache = SchemaCache()
        #expect(throws: SchemaError.self) { try cache.schema(file: path("schemas/escape.json"), roots: [schemas]) }
        #expect(try cache.schema(file: path("schemas/escape.json"), roots: [schemas, root.path]).isValid("s"))
    }

    @Test func openAPIComponentsOfAnotherFile() throws {
        let api = try CompiledSchema(file: path("schemas/api.json"), entry: "#/components/schemas/Camera")
        #expect(try !api.isValid(["site": [:]]))
        // The referenced OpenAPI file is read in its own dialect: `nullable` applies.
        let user = try CompiledSchema(file: path("schemas/uses-api.json"))
        #expect(try user.isValid(["name": nil]))
        #expect(try !user.isValid(["name": 1]))
    }

    @Test func missingFileSaysWhich() {
        #expect {
            try CompiledSchema(file: path("schemas/none.json"))
        } throws: { error in
            guard case SchemaError.loadFailed(let uri, _) = error else { return false }
            return uri.hasSuffix("schemas/none.json")
        }
    }

    @Test func cacheCompilesOncePerFile() throws {
        let cache = SchemaCache()
        let a = try cache.schema(file: path("schemas/camera.json"))
        let b = try cache.schema(file: path("schemas/camera.json"))
        #expect(a.program === b.program)
        let other = try cache.schema(file: path("schemas/camera.json"), options: SchemaOptions(assertFormats: true))
        #expect(a.program !== other.program)
    }
}

struct RegexTranslationTests {
    @Test func translatesECMASyntax() {
        #expect(ECMARegex.translate("a$") == "a(?!(?s:.))")
        #expect(ECMARegex.translate("[^]") == "[\\s\\S]")
        #expect(ECMARegex.translate("[]") == "(?!)")
        #expect(ECMARegex.translate("\\u00e9") == "\\x{e9}")
        #expect(ECMARegex.translate("\\uD83D\\uDE00") == "\\x{1f600}")
        #expect(ECMARegex.translate("[[a]") == "[\\[a]")
    }

    @Test func matchesLikeECMA() throws {
        #expect(try ECMARegex("^\\p{L}+$").matches("héllo"))
        #expect(try !ECMARegex("^[a-z]$").matches("a\n"))
        #expect(try ECMARegex("\\bfoo\\b").matches("a foo b"))
        #expect(try ECMARegex("^\\uD83D\\uDE00$").matches("😀"))
    }
}

struct SimplePatternTests {
    @Test func plainPatternsAgreeWithRegex() throws {
        let patterns = ["^a*ab$", "[0-9a-f]{2,3}-x", "^\\d{4}-\\d{2}$", "^[^,]+,[^,]*$", "\\.json$", "^.?b", "^[\\w.-]+@", "é+", "^\\s*$"]
        let inputs = [
            "aab", "ab", "b", "ff-x", "1f-x", "0abc-x", "2025-03", "2025-3", "a,b", "a,,", ",b", "x.json", "x.jsonp", "b", "ab", "xb", "a.b-c@d", "@", "ééé",
            "", "  ", " x",
        ]
        for pattern in patterns {
            let simple = try #require(SimplePattern(pattern), "\(pattern) is plain")
            let regex = try Regex(ECMARegex.translate(pattern)).matchingSemantics(.unicodeScalar).asciiOnlyDigits().asciiOnlyWordCharacters()
            for input in inputs {
                #expect(simple.matches(input) == ((try? regex.firstMatch(in: input)) != nil), "\(pattern) on \(input)")
            }
        }
        #expect(SimplePattern("(a|b)") == nil)
        #expect(SimplePattern("a+?") == nil)
        #expect(SimplePattern("\\bword") == nil)
    }
}

struct DecimalTests {
    @Test func multiplesAreExact() throws {
        func multiple(_ a: String, _ b: String) throws -> Bool {
            try #require(DecimalNumber(text: a)).isMultiple(of: try #require(DecimalNumber(text: b)))
        }
        #expect(try multiple("0.3", "0.1"))
        #expect(try multiple("1e-7", "1e-8"))
        #expect(try multiple("123456789.123", "0.001"))
        #expect(try !multiple("0.3", "0.2"))
        #expect(try multiple("-4.5", "1.5"))
        #expect(try multiple("0", "0.7"))
        #expect(try multiple("1e30", "7e-3") == false)
        #expect(try multiple("7e30", "7e-3"))
    }
}
