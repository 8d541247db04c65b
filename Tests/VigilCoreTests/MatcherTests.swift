import Testing
@testable import VigilCore
import VigilJSON

/// One matcher, one actual value (nil: absent), and whether it must pass.
struct MatchCase: Sendable, CustomTestStringConvertible {
    var matcher: Matcher
    var actual: JSONValue?
    var passes: Bool
    var testDescription: String { "\(matcher.summary) on \(actual?.excerpt ?? "(absent)") → \(passes ? "pass" : "fail")" }

    init(_ op: Matcher.Operator, _ actual: JSONValue?, _ passes: Bool) {
        self.matcher = .all([op])
        self.actual = actual
        self.passes = passes
    }

    init(_ matcher: Matcher, _ actual: JSONValue?, _ passes: Bool) {
        self.matcher = matcher
        self.actual = actual
        self.passes = passes
    }
}

/// A failing check and the texts its `Mismatch` must show.
struct MismatchCase: Sendable, CustomTestStringConvertible {
    var matcher: Matcher
    var actual: JSONValue?
    var expected: String
    var shown: String
    init(_ matcher: Matcher, _ actual: JSONValue?, _ expected: String, _ shown: String) {
        self.matcher = matcher
        self.actual = actual
        self.expected = expected
        self.shown = shown
    }
    var testDescription: String { "\(matcher.summary) on \(actual?.excerpt ?? "(absent)")" }
}

@Suite("Matchers")
struct MatcherTests {
    static func t(_ s: String) -> Template { try! Template.parse(s) }

    static let comparisons: [MatchCase] = [
        // eq / ne
        MatchCase(.eq(lit(5)), 5, true),
        MatchCase(.eq(lit(5)), 6, false),
        MatchCase(.eq(lit(1)), .double(1.0), true),
        MatchCase(.eq(lit(.double(2.5))), .double(2.5), true),
        MatchCase(.eq(lit("a")), "a", true),
        MatchCase(.eq(lit("5")), 5, false),
        MatchCase(.eq(lit(["a": 1, "b": [true]])), ["b": [true], "a": 1], true),
        MatchCase(.eq(lit(nil)), nil as JSONValue?, false),
        MatchCase(.eq(lit(nil)), .null, true),
        MatchCase(.ne(lit(5)), 6, true),
        MatchCase(.ne(lit(5)), 5, false),
        MatchCase(.ne(lit(1)), .double(1.0), false),
        MatchCase(.ne(lit("x")), "y", true),
        // gt gte lt lte, across int and double
        MatchCase(.gt(lit(3)), 5, true),
        MatchCase(.gt(lit(3)), 3, false),
        MatchCase(.gt(lit(3)), 2, false),
        MatchCase(.gt(lit(3)), .double(3.5), true),
        MatchCase(.gt(lit(.double(2.5))), 3, true),
        MatchCase(.gt(lit(.double(3.0))), 3, false),
        MatchCase(.gt(lit("a")), "b", true),
        MatchCase(.gt(lit("b")), "a", false),
        MatchCase(.gt(lit(1)), true, false),
        // A decimal string compares as a number (a header value: Content-Length "158").
        MatchCase(.gt(lit(3)), "5", true),
        MatchCase(.gt(lit(10)), "158", true),
        MatchCase(.gt(lit(200)), "158", false),
        MatchCase(.lte(lit(.double(2.5))), "2.5", true),
        MatchCase(.lt(lit(0)), "-3", true),
        MatchCase(.gte(lit("10")), "9", false),
        MatchCase(.gt(lit("9")), "10", true),
        MatchCase(.gt(lit(1)), "1e3", false),
        MatchCase(.gt(lit(1)), " 5", false),
        MatchCase(.gt(lit(1)), "5.", false),
        MatchCase(.gt(lit(1)), "abc", false),
        MatchCase(.gt(lit("abc")), "abd", true),
        MatchCase(.gt(lit(3)), .null, false),
        MatchCase(.gte(lit(3)), 3, true),
        MatchCase(.gte(lit(3)), .double(3.0), true),
        MatchCase(.gte(lit(.double(3.0))), 3, true),
        MatchCase(.gte(lit(3)), 4, true),
        MatchCase(.gte(lit(3)), 2, false),
        MatchCase(.gte(lit(3)), .double(2.999), false),
        MatchCase(.lt(lit(3)), 2, true),
        MatchCase(.lt(lit(3)), 3, false),
        MatchCase(.lt(lit(3)), .double(2.999), true),
        MatchCase(.lt(lit(.double(0.5))), 0, true),
        MatchCase(.lt(lit(.double(0.5))), 1, false),
        MatchCase(.lte(lit(3)), 3, true),
        MatchCase(.lte(lit(.double(3.5))), 3, true),
        MatchCase(.lte(lit(.double(3.5))), 4, false),
        MatchCase(.lte(lit(-1)), -2, true),
        MatchCase(.lte(lit("m")), "m", true),
        // in
        MatchCase(.isIn(lit([1, 2, 3])), 2, true),
        MatchCase(.isIn(lit([1, 2, 3])), 4, false),
        MatchCase(.isIn(lit([1, 2])), .double(2.0), true),
        MatchCase(.isIn(lit(["Idle", "InProgress"])), "Idle", true),
        MatchCase(.isIn(lit(["Idle", "InProgress"])), "idle", false),
        MatchCase(.isIn(lit([["a": 1]])), ["a": 1], true),
    ]

    static let textAndCollections: [MatchCase] = [
        // contains / notContains
        MatchCase(.contains(lit("lo w")), "hello world", true),
        MatchCase(.contains(lit("xyz")), "hello world", false),
        MatchCase(.contains(lit(2)), [1, 2, 3], true),
        MatchCase(.contains(lit(4)), [1, 2, 3], false),
        MatchCase(.contains(lit(["id": 1])), [["id": 1], ["id": 2]], true),
        MatchCase(.contains(lit("2")), [1, 2, 3], false),
        MatchCase(.contains(lit("a")), ["a": 1], true),
        MatchCase(.contains(lit("b")), ["a": 1], false),
        MatchCase(.contains(lit(5)), 5, false),
        MatchCase(.contains(lit(true)), true, false),
        MatchCase(.notContains(lit("x")), "abc", true),
        MatchCase(.notContains(lit("b")), "abc", false),
        MatchCase(.notContains(lit(3)), [1, 2], true),
        MatchCase(.notContains(lit(2)), [1, 2], false),
        MatchCase(.notContains(lit("error")), ["data": 1], true),
        MatchCase(.notContains(lit("error")), ["error": 1], false),
        // matches (a search, not anchored unless the pattern is)
        MatchCase(.matches(t("^[0-9a-f-]{36}$")), "0f8fad5b-d9cb-469f-a165-70867728950e", true),
        MatchCase(.matches(t("^[0-9a-f-]{36}$")), "0f8fad5b", false),
        MatchCase(.matches(t("abc")), "xxabcxx", true),
        MatchCase(.matches(t("^abc")), "xxabc", false),
        MatchCase(.matches(t("1")), 1, false),
        MatchCase(.matches(t("\\d+")), "id 42", true),
        // startsWith / endsWith
        MatchCase(.startsWith(t("Bearer ")), "Bearer abc", true),
        MatchCase(.startsWith(t("Bearer ")), "bearer abc", false),
        MatchCase(.startsWith(t("1")), 123, false),
        MatchCase(.endsWith(t(".json")), "report.json", true),
        MatchCase(.endsWith(t(".json")), "report.xml", false),
        MatchCase(.endsWith(t("3")), 123, false),
        // exists
        MatchCase(.exists(true), 0, true),
        MatchCase(.exists(true), .null, true),
        MatchCase(.exists(true), nil, false),
        MatchCase(.exists(false), nil, true),
        MatchCase(.exists(false), "x", false),
        // length (characters, items, members)
        MatchCase(.length(.equals(lit(3))), "abc", true),
        MatchCase(.length(.equals(lit(3))), "ab", false),
        MatchCase(.length(.equals(lit(1))), "é", true),
        MatchCase(.length(.equals(lit(2))), [1, [2, 3]], true),
        MatchCase(.length(.equals(lit(1))), ["a": [1, 2, 3]], true),
        MatchCase(.length(.all([.gt(lit(1))])), [1, 2], true),
        MatchCase(.length(.all([.gt(lit(1))])), [1], false),
        MatchCase(.length(.equals(lit(1))), 5, false),
        MatchCase(.length(.equals(lit(0))), .null, false),
        // empty
        MatchCase(.empty(true), "", true),
        MatchCase(.empty(true), [], true),
        MatchCase(.empty(true), .object(JSONObject()), true),
        MatchCase(.empty(true), [1], false),
        MatchCase(.empty(true), " ", false),
        MatchCase(.empty(false), [1], true),
        MatchCase(.empty(false), "", false),
        MatchCase(.empty(true), .null, false),
        MatchCase(.empty(true), 0, false),
        // not
        MatchCase(.not(.equals(lit(5))), 6, true),
        MatchCase(.not(.equals(lit(5))), 5, false),
        MatchCase(.not(.all([.exists(true)])), nil, true),
        MatchCase(.not(.all([.exists(true)])), 1, false),
        MatchCase(.not(.all([.empty(true)])), [1], true),
        MatchCase(.not(.all([.not(.equals(lit(1)))])), 1, true),
    ]

    static let literalsAndCombinations: [MatchCase] = [
        MatchCase(.equals(lit(201)), 201, true),
        MatchCase(.equals(lit(201)), 200, false),
        MatchCase(.equals(lit(1)), .double(1.0), true),
        MatchCase(.equals(lit("Success")), "Success", true),
        MatchCase(.equals(lit("Success")), "success", false),
        MatchCase(.equals(lit(["a": 1, "b": 2])), ["b": 2, "a": 1], true),
        MatchCase(.equals(lit([1, 2])), [2, 1], false),
        MatchCase(.equals(lit(nil)), .null, true),
        MatchCase(.equals(lit(nil)), nil, false),
        MatchCase(.equals(lit(false)), 0, false),
        MatchCase(.all([.gt(lit(1)), .lt(lit(5))]), 3, true),
        MatchCase(.all([.gt(lit(1)), .lt(lit(5))]), 5, false),
        MatchCase(.all([.gt(lit(1)), .lt(lit(5))]), 1, false),
        MatchCase(.all([.type("string"), .length(.equals(lit(36)))]), "0f8fad5b-d9cb-469f-a165-70867728950e", true),
        MatchCase(.all([]), 1, true),
    ]

    @Test(arguments: comparisons)
    func comparisonOperators(_ c: MatchCase) throws {
        try Self.verify(c)
    }

    @Test(arguments: textAndCollections)
    func textAndCollectionOperators(_ c: MatchCase) throws {
        try Self.verify(c)
    }

    @Test(arguments: literalsAndCombinations)
    func literalsAndOperatorMaps(_ c: MatchCase) throws {
        try Self.verify(c)
    }

    static func verify(_ c: MatchCase) throws {
        let mismatch = try c.matcher.check(c.actual, TableResolver())
        if c.passes {
            #expect(mismatch == nil, "unexpected mismatch: \(String(describing: mismatch))")
        } else {
            #expect(mismatch != nil, "expected a mismatch")
        }
    }

    @Test(arguments: [
        ("string", "x" as JSONValue, true), ("string", 1, false),
        ("number", 1, true), ("number", .double(1.5), true), ("number", "1", false),
        ("integer", 1, true), ("integer", .double(2.0), true), ("integer", .double(2.5), false), ("integer", "2", false),
        ("boolean", true, true), ("boolean", 0, false),
        ("array", .array([]), true), ("array", .object(JSONObject()), false),
        ("object", .object(JSONObject()), true), ("object", .array([]), false),
        ("null", .null, true), ("null", "null", false),
    ])
    func typeOperator(_ name: String, _ value: JSONValue, _ passes: Bool) throws {
        let m = try Matcher.all([.type(name)]).check(value, TableResolver())
        #expect((m == nil) == passes)
    }

    /// Every operator except `exists: false` and `not` fails on an absent value, saying "(absent)".
    @Test(arguments: [
        Matcher.Operator.eq(lit(1)), .ne(lit(1)), .gt(lit(1)), .gte(lit(1)), .lt(lit(1)), .lte(lit(1)),
        .isIn(lit([1])), .contains(lit("a")), .notContains(lit("a")), .matches(Template(literal: ".*")),
        .startsWith(Template(literal: "")), .endsWith(Template(literal: "")), .exists(true), .type("null"),
        .length(.equals(lit(0))), .empty(true), .empty(false),
    ])
    func absentValuesFail(_ op: Matcher.Operator) throws {
        let m = try #require(try Matcher.all([op]).check(nil, TableResolver()))
        #expect(m.actual == "(absent)")
        #expect(!m.expected.isEmpty)
    }

    @Test func absentValuePassesExistsFalseAndNot() throws {
        #expect(try Matcher.all([.exists(false)]).check(nil, TableResolver()) == nil)
        #expect(try Matcher.all([.not(.equals(lit(1)))]).check(nil, TableResolver()) == nil)
        let literal = try #require(try Matcher.equals(lit(1)).check(nil, TableResolver()))
        #expect(literal == Mismatch(expected: "1", actual: "(absent)"))
    }

    static let mismatches: [MismatchCase] = [
        MismatchCase(.equals(lit(201)), 404 as JSONValue?, "201", "404"),
        MismatchCase(.equals(lit("Success")), "Error", "\"Success\"", "\"Error\""),
        MismatchCase(.equals(lit(["a": 1])), ["a": 2], "{\"a\":1}", "{\"a\":2}"),
        MismatchCase(.all([.eq(lit("x"))]), "y", "\"x\"", "\"y\""),
        MismatchCase(.all([.ne(lit(5))]), 5, "not 5", "5"),
        MismatchCase(.all([.gt(lit(5))]), 3, "> 5", "3"),
        MismatchCase(.all([.gte(lit(5))]), 3, ">= 5", "3"),
        MismatchCase(.all([.lt(lit(5))]), 7, "< 5", "7"),
        MismatchCase(.all([.lte(lit(.double(1.5)))]), 2, "<= 1.5", "2"),
        MismatchCase(.all([.gt(lit(5))]), "a", "> 5 (comparable)", "\"a\""),
        MismatchCase(.all([.gt(lit(5))]), nil, "> 5", "(absent)"),
        MismatchCase(.all([.isIn(lit([1, 2]))]), 3, "one of [1,2]", "3"),
        MismatchCase(.all([.contains(lit("x"))]), "abc", "to contain \"x\"", "\"abc\""),
        MismatchCase(.all([.notContains(lit(2))]), [1, 2], "not to contain 2", "[1,2]"),
        MismatchCase(.all([.matches(Template(literal: "^a$"))]), "b", "to match /^a$/", "\"b\""),
        MismatchCase(.all([.matches(Template(literal: "^a$"))]), 1, "a string matching /^a$/", "1"),
        MismatchCase(.all([.startsWith(Template(literal: "ab"))]), "xy", "to start with \"ab\"", "\"xy\""),
        MismatchCase(.all([.endsWith(Template(literal: "yz"))]), "xy", "to end with \"yz\"", "\"xy\""),
        MismatchCase(.all([.exists(true)]), nil, "a value", "(absent)"),
        MismatchCase(.all([.exists(false)]), 5, "no value", "5"),
        MismatchCase(.all([.type("string")]), 5, "of type string (is integer)", "5"),
        MismatchCase(.all([.length(.equals(lit(3)))]), "ab", "length 3", "length 2"),
        MismatchCase(.all([.length(.all([.gt(lit(3))]))]), [1], "length > 3", "length 1"),
        MismatchCase(.all([.length(.equals(lit(3)))]), 5, "a string, array or object with a length", "5"),
        MismatchCase(.all([.empty(true)]), [1], "empty", "[1]"),
        MismatchCase(.all([.empty(false)]), "", "not empty", "\"\""),
        MismatchCase(.all([.not(.equals(lit(5)))]), 5, "not 5", "5"),
        MismatchCase(.all([.not(.all([.gt(lit(1)), .lt(lit(9))]))]), 5, "not > 1 and < 9", "5"),
        MismatchCase(.all([.gt(lit(1)), .lt(lit(5))]), 7, "< 5", "7"),
    ]

    @Test(arguments: mismatches)
    func mismatchTexts(_ c: MismatchCase) throws {
        let m = try #require(try c.matcher.check(c.actual, TableResolver()))
        #expect(m.expected == c.expected)
        #expect(m.actual == c.shown)
    }

    @Test func longActualValuesAreCut() throws {
        let long = JSONValue.string(String(repeating: "x", count: 500))
        let m = try #require(try Matcher.equals(lit("y")).check(long, TableResolver()))
        #expect(m.actual.count == 201)
        #expect(m.actual.hasSuffix("…"))
        #expect(m.actual.hasPrefix("\"xxx"))
        #expect(JSONValue.string("abcdef").excerpt(limit: 4) == "\"abc…")
    }

    /// An excerpt prints only the start of a value, and is the same text as cutting the whole.
    @Test func excerptsOfLargeValuesAreTheStartOfTheirText() throws {
        let list = JSONValue.array((0..<20_000).map { ["id": .string("object-\($0)-a1b2c3d4e5f6"), "n": .int(Int64($0))] })
        let values: [JSONValue] = [
            list, .string(String(repeating: "é", count: 5_000)), .string(String(repeating: "e\u{301}", count: 3_000)),
            ["a": .array([list, list])], .string("short"), [1, 2, 3], .null,
        ]
        for value in values {
            for limit in [0, 1, 4, 120, 200, 300] {
                #expect(value.excerpt(limit: limit) == value.serialized().excerpt(limit: limit))
            }
        }
    }

    @Test func operandsAreTemplatesResolvedAtCheckTime() throws {
        let r = TableResolver(["eventName": "Vigil event 1", "max": 10, "prefix": "Vig", "ids": [1, 2]])
        let name = Matcher.equals(.template(try tpl("{{eventName}}")))
        #expect(try name.check("Vigil event 1", r) == nil)
        let miss = try #require(try name.check("other", r))
        #expect(miss.expected == "\"Vigil event 1\"")
        #expect(try Matcher.all([.lt(.template(try tpl("{{max}}")))]).check(9, r) == nil)
        #expect(try Matcher.all([.lt(.template(try tpl("{{max}}")))]).check(10, r) != nil)
        #expect(try Matcher.all([.startsWith(try tpl("{{prefix}}"))]).check("Vigil", r) == nil)
        #expect(try Matcher.all([.matches(try tpl("^{{prefix}}il$"))]).check("Vigil", r) == nil)
        #expect(try Matcher.all([.isIn(.template(try tpl("{{ids}}")))]).check(2, r) == nil)
        #expect(try Matcher.equals(.template(try tpl("id-{{max}}"))).check("id-10", r) == nil)
    }

    @Test func unresolvedOperandThrows() throws {
        let m = Matcher.all([.eq(.template(try tpl("{{missing}}")))])
        let error = try #require(unresolved { _ = try m.check(1, TableResolver()) })
        #expect(error.placeholder == .variable("missing"))
    }

    @Test func invalidRegexNeverMatches() throws {
        let m = try Matcher.all([.matches(Template(literal: "(["))]).check("([", TableResolver())
        #expect(m != nil)
    }

    @Test func summaries() throws {
        #expect(Matcher.equals(lit(201)).summary == "201")
        #expect(Matcher.equals(.template(try tpl("{{id}}"))).summary == "\"{{id}}\"")
        #expect(Matcher.all([.gt(lit(1)), .lt(lit(5))]).summary == "> 1 and < 5")
        #expect(Matcher.all([.isIn(lit([1, 2]))]).summary == "one of [1,2]")
        #expect(Matcher.all([.matches(try tpl("^{{p}}$"))]).summary == "to match /^{{p}}$/")
        #expect(Matcher.all([.exists(true), .type("string")]).summary == "a value and of type string")
        #expect(Matcher.all([.length(.equals(lit(3)))]).summary == "length 3")
        #expect(Matcher.all([.not(.all([.empty(true)]))]).summary == "not empty")
    }

    @Test func operatorAndTypeNamesAreTheDocumentedOnes() {
        #expect(
            Set(Matcher.operatorNames) == [
                "eq", "ne", "gt", "gte", "lt", "lte", "in", "contains", "notContains", "matches",
                "startsWith", "endsWith", "exists", "type", "length", "empty", "not", "schema",
            ])
        #expect(Matcher.operatorNames.count == 18)
        #expect(Set(Matcher.typeNames) == ["string", "number", "integer", "boolean", "array", "object", "null"])
    }
}
