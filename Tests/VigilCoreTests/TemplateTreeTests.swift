import Testing
@testable import VigilCore
import VigilJSON

@Suite("TemplateTree resolution")
struct TemplateTreeTests {
    let resolver = TableResolver([
        "count": 3,
        "ratio": 0.25,
        "enabled": false,
        "nothing": nil,
        "name": "Vigil",
        "object": ["b": 2, "a": 1],
        "list": [1, "two", nil],
        "key": "dynamicKey",
        "number": 7,
    ])

    @Test(arguments: [
        ("count", JSONValue.int(3)),
        ("ratio", .double(0.25)),
        ("enabled", .bool(false)),
        ("nothing", .null),
        ("name", .string("Vigil")),
        ("object", ["b": 2, "a": 1] as JSONValue),
        ("list", [1, "two", nil] as JSONValue),
    ])
    func soloPlaceholderKeepsTheJSONType(_ name: String, _ expected: JSONValue) throws {
        let tree = TemplateTree.template(try tpl("{{\(name)}}"))
        let value = try tree.resolve(resolver)
        #expect(value == expected)
        #expect(value.typeName == expected.typeName)
    }

    @Test func soloPlaceholderWithWhitespaceStillKeepsTheType() throws {
        #expect(try TemplateTree.template(try tpl("{{ count }}")).resolve(resolver) == .int(3))
    }

    @Test func objectKeepsKeyOrderWhenResolvedSolo() throws {
        let value = try TemplateTree.template(try tpl("{{object}}")).resolve(resolver)
        #expect(value.objectValue?.keys == ["b", "a"])
    }

    @Test(arguments: [
        ("n={{count}}", "n=3"),
        ("{{count}} items", "3 items"),
        ("{{count}}{{count}}", "33"),
        ("r={{ratio}}", "r=0.25"),
        ("{{enabled}}!", "false!"),
        ("[{{nothing}}]", "[null]"),
        ("hello {{name}}", "hello Vigil"),
        ("o={{object}}", "o={\"b\":2,\"a\":1}"),
        ("l={{list}}", "l=[1,\"two\",null]"),
    ])
    func mixedTextBecomesAString(_ text: String, _ expected: String) throws {
        let value = try TemplateTree.template(try tpl(text)).resolve(resolver)
        #expect(value == .string(expected))
    }

    @Test func literalValuesPassThrough() throws {
        #expect(try TemplateTree.value(.int(5)).resolve(resolver) == .int(5))
        #expect(try TemplateTree.value("{{count}}").resolve(resolver) == .string("{{count}}"))
    }

    @Test func nestedObjectsAndArraysResolveRecursively() throws {
        let tree = TemplateTree.object([
            .init(key: Template(literal: "id"), value: .template(try tpl("{{count}}"))),
            .init(key: Template(literal: "label"), value: .template(try tpl("#{{number}}"))),
            .init(key: Template(literal: "tags"), value: .array([.value("a"), .template(try tpl("{{enabled}}")), .array([.template(try tpl("{{list}}"))])])),
            .init(key: Template(literal: "fixed"), value: .value(["x": 1])),
        ])
        let value = try tree.resolve(resolver)
        let expected: JSONValue = ["id": 3, "label": "#7", "tags": ["a", false, [[1, "two", nil]]], "fixed": ["x": 1]]
        #expect(value == expected)
        #expect(value.objectValue?.keys == ["id", "label", "tags", "fixed"])
        #expect(value["tags"]?[1] == .bool(false))
    }

    @Test func objectKeysAreTemplated() throws {
        let tree = TemplateTree.object([
            .init(key: try tpl("{{key}}"), value: .value(1)),
            .init(key: try tpl("n{{number}}"), value: .value(2)),
            .init(key: try tpl("{{number}}"), value: .value(3)),
        ])
        let value = try tree.resolve(resolver)
        #expect(value.objectValue?.keys == ["dynamicKey", "n7", "7"])
        #expect(value["dynamicKey"] == .int(1))
        #expect(value["7"] == .int(3))
    }

    @Test func unresolvedPlaceholderIsReportedByName() throws {
        let tree = TemplateTree.array([.value(1), .object([.init(key: Template(literal: "a"), value: .template(try tpl("x-{{missing}}")))])])
        let error = try #require(unresolved { _ = try tree.resolve(resolver) })
        #expect(error.placeholder == .variable("missing"))
    }

    @Test func unresolvedKeyIsReported() throws {
        let tree = TemplateTree.object([.init(key: try tpl("{{nokey}}"), value: .value(1))])
        let error = try #require(unresolved { _ = try tree.resolve(resolver) })
        #expect(error.placeholder == .variable("nokey"))
    }

    @Test func placeholdersListsKeysAndValues() throws {
        let tree = TemplateTree.object([
            .init(key: try tpl("{{k}}"), value: .template(try tpl("{{a}}-{{$uuid}}"))),
            .init(key: Template(literal: "list"), value: .array([.template(try tpl("{{b}}")), .value(1)])),
        ])
        #expect(tree.placeholders == [.variable("k"), .variable("a"), .uuid, .variable("b")])
        #expect(TemplateTree.value(.string("{{x}}")).placeholders.isEmpty)
    }

    @Test func summaryShowsTheTreeAsWritten() throws {
        let tree = TemplateTree.object([
            .init(key: Template(literal: "id"), value: .template(try tpl("{{id}}"))),
            .init(key: Template(literal: "n"), value: .array([.value(1), .value("x")])),
        ])
        #expect(tree.summary == "{id: \"{{id}}\", n: [1, \"x\"]}")
    }
}
