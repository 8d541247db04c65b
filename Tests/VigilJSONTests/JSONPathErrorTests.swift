import Testing
@testable import VigilJSON

@Suite struct JSONPathErrorTests {
    /// (query, 0-based offset, message)
    static let cases: [(String, Int, String)] = [
        ("", 0, "a JSONPath query must start with '$'"),
        (" $", 0, "a JSONPath query must start with '$'"),
        ("$ ", 1, "blank space after the end of the query"),
        ("$.a b", 3, "blank space after the end of the query"),
        ("$x", 1, "expected '.', '..' or '[' but found 'x'"),
        ("$.", 2, "expected a member name or '*' after '.' but found end of query"),
        ("$.1", 2, "expected a member name or '*' after '.' but found '1'"),
        ("$..", 3, "expected a member name, '*' or '[' after '..' but found end of query"),
        ("$[", 2, "expected a selector but found end of query"),
        ("$[]", 2, "empty brackets: expected a selector"),
        ("$[0 2]", 4, "expected ',' or ']' after selector but found '2'"),
        ("$['a'", 1, "unclosed '[' (expected ']')"),
        ("$['a", 2, "unterminated string literal"),
        (#"$["\x"]"#, 3, "invalid escape sequence in string literal"),
        (#"$['\uD800']"#, 3, "high surrogate must be followed by a \\u low surrogate"),
        (#"$['\uDC00']"#, 3, "lone low surrogate in \\u escape"),
        (#"$['\u12x4']"#, 7, "expected 4 hex digits in \\u escape"),
        ("$['a\nb']", 4, "control characters must be escaped in string literals"),
        ("$[01]", 2, "leading zeros are not allowed"),
        ("$[-0]", 2, "-0 is not a valid integer here"),
        ("$[9007199254740992]", 2, "integer out of range ±(2^53-1)"),
        ("$[:-9007199254740992]", 3, "integer out of range ±(2^53-1)"),
        ("$[1:2:3:4]", 7, "expected ',' or ']' after selector but found ':'"),
        ("$[a]", 2, "expected a selector (quoted name, '*', index, slice or '?' filter) but found 'a'"),
        ("$[?@.a==1.]", 10, "expected digit after '.'"),
        ("$[?@.a==01]", 8, "leading zeros are not allowed"),
        ("$[?true]", 3, "a literal cannot be used as a test; compare it with something"),
        ("$[?@.a && 1]", 10, "a literal cannot be used as a test; compare it with something"),
        ("$[?length(@.*)<3]", 10, "length() expects a value here; a non-singular query is not one"),
        ("$[?count(1)==1]", 9, "count() expects a query (nodes) argument here"),
        ("$[?match(@.a, 'a')==true]", 3, "match() returns a logical result and cannot be compared"),
        ("$[?length(@.a)]", 3, "length() returns a value; it must be compared, not tested"),
        ("$[?value(@..a)]", 3, "value() returns a value; it must be compared, not tested"),
        ("$[?foo(@)]", 3, "unknown function 'foo'"),
        ("$[?count()==1]", 3, "count() takes 1 argument, got 0"),
        ("$[?match(@.a)]", 3, "match() takes 2 arguments, got 1"),
        ("$[?match(@.*, 'a')]", 9, "match() expects a value here; a non-singular query is not one"),
        ("$[?length(@.a==1)==1]", 10, "length() expects a value here, not a logical expression"),
        ("$[?(@.a]", 7, "expected ')' but found ']'"),
        ("$[?(@.a", 3, "unclosed '(' (expected ')')"),
        ("$[?@[*]==1]", 3, "only singular queries (names and indices only) can be compared"),
        ("$[?1==@..a]", 6, "only singular queries (names and indices only) can be compared"),
        ("$[?!1]", 4, "'!' must be followed by a query, a function call or '('"),
        ("$[?@.a==!@.b]", 8, "expected a literal, singular query or function call after '=='"),
        ("$[?@.a==[1]]", 8, "expected a literal, query, function call or '(' but found '['"),
        ("$[?count (@)==1]", 3, "unknown literal 'count' (a function call needs '(' right after the name)"),
        ("$[?nope==1]", 3, "unknown literal 'nope' (a function call needs '(' right after the name)"),
    ]

    @Test(arguments: 0..<cases.count)
    func error(_ i: Int) throws {
        let (query, offset, message) = JSONPathErrorTests.cases[i]
        let error = try #require(pathError(query), "should fail: \(query)")
        #expect(error.message == message, "\(query)")
        #expect(error.offset == offset, "\(query)")
        #expect(error.description == "offset \(offset): \(message)")
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let depth = 10_000
        let parens = "$[?" + String(repeating: "(", count: depth) + "@.a" + String(repeating: ")", count: depth) + "]"
        #expect(pathError(parens)?.message == "filter expression nested too deeply")
        let filters = "$" + String(repeating: "[?@", count: depth) + String(repeating: "]", count: depth)
        #expect(pathError(filters)?.message == "filter expression nested too deeply")
        let shallow = "$[?" + String(repeating: "(", count: 20) + "@.a" + String(repeating: ")", count: 20) + "]"
        #expect(pathError(shallow) == nil)
    }

    @Test func offsetsCountUnicodeScalars() throws {
        let error = try #require(pathError("$['☺😀'].x y"))
        #expect(error.offset == 9)
    }
}
