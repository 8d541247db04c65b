import Testing
@testable import VigilCore
import VigilYAML

/// A collection with mistakes and every diagnostic it must produce, in order.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    var label: String
    var yaml: String
    var expected: [String]
    init(_ label: String, _ yaml: String, _ expected: [String]) {
        self.label = label
        self.yaml = yaml
        self.expected = expected
    }
    var testDescription: String { label }
}

/// `requests:` with one GET request whose remaining lines are `lines` (indented by 4).
func oneRequest(_ lines: String...) -> String {
    "requests:\n  - GET: http://x/\n" + lines.map { "    \($0)\n" }.joined()
}

@Suite("CollectionLoader: errors")
struct CollectionErrorTests {
    static let matcherList = "eq, ne, gt, gte, lt, lte, in, contains, notContains, matches, startsWith, endsWith, exists, type, length, empty, not, schema"

    static let unknownKeys: [ErrorCase] = [
        ErrorCase(
            "expct in a request", oneRequest("expct: { status: 200 }"),
            ["c.yaml:3:5: unknown key 'expct' in a request (did you mean 'expect'?)"]),
        ErrorCase(
            "catpure in a request", oneRequest("catpure: { a: b }"),
            ["c.yaml:3:5: unknown key 'catpure' in a request (did you mean 'capture'?)"]),
        ErrorCase(
            "unknown key without a near name", oneRequest("frobnicate: 1"),
            ["c.yaml:3:5: unknown key 'frobnicate' in a request"]),
        ErrorCase(
            "variabels in a collection", "name: x\nvariabels: { a: 1 }\nrequests: []\n",
            ["c.yaml:2:1: unknown key 'variabels' in a collection (did you mean 'variables'?)"]),
        ErrorCase(
            "header in defaults", "defaults:\n  header: { A: b }\nrequests: []\n",
            ["c.yaml:2:3: unknown key 'header' in defaults (did you mean 'headers'?)"]),
        ErrorCase(
            "intervall in retry", oneRequest("retry: { intervall: 1s }"),
            ["c.yaml:3:14: unknown key 'intervall' in retry (did you mean 'interval'?)"]),
        ErrorCase(
            "stauts in expect", oneRequest("expect:", "  stauts: 200"),
            ["c.yaml:4:7: unknown key 'stauts' in expect (did you mean 'status'?)"]),
        ErrorCase(
            "bdy in retry until", oneRequest("retry:", "  until: { bdy: { a: 1 } }"),
            ["c.yaml:4:16: unknown key 'bdy' in retry until (did you mean 'body'?)"]),
        ErrorCase(
            "paht in a capture", oneRequest("capture:", "  id: { paht: result.id }"),
            [
                "c.yaml:4:11: capture 'id' takes one of path, header, status, text, cookie or xpath",
                "c.yaml:4:13: unknown key 'paht' in capture 'id' (did you mean 'path'?)",
            ]),
    ]

    static let wrongTypes: [ErrorCase] = [
        ErrorCase(
            "a number beyond a double in a body", oneRequest("json: { big: 1e400, neg: -1e400, ok: 1.5, text: \"1e400\" }"),
            [
                "c.yaml:3:18: '1e400' is not a number JSON can carry (it has no infinity or NaN; the largest is about 1.8e308)",
                "c.yaml:3:30: '-1e400' is not a number JSON can carry (it has no infinity or NaN; the largest is about 1.8e308)",
            ]),
        ErrorCase(
            "infinity in a matcher", oneRequest("expect: { body: { n: { gte: .inf } } }"),
            ["c.yaml:3:33: '.inf' is not a number JSON can carry (it has no infinity or NaN; the largest is about 1.8e308)"]),
        ErrorCase(
            "an integer beyond 64 bits", "variables: { id: 18446744073709551615 }\n" + oneRequest("json: { id: -9223372036854775808 }"),
            ["c.yaml:1:18: 18446744073709551615 is beyond a 64-bit integer and would lose digits as a number; quote it to send it as a string"]),
        ErrorCase("requests as a mapping", "requests: { a: 1 }\n", ["c.yaml:1:11: 'requests' must be a list of requests"]),
        ErrorCase("headers as a list", oneRequest("headers: [a, b]"), ["c.yaml:3:14: headers must be a mapping of name to value"]),
        ErrorCase(
            "timeout not a duration", oneRequest("timeout: abc"),
            ["c.yaml:3:14: timeout must be a duration such as 500ms, 10s or 2m, found 'abc'"]),
        ErrorCase(
            "timeout as a list", oneRequest("timeout: [1]"),
            ["c.yaml:3:14: timeout must be a duration such as 500ms, 10s or 2m, found a list"]),
        ErrorCase(
            "followRedirects yes", oneRequest("followRedirects: yes"),
            ["c.yaml:3:22: followRedirects must be true or false, found a string"]),
        ErrorCase("collection name as a list", "name: [a]\nrequests: []\n", ["c.yaml:1:7: name must be text, found a list"]),
        ErrorCase("request as text", "requests:\n  - GET http://x/\n", ["c.yaml:2:5: a request must be a mapping, found a string"]),
        ErrorCase("expect as a number", oneRequest("expect: 200"), ["c.yaml:3:13: expect must be a mapping, found an integer"]),
        ErrorCase(
            "when as a list", oneRequest("when: [a]"),
            ["c.yaml:3:11: when must be a mapping of variable name to matcher, e.g. { ptzCameraId: { exists: true } }"]),
        ErrorCase(
            "capture as text", oneRequest("capture: id"),
            [
                "c.yaml:3:14: capture must be a mapping of variable name to JSONPath (or { header: … }, { status: true }, { text: true }, { cookie: … }, { xpath: … })"
            ]),
        ErrorCase("backoff below 1", oneRequest("retry: { backoff: 0.5 }"), ["c.yaml:3:23: backoff must be a number of at least 1"]),
        ErrorCase("variables as a list", "variables: [a]\nrequests: []\n", ["c.yaml:1:12: variables must be a mapping of name to value"]),
        ErrorCase(
            "query as a list", oneRequest("query: [a]"),
            ["c.yaml:3:12: query must be a mapping of name to value (an empty value is a flag)"]),
        ErrorCase(
            "exists not a boolean", oneRequest("expect:", "  body:", "    a: { exists: maybe }"),
            ["c.yaml:5:22: 'exists' must be true or false, found a string"]),
        ErrorCase(
            "unknown type name", oneRequest("expect:", "  body:", "    a: { type: strng }"),
            ["c.yaml:5:20: unknown type 'strng' (did you mean 'string'?); types are string, number, integer, boolean, array, object, null"]),
        ErrorCase(
            "in without a list", oneRequest("expect:", "  body:", "    a: { in: 3 }"),
            ["c.yaml:5:18: 'in' takes a list of values"]),
        ErrorCase(
            "invalid matches regex", oneRequest("expect:", "  body:", "    a: { matches: \"([\" }"),
            ["c.yaml:5:23: 'matches' has an invalid regular expression: (["]),
        ErrorCase(
            "invalid capture regex", oneRequest("capture:", "  id: { header: X, regex: \"([\" }"),
            ["c.yaml:4:31: invalid regular expression: (["]),
        ErrorCase(
            "bad variable name", "variables:\n  1abc: x\nrequests: []\n",
            ["c.yaml:2:3: '1abc' is not a variable name (letters, digits, '_', '-', '.')"]),
        ErrorCase(
            "bad capture name", oneRequest("capture:", "  1x: a.b"),
            ["c.yaml:4:7: '1x' is not a variable name (letters, digits, '_', '-', '.')"]),
        ErrorCase("auth as a list", "auth: [a]\nrequests: []\n", ["c.yaml:1:7: auth must be text, found a list"]),
        ErrorCase(
            "capture all and first", oneRequest("capture:", "  ids: { path: a, all: true, first: true }"),
            ["c.yaml:4:34: capture 'ids' takes all or first, not both"]),
        ErrorCase(
            "capture with two sources", oneRequest("capture:", "  x: { path: a, header: B }"),
            ["c.yaml:4:10: capture 'x' takes one of path, header, status, text, cookie or xpath"]),
        ErrorCase(
            "unknown duration operator", oneRequest("expect: { duration: { gtee: 1s } }"),
            ["c.yaml:3:27: duration takes lt, lte, gt or gte (did you mean 'gte'?)"]),
        ErrorCase(
            "status with a mapping item", oneRequest("expect:", "  status: [{ a: 1 }]"),
            ["c.yaml:4:16: status must be a code, a list of codes or a class such as 2xx"]),
    ]

    static let methodsBodiesAndStatus: [ErrorCase] = [
        ErrorCase(
            "no method", "requests:\n  - name: x\n    expect: { status: 200 }\n",
            ["c.yaml:2:5: a request needs one method key: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"]),
        ErrorCase(
            "lower-case method", "requests:\n  - get: http://x/\n",
            [
                "c.yaml:2:5: unknown key 'get' in a request (did you mean 'GET'?)",
                "c.yaml:2:5: a request needs one method key: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS ('get' must be written in capitals: GET)",
            ]),
        ErrorCase(
            "two methods", oneRequest("POST: http://x/"),
            ["c.yaml:3:5: a request has exactly one method key; found GET and POST"]),
        ErrorCase(
            "two bodies", "requests:\n  - POST: http://x/\n    json: { a: 1 }\n    form: { a: 1 }\n",
            ["c.yaml:4:5: a request has one body; found json and form"]),
        ErrorCase("URL as a mapping", "requests:\n  - GET: { a: 1 }\n", ["c.yaml:2:10: the URL must be text, found a mapping"]),
        ErrorCase(
            "status below 100", oneRequest("expect:", "  status: 99"),
            ["c.yaml:4:15: status must be a code from 100 to 599, a list of codes or a class such as 2xx; found '99'"]),
        ErrorCase(
            "status above 599", oneRequest("expect:", "  status: 600"),
            ["c.yaml:4:15: status must be a code from 100 to 599, a list of codes or a class such as 2xx; found '600'"]),
        ErrorCase(
            "status class 6xx", oneRequest("expect:", "  status: 6xx"),
            ["c.yaml:4:15: status must be a code from 100 to 599, a list of codes or a class such as 2xx; found '6xx'"]),
        ErrorCase(
            "status word", oneRequest("expect:", "  status: ok"),
            ["c.yaml:4:15: status must be a code from 100 to 599, a list of codes or a class such as 2xx; found 'ok'"]),
        ErrorCase(
            "bad item in a status list", oneRequest("expect:", "  status: [200, abc]"),
            ["c.yaml:4:21: status must be a code from 100 to 599, a list of codes or a class such as 2xx; found 'abc'"]),
        ErrorCase(
            "status mixes codes and classes", oneRequest("expect:", "  status: [200, 2xx]"),
            ["c.yaml:4:15: status mixes codes and classes; write the codes out"]),
    ]

    static let queriesAndMatchers: [ErrorCase] = [
        ErrorCase(
            "JSONPath in a body key", oneRequest("expect:", "  body:", "    result.items[0 1]: 1"),
            ["c.yaml:5:24: invalid JSONPath 'result.items[0 1]': expected ',' or ']' after selector but found '1'"]),
        ErrorCase(
            "JSONPath in a quoted body key", oneRequest("expect:", "  body:", "    \"a.\": 1"),
            ["c.yaml:5:12: invalid JSONPath 'a.': expected a member name or '*' after '.' but found end of query"]),
        ErrorCase(
            "JSONPath in a capture", oneRequest("capture:", "  id: \"array[0 1]\""),
            ["c.yaml:4:20: invalid JSONPath 'array[0 1]': expected ',' or ']' after selector but found '1'"]),
        ErrorCase(
            "JSONPath in a capture path", oneRequest("capture:", "  id: { path: 'a[' }"),
            ["c.yaml:4:22: invalid JSONPath 'a[': expected a selector but found end of query"]),
        ErrorCase(
            "JSONPath in retry until", oneRequest("retry: { until: { body: { \"x[\": 1 } } }"),
            ["c.yaml:3:34: invalid JSONPath 'x[': expected a selector but found end of query"]),
        ErrorCase(
            "misspelt operator", oneRequest("expect:", "  body:", "    a: { contain: x }"),
            ["c.yaml:5:14: unknown matcher 'contain' (did you mean 'contains'?); to compare with an object, write `eq: {…}`"]),
        ErrorCase(
            "operator in the wrong case", oneRequest("expect:", "  body:", "    a: { notcontains: x }"),
            ["c.yaml:5:14: unknown matcher 'notcontains' (did you mean 'notContains'?); to compare with an object, write `eq: {…}`"]),
        ErrorCase(
            "placeholders in an inline schema on a JSONPath", oneRequest("expect:", "  body:", "    a: { schema: { const: \"{{x}}\" } }"),
            ["c.yaml:5:22: an inline schema takes no placeholders"]),
        ErrorCase(
            "operator mixed with another key", oneRequest("expect:", "  body:", "    a: { gt: 1, foo: 2 }"),
            ["c.yaml:5:21: unknown matcher 'foo'; matchers are \(matcherList)"]),
        ErrorCase(
            "misspelt operator in when", oneRequest("when: { id: { exist: true } }"),
            ["c.yaml:3:19: unknown matcher 'exist' (did you mean 'exists'?); to compare with an object, write `eq: {…}`"]),
        ErrorCase(
            "misspelt operator in a header expectation", oneRequest("expect: { headers: { Location: { startWith: /a } } }"),
            ["c.yaml:3:38: unknown matcher 'startWith' (did you mean 'startsWith'?); to compare with an object, write `eq: {…}`"]),
        ErrorCase(
            "misspelt operator inside not", oneRequest("expect:", "  body:", "    a: { not: { emtpy: true } }"),
            ["c.yaml:5:21: unknown matcher 'emtpy' (did you mean 'empty'?); to compare with an object, write `eq: {…}`"]),
        ErrorCase(
            "a header selector in brackets", oneRequest("expect: { headers: { \"Set-Cookie[2nd]\": x } }"),
            ["c.yaml:3:26: header 'Set-Cookie[2nd]': the brackets after a header name take first, last, any, * or a position such as 0 or -1"]),
        ErrorCase(
            "a header selector in a capture", oneRequest("capture: { c: { header: \"Set-Cookie[]\" } }"),
            ["c.yaml:3:29: header 'Set-Cookie[]': the brackets after a header name take first, last, any, * or a position such as 0 or -1"]),
        ErrorCase(
            "a header name with a space", oneRequest("expect: { headers: { \"Set Cookie\": x } }"),
            ["c.yaml:3:26: header 'Set Cookie': 'Set Cookie' is not a header name (letters, digits and !#$%&'*+-.^_`|~, no spaces)"]),
        // Found by the YAML fuzzer: a list as the only key of a matcher mapping crashed the decoder.
        ErrorCase(
            "a list as a matcher's key", oneRequest("expect:", "  body:", "    a: { [1]: 2 }"),
            ["c.yaml:5:14: a key in an expected value must be text, found a list"]),
        ErrorCase(
            "a mapping as a key beside an operator", oneRequest("expect:", "  body:", "    a: { gt: 1, { b: 1 }: 2 }"),
            ["c.yaml:5:21: a key in an expected value must be text, found a mapping"]),
    ]

    static let templates: [ErrorCase] = [
        ErrorCase(
            "single brace in a quoted URL", "requests:\n  - GET: \"{{api}}/tasks/{taskId}\"\n",
            ["c.yaml:2:25: single-brace '{taskId}' in the URL is sent as it stands; write '{{taskId}}' to use the variable"]),
        ErrorCase(
            "single brace in a plain URL", "requests:\n  - GET: http://h/tasks/{taskId}/x\n",
            ["c.yaml:2:25: single-brace '{taskId}' in the URL is sent as it stands; write '{{taskId}}' to use the variable"]),
        ErrorCase(
            "two single braces", "requests:\n  - DELETE: http://h/{a}/{b}\n",
            [
                "c.yaml:2:22: single-brace '{a}' in the URL is sent as it stands; write '{{a}}' to use the variable",
                "c.yaml:2:26: single-brace '{b}' in the URL is sent as it stands; write '{{b}}' to use the variable",
            ]),
        ErrorCase(
            "single brace after the same name in double braces", "requests:\n  - GET: \"{{taskId}}/x/{taskId}\"\n",
            ["c.yaml:2:24: single-brace '{taskId}' in the URL is sent as it stands; write '{{taskId}}' to use the variable"]),
        ErrorCase("unclosed placeholder in a URL", "requests:\n  - GET: \"{{api}/x\"\n", ["c.yaml:2:11: '{{' is not closed by '}}'"]),
        ErrorCase(
            "empty placeholder in a header", oneRequest("headers:", "  X-A: \"a {{}}\""),
            ["c.yaml:4:15: empty placeholder '{{}}'"]),
        ErrorCase(
            "bad name in a block body", oneRequest("body: |", "  line one", "  {{ bad name }}"),
            ["c.yaml:3:11: '{{bad name}}' is not a variable name (letters, digits, '_', '-', '.')"]),
        ErrorCase(
            "bad name in a JSON key", "requests:\n  - POST: http://x/\n    json:\n      \"{{bad key}}\": 1\n",
            ["c.yaml:4:8: '{{bad key}}' is not a variable name (letters, digits, '_', '-', '.')"]),
        ErrorCase(
            "unknown dynamic value in JSON", "requests:\n  - POST: http://x/\n    json:\n      id: \"{{$uid}}\"\n",
            ["c.yaml:4:12: unknown dynamic value '{{$uid}}' (did you mean '$uuid'?)"]),
        ErrorCase(
            "unclosed placeholder in a matcher operand", oneRequest("expect:", "  body:", "    a: { startsWith: \"{{x\" }"),
            ["c.yaml:5:27: '{{' is not closed by '}}'"]),
        ErrorCase(
            "$env in a URL", "requests:\n  - GET: \"{{$env.HOST}}/x\"\n",
            ["c.yaml:2:11: '{{$env.HOST}}' may only be used in environment files; a shared collection must not read the user's process environment"]),
        ErrorCase(
            "$env in a header", oneRequest("headers:", "  Authorization: \"Bearer {{$env.TOKEN}}\""),
            ["c.yaml:4:30: '{{$env.TOKEN}}' may only be used in environment files; a shared collection must not read the user's process environment"]),
        ErrorCase(
            "$env in a variable", "variables:\n  token: \"{{$env.TOKEN}}\"\nrequests: []\n",
            ["c.yaml:2:11: '{{$env.TOKEN}}' may only be used in environment files; a shared collection must not read the user's process environment"]),
        ErrorCase(
            "$env in a JSON body", "requests:\n  - POST: http://x/\n    json: { user: \"x-{{$env.USER}}\" }\n",
            ["c.yaml:3:22: '{{$env.USER}}' may only be used in environment files; a shared collection must not read the user's process environment"]),
    ]

    static let files: [ErrorCase] = [
        ErrorCase("empty file", "", ["c.yaml:1:1: the file is empty; a collection needs at least 'requests'"]),
        ErrorCase("comments only", "# nothing here\n\n", ["c.yaml:1:1: the file is empty; a collection needs at least 'requests'"]),
        ErrorCase("no requests", "name: x\n", ["c.yaml:1:1: a collection needs 'requests', a list of requests"]),
        ErrorCase("root is a list", "- a\n", ["c.yaml:1:1: a collection must be a mapping, found a list"]),
        ErrorCase(
            "duplicate key", "requests:\n  - GET: http://x/\n    name: a\n    name: b\n",
            ["c.yaml:4:5: duplicate key 'name' (first at line 3, column 5)"]),
        ErrorCase(
            "duplicate top-level key", "requests: []\nname: a\nrequests: []\n",
            ["c.yaml:3:1: duplicate key 'requests' (first at line 1, column 1)"]),
        ErrorCase(
            "unclosed flow sequence", "requests: [a, b\n",
            ["c.yaml:2:1: did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 11)"]),
        ErrorCase(
            "tab indentation", "requests:\n\t- GET: x\n",
            ["c.yaml:2:1: found character that cannot start any token (while scanning for the next token at line 2, column 1)"]),
        ErrorCase(
            "unterminated quote", "name: \"unterminated\nrequests: []\n",
            ["c.yaml:3:1: found unexpected end of stream (while scanning a quoted scalar at line 1, column 7)"]),
        ErrorCase(
            "bad indentation", "requests:\n  - GET: http://x/\n   bad: 1\n",
            ["c.yaml:3:4: did not find expected '-' indicator (while parsing a block collection at line 2, column 3)"]),
        ErrorCase(
            "two documents", "requests: []\n---\nrequests: []\n",
            ["c.yaml:2:1: more than one YAML document in one file; a file holds one collection or environment"]),
    ]

    static func verify(_ c: ErrorCase, sourceLocation: SourceLocation = #_sourceLocation) {
        let errors = collectionErrors(c.yaml, sourceLocation: sourceLocation)
        #expect(errors == c.expected, sourceLocation: sourceLocation)
    }

    @Test(arguments: unknownKeys) func unknownKeysWithHints(_ c: ErrorCase) { Self.verify(c) }
    @Test(arguments: wrongTypes) func wrongTypesAndValues(_ c: ErrorCase) { Self.verify(c) }
    @Test(arguments: methodsBodiesAndStatus) func methodsBodiesStatus(_ c: ErrorCase) { Self.verify(c) }
    @Test(arguments: queriesAndMatchers) func jsonPathsAndMatchers(_ c: ErrorCase) { Self.verify(c) }
    @Test(arguments: templates) func templatePlaceholders(_ c: ErrorCase) { Self.verify(c) }
    @Test(arguments: files) func fileLevelErrors(_ c: ErrorCase) { Self.verify(c) }

    @Test func everyErrorOfAFileIsReportedTogether() {
        let yaml = """
            name: Many mistakes
            requests:
              - GET: http://h/{id}
                expct: { status: 200 }
              - name: no method
              - POST: http://h/
                json: { a: 1 }
                body: raw
                timeout: soon
            finally:
              - DELETE: "{{$env.X}}"
                capture: { x: "a[" }
            """
        let errors = collectionErrors(yaml, file: "many.yaml")
        #expect(
            Set(errors) == [
                "many.yaml:4:5: unknown key 'expct' in a request (did you mean 'expect'?)",
                "many.yaml:3:19: single-brace '{id}' in the URL is sent as it stands; write '{{id}}' to use the variable",
                "many.yaml:5:5: a request needs one method key: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS",
                "many.yaml:8:5: a request has one body; found json and body",
                "many.yaml:9:14: timeout must be a duration such as 500ms, 10s or 2m, found 'soon'",
                "many.yaml:11:14: '{{$env.X}}' may only be used in environment files; a shared collection must not read the user's process environment",
                "many.yaml:12:22: invalid JSONPath 'a[': expected a selector but found end of query",
            ])
        #expect(errors.count == 7)
    }

    @Test func diagnosticsSortForDisplay() throws {
        let yaml = "requests:\n  - GET: http://h/{id}\n    expct: 1\n  - POST: http://h/\n    timeout: soon\n"
        var diagnostics: [Diagnostic] = []
        do {
            _ = try CollectionLoader.load(yaml, file: "s.yaml")
        } catch {
            diagnostics = error.diagnostics
        }
        let sorted = (diagnostics + diagnostics).sortedForDisplay
        #expect(
            sorted.map(\.description) == [
                "s.yaml:2:19: single-brace '{id}' in the URL is sent as it stands; write '{{id}}' to use the variable",
                "s.yaml:3:5: unknown key 'expct' in a request (did you mean 'expect'?)",
                "s.yaml:5:14: timeout must be a duration such as 500ms, 10s or 2m, found 'soon'",
            ])
        #expect(sorted.allSatisfy { $0.severity == .error && $0.file == "s.yaml" })
    }

    @Test func loadErrorDescriptionIsOneLinePerDiagnostic() {
        let error = LoadError([
            Diagnostic(file: "a.yaml", mark: Mark(line: 2, column: 3), message: "first"),
            Diagnostic(file: "a.yaml", mark: Mark(line: 4, column: 1), message: "second", severity: .warning),
        ])
        #expect(error.description == "a.yaml:2:3: first\na.yaml:4:1: warning: second")
    }

    @Test func singleBracesOutsideTheURLAreLeftAlone() throws {
        let c = try collection("requests:\n  - POST: http://h/x?filter={}\n    json: { text: \"{id}\" }\n    headers: { X: \"{id}\" }\n")
        #expect(c.requests.count == 1)
        #expect(try collection("requests:\n  - GET: \"http://h/{ a }/{1}/{}\"\n").requests.count == 1)
    }

    @Test func invalidUTF8IsALoadError() {
        var bytes = Array("requests:\n  - GET: http://x/\n    ".utf8) + [0xFF] + Array(": 1\n".utf8)
        do {
            _ = try CollectionLoader.load(bytes: &bytes, file: "b.yaml")
            Issue.record("invalid UTF-8 loaded")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["b.yaml:3:5: invalid leading UTF-8 octet"])
        }
    }
}
