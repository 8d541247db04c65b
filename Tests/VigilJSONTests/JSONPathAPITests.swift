import Testing
@testable import VigilJSON

@Suite struct JSONPathAPITests {
    static let response = #"""
        {"array": [
          {"id": "cam-1", "name": "PTZ Front", "ptzEnabled": true, "relations": {"self": {"id": "r1", "type": "cameras"}}},
          {"id": "cam-2", "name": "Lobby", "ptzEnabled": false, "relations": {"self": {"id": "r2", "type": "cameras"}}},
          {"id": "cam-3", "name": "PTZ Back", "ptzEnabled": true}
        ],
        "result": {"path": {"id": 42}}}
        """#

    @Test func shorthand() throws {
        let doc = try json(JSONPathAPITests.response)
        func select(_ q: String) throws -> [String] {
            try JSONPath(shorthand: q).select(doc).map { $0.value.interpolationText }
        }
        #expect(try select("result.path.id") == ["42"])
        #expect(try select("array[0].id") == ["cam-1"])
        #expect(try select("array[-1].id") == ["cam-3"])
        #expect(try select("array[*].id") == ["cam-1", "cam-2", "cam-3"])
        #expect(try select("array[?@.ptzEnabled == true].id") == ["cam-1", "cam-3"])
        #expect(try select("$.array[1].name") == ["Lobby"])
        #expect(try select("[\"result\"].path.id") == ["42"])
        #expect(try select("..self.id") == ["r1", "r2"])
        #expect(try JSONPath(shorthand: "array[0].id").text == "array[0].id")
        #expect(try JSONPath(shorthand: "array[0].id").description == "$.array[0].id")
        #expect(try JSONPath(shorthand: "array[0].id") == JSONPath("$.array[0].id"))
    }

    @Test func shorthandErrorsPointIntoTheUsersText() throws {
        func error(_ q: String) -> JSONPathError? {
            do { _ = try JSONPath(shorthand: q); return nil } catch { return error }
        }
        #expect(error("a.") == JSONPathError(offset: 2, message: "expected a member name or '*' after '.' but found end of query"))
        #expect(error("array[0 1]")?.offset == 8)
        #expect(error("a[?@.x==]")?.offset == 8)
        #expect(error("[01]")?.offset == 1)
        #expect(error("1abc")?.offset == 0)
        #expect(error("device-id")?.offset == 6)
        #expect(throws: JSONPathError.self) { try JSONPath("array[0]") }
    }

    @Test func xprotectStyleQueries() throws {
        let doc = try json(JSONPathAPITests.response)
        #expect(try JSONPath("$.array[?@.ptzEnabled == true].id").select(doc).map(\.value) == ["cam-1", "cam-3"])
        #expect(
            try JSONPath("$..relations.self.id").select(doc).map(\.path.description) == [
                "$['array'][0]['relations']['self']['id']", "$['array'][1]['relations']['self']['id']",
            ])
        #expect(try JSONPath("$.array[?match(@.name, 'PTZ.*')].id").select(doc).map(\.value) == ["cam-1", "cam-3"])
        #expect(try JSONPath("$.array[?!@.relations].id").select(doc).map(\.value) == ["cam-3"])
        #expect(try JSONPath("$[?count(@.array[*]) == 3 && length(@.array) == 3]").select(["x": doc]).count == 1)
    }

    @Test func singular() throws {
        #expect(try JSONPath("$").isSingular)
        #expect(try JSONPath("$.a[0]['b'][-1]").isSingular)
        #expect(try JSONPath(shorthand: "result.path.id").isSingular)
        for q in ["$.*", "$..a", "$[0,1]", "$[0:1]", "$[?@]", "$['a','b']"] {
            #expect(try !JSONPath(q).isSingular, "\(q)")
        }
    }

    @Test func normalizedPathEscaping() {
        let path = NormalizedPath([
            .name("a'b\\c"), .index(3), .name("\u{8}\u{C}\n\r\t"),
            .name("\u{0}\u{7}\u{B}\u{E}\u{1F}"), .name("\u{7F} é😀\"/"),
        ])
        #expect(path.description == #"$['a\'b\\c'][3]['\b\f\n\r\t']['\u0000\u0007\u000b\u000e\u001f']['"# + "\u{7F} é😀\"/']")
        #expect(NormalizedPath().description == "$")
    }

    @Test func nodePathsMatchSelection() throws {
        let doc = try json(#"{"a":{"b'c":[10,20,{"\n":true}]}}"#)
        let nodes = try JSONPath("$..*").select(doc)
        #expect(
            nodes.map(\.path.description) == [
                "$['a']", "$['a']['b\\'c']", "$['a']['b\\'c'][0]", "$['a']['b\\'c'][1]",
                "$['a']['b\\'c'][2]", "$['a']['b\\'c'][2]['\\n']",
            ])
        #expect(nodes[2].path.components == [.name("a"), .name("b'c"), .index(0)])
        // Each normalized path is itself a query selecting exactly that node.
        for node in nodes {
            let again = try JSONPath(node.path.description).select(doc)
            #expect(again == [node])
        }
    }

    @Test func compileOnceEvaluateMany() throws {
        let query = try JSONPath("$[?@.n > 1].n")
        for n in 0..<5 {
            let doc: JSONValue = .array((0...n).map { ["n": .int(Int64($0))] })
            #expect(query.select(doc).count == max(0, n - 1))
        }
    }

    @Test func equalityAndHashing() throws {
        let a = try JSONPath("$.a[0]")
        let b = try JSONPath("$.a[0]")
        #expect(a == b)
        #expect(Set([a, b, try JSONPath("$.b")]).count == 2)
        #expect(a.text == "$.a[0]")
    }
}

@Suite struct DocumentationExampleTests {
    /// Every query in docs/jsonpath.md compiles and finds what the doc says.
    @Test func examplesCompile() throws {
        let doc = try json(
            #"""
            {"result": {"selected": "c2", "path": {"id": 7}},
             "array": [
              {"id": "c1", "name": "PTZ Front", "enabled": true, "ptzEnabled": true, "displayName": "Front",
               "streams": [{"default": true}, {"default": false}], "relations": {"self": {"id": "r1"}}},
              {"id": "c2", "name": "Lobby", "enabled": true, "ptzEnabled": false, "displayName": "Lobby",
               "streams": [{"default": true}]}
            ]}
            """#)
        func ids(_ q: String) throws -> [String] {
            try JSONPath(shorthand: q).select(doc).map(\.value.interpolationText)
        }
        #expect(try ids("$.array[?@.ptzEnabled == true].id") == ["c1"])
        #expect(try ids("$..relations.self.id") == ["r1"])
        #expect(try ids("$.array[?match(@.name, 'PTZ.*')].id") == ["c1"])
        #expect(try ids("$.array[?@.enabled == true && @.ptzEnabled == false].name") == ["Lobby"])
        // Existence is not truthiness (the doc warns about this).
        #expect(try ids("$.array[?@.enabled && !@.ptzEnabled].name").isEmpty)
        #expect(try ids("$.array[?length(@.streams) >= 2].id") == ["c1"])
        #expect(try ids("$.array[?count(@.streams[?@.default == true]) == 1].id") == ["c1", "c2"])
        #expect(try ids("$.array[?count(@.streams[?@.default]) == 1].id") == ["c2"])
        #expect(try ids("$.array[-1].id") == ["c2"])
        #expect(try ids("$.array[0:10:2].id") == ["c1"])
        #expect(try JSONPath("$[?value(@..displayName) == 'Lobby']").select(["x": doc["array"]![1]!]).count == 1)
        #expect(try ids("$.array[?@.id == $.result.selected].name") == ["Lobby"])
        #expect(try ids("result.path.id") == ["7"])
        #expect(try ids("$.array[?search(@.name, '(?:)')]").isEmpty)
    }
}

@Suite struct ConcurrencyTests {
    @Test func oneCompiledQueryManyTasks() async throws {
        let query = try JSONPath("$.items[?match(@.name, 'cam-[0-9]+') && search(@.tag, $.pattern)].name")
        let doc = try json(#"{"pattern":"x$","items":[{"name":"cam-1","tag":"ax"},{"name":"cam-2","tag":"xa"},{"name":"door","tag":"x"}]}"#)
        let results = await withTaskGroup(of: [JSONValue].self) { group in
            for _ in 0..<16 {
                group.addTask { (0..<50).flatMap { _ in query.values(in: doc) } }
            }
            var all: [[JSONValue]] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 16)
        for result in results {
            #expect(result == Array(repeating: "cam-1", count: 50))
        }
    }
}
