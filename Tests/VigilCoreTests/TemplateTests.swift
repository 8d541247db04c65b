import Testing
@testable import VigilCore
import VigilJSON

@Suite("Template parsing")
struct TemplateTests {
    @Test func plainTextIsOneLiteral() throws {
        let t = try tpl("http://localhost:8080/api")
        #expect(t.parts == [.literal("http://localhost:8080/api")])
        #expect(t.isLiteral)
        #expect(t.soloPlaceholder == nil)
        #expect(t.placeholders.isEmpty)
        #expect(t.source == "http://localhost:8080/api")
        #expect(t.description == "http://localhost:8080/api")
    }

    @Test func emptyTextHasNoParts() throws {
        let t = try tpl("")
        #expect(t.parts.isEmpty)
        #expect(t.isLiteral)
        #expect(Template(literal: "").parts.isEmpty)
        #expect(Template(literal: "a{{b}}").parts == [.literal("a{{b}}")])
    }

    @Test func singleBracesAndLoneClosersAreLiteral() throws {
        for text in ["{taskId}", "a}}b", "{ {x} }", "{"] {
            let t = try tpl(text)
            #expect(t.parts == [.literal(text)], "\(text)")
        }
        // Closing braces before an opening pair are just text.
        let t = try tpl("}}{{x}}")
        #expect(t.parts == [.literal("}}"), .placeholder(.variable("x"), offset: 2)])
    }

    @Test func soloPlaceholder() throws {
        let t = try tpl("{{name}}")
        #expect(t.parts == [.placeholder(.variable("name"), offset: 0)])
        #expect(t.soloPlaceholder == .variable("name"))
        #expect(!t.isLiteral)
    }

    @Test func mixedTextKeepsOrderAndOffsets() throws {
        let t = try tpl("{{api}}/tasks/{{taskId}}?x=1")
        #expect(
            t.parts == [
                .placeholder(.variable("api"), offset: 0),
                .literal("/tasks/"),
                .placeholder(.variable("taskId"), offset: 14),
                .literal("?x=1"),
            ])
        #expect(t.soloPlaceholder == nil)
        #expect(t.placeholders.map(\.0) == [.variable("api"), .variable("taskId")])
        #expect(t.placeholders.map(\.1) == [0, 14])
    }

    @Test func adjacentPlaceholders() throws {
        let t = try tpl("{{a}}{{b}}")
        #expect(t.parts == [.placeholder(.variable("a"), offset: 0), .placeholder(.variable("b"), offset: 5)])
        #expect(t.soloPlaceholder == nil)
    }

    @Test func offsetsCountCharactersNotBytes() throws {
        let t = try tpl("é€ {{x}}")
        #expect(t.placeholders.first?.1 == 3)
    }

    @Test(arguments: ["{{ name }}", "{{name }}", "{{  name}}", "{{\tname\t}}", "{{ \t name \t }}"])
    func whitespaceInsideBracesIsIgnored(_ text: String) throws {
        #expect(try tpl(text).soloPlaceholder == .variable("name"))
    }

    @Test(arguments: ["user.id", "result.path.id", "_private", "a_b-c1", "camelCase9", "x"])
    func variableNames(_ name: String) throws {
        #expect(try tpl("{{\(name)}}").soloPlaceholder == .variable(name))
    }

    @Test(arguments: [
        ("{{$uuid}}", Placeholder.uuid),
        ("{{$guid}}", .uuid),
        ("{{$timestamp}}", .timestamp),
        ("{{$isoTimestamp}}", .isoTimestamp),
        ("{{$randomInt}}", .randomInt),
        ("{{$env.XPROTECT_PASSWORD}}", .env("XPROTECT_PASSWORD")),
        ("{{ $env.home_1 }}", .env("home_1")),
        ("{{ $uuid }}", .uuid),
    ])
    func dynamicValues(_ text: String, _ expected: Placeholder) throws {
        #expect(try tpl(text).soloPlaceholder == expected)
    }

    @Test func placeholderDescriptions() {
        #expect(Placeholder.variable("a.b").description == "a.b")
        #expect(Placeholder.uuid.description == "$uuid")
        #expect(Placeholder.timestamp.description == "$timestamp")
        #expect(Placeholder.isoTimestamp.description == "$isoTimestamp")
        #expect(Placeholder.randomInt.description == "$randomInt")
        #expect(Placeholder.env("HOME").description == "$env.HOME")
    }

    @Test func escapedBracesAreLiteral() throws {
        let t = try tpl("\\{{name}}")
        #expect(t.parts == [.literal("{{name}}")])
        #expect(t.isLiteral)
        #expect(t.source == "\\{{name}}")
        #expect(try t.render(TableResolver()) == "{{name}}")
    }

    @Test func escapeNextToARealPlaceholder() throws {
        let t = try tpl("a \\{{x}} {{y}}")
        #expect(t.parts == [.literal("a {{x}} "), .placeholder(.variable("y"), offset: 9)])
        #expect(try t.render(TableResolver(["y": "Y"])) == "a {{x}} Y")
    }

    @Test func escapedUnclosedBracesAreNotAnError() throws {
        let t = try tpl("raw \\{{ not closed")
        #expect(t.parts == [.literal("raw {{ not closed")])
    }

    @Test(arguments: [
        ("{{name", 0, "'{{' is not closed by '}}'"),
        ("abc {{name}", 4, "'{{' is not closed by '}}'"),
        ("{{a}} {{b", 6, "'{{' is not closed by '}}'"),
        ("{{}}", 0, "empty placeholder '{{}}'"),
        ("x{{   }}", 1, "empty placeholder '{{}}'"),
        ("{{a}} {{}}", 6, "empty placeholder '{{}}'"),
        ("{{1abc}}", 0, "'{{1abc}}' is not a variable name (letters, digits, '_', '-', '.')"),
        ("ok {{a b}}", 3, "'{{a b}}' is not a variable name (letters, digits, '_', '-', '.')"),
        ("{{ a/b }}", 0, "'{{a/b}}' is not a variable name (letters, digits, '_', '-', '.')"),
        ("{{-x}}", 0, "'{{-x}}' is not a variable name (letters, digits, '_', '-', '.')"),
        ("{{.x}}", 0, "'{{.x}}' is not a variable name (letters, digits, '_', '-', '.')"),
        ("{{$uid}}", 0, "unknown dynamic value '{{$uid}}' (did you mean '$uuid'?)"),
        ("id-{{$timestmp}}", 3, "unknown dynamic value '{{$timestmp}}' (did you mean '$timestamp'?)"),
        ("{{$isotimestamp}}", 0, "unknown dynamic value '{{$isotimestamp}}' (did you mean '$isoTimestamp'?)"),
        ("{{$randomint}}", 0, "unknown dynamic value '{{$randomint}}' (did you mean '$randomInt'?)"),
        ("{{$now}}", 0, "unknown dynamic value '{{$now}}'"),
        ("{{$env.}}", 0, "'{{$env.}}' needs an environment variable name"),
        ("{{$env.A.B}}", 0, "'{{$env.A.B}}' needs an environment variable name"),
        ("{{$env.9X}}", 0, "'{{$env.9X}}' needs an environment variable name"),
    ])
    func syntaxErrors(_ text: String, _ offset: Int, _ message: String) throws {
        let error = try #require(templateError(text))
        #expect(error.offset == offset)
        #expect(error.message == message)
    }

    /// `{{$env}}` without a name is one of the documented forms written incompletely; the hint
    /// must not suggest the very text that was written.
    @Test func envWithoutNameSaysWhatIsMissing() throws {
        let error = try #require(templateError("{{$env}}"))
        #expect(error.offset == 0)
        #expect(!error.message.contains("did you mean '$env'"), "\(error.message)")
        #expect(error.message.contains("environment variable name"), "\(error.message)")
    }

    @Test func multiLineTextInsideBracesIsNotAName() throws {
        let error = try #require(templateError("{{a\nb}}"))
        #expect(error.offset == 0)
        #expect(error.message.hasSuffix("is not a variable name (letters, digits, '_', '-', '.')"))
    }

    @Test func renderReplacesEveryPlaceholder() throws {
        let r = TableResolver(["api": "http://h/api", "id": 42, "flag": true, "nothing": nil, "obj": ["a": 1], "list": [1, "x"]])
        #expect(try tpl("{{api}}/items/{{id}}").render(r) == "http://h/api/items/42")
        #expect(try tpl("{{flag}}|{{nothing}}").render(r) == "true|null")
        #expect(try tpl("o={{obj}} l={{list}}").render(r) == "o={\"a\":1} l=[1,\"x\"]")
        #expect(try tpl("plain").render(r) == "plain")
    }

    @Test func renderReportsTheMissingPlaceholder() throws {
        let error = try #require(unresolved { _ = try tpl("{{api}}/{{missing}}").render(TableResolver(["api": "x"])) })
        #expect(error.placeholder == .variable("missing"))
        #expect(error.description == "'{{missing}}' has no value")
    }
}
