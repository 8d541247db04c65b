import Testing
@testable import VigilJSON

/// The examples of RFC 9535 (§1.5 and the tables of §2), with exact nodelists and
/// normalized paths. Where the RFC leaves object member order open, Vigil's order
/// is document order.
@Suite struct JSONPathRFCExampleTests {
    static let bookstore = #"""
        { "store": {
            "book": [
              { "category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95 },
              { "category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99 },
              { "category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99 },
              { "category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99 }
            ],
            "bicycle": { "color": "red", "price": 399 }
          }
        }
        """#

    @Test func bookstore() throws {
        let doc = JSONPathRFCExampleTests.bookstore
        let authors = [#""Nigel Rees""#, #""Evelyn Waugh""#, #""Herman Melville""#, #""J. R. R. Tolkien""#]
        #expect(try values("$.store.book[*].author", doc) == authors)
        #expect(try values("$..author", doc) == authors)
        #expect(try run("$..author", doc).map(\.path) == (0..<4).map { "$['store']['book'][\($0)]['author']" })
        #expect(try run("$.store.*", doc).map(\.path) == ["$['store']['book']", "$['store']['bicycle']"])
        #expect(try values("$.store..price", doc) == ["8.95", "12.99", "8.99", "22.99", "399"])
        #expect(try run("$..book[2]", doc).map(\.path) == ["$['store']['book'][2]"])
        #expect(try run("$..book[2].author", doc) == [Pair("$['store']['book'][2]['author']", #""Herman Melville""#)])
        #expect(try run("$..book[2].publisher", doc).isEmpty)
        #expect(try run("$..book[-1]", doc).map(\.path) == ["$['store']['book'][3]"])
        #expect(try run("$..book[0,1]", doc).map(\.path) == ["$['store']['book'][0]", "$['store']['book'][1]"])
        #expect(try run("$..book[:2]", doc).map(\.path) == ["$['store']['book'][0]", "$['store']['book'][1]"])
        #expect(try run("$..book[?@.isbn]", doc).map(\.path) == ["$['store']['book'][2]", "$['store']['book'][3]"])
        #expect(try run("$..book[?@.price<10]", doc).map(\.path) == ["$['store']['book'][0]", "$['store']['book'][2]"])
        let all = try run("$..*", doc)
        #expect(all.count == 27)
        #expect(all.first?.path == "$['store']")
        #expect(all.last == Pair("$['store']['bicycle']['price']", "399"))
    }

    @Test func root() throws {
        #expect(try run("$", #"{"k": "v"}"#) == [Pair("$", #"{"k":"v"}"#)])
    }

    @Test func nameSelector() throws {
        let doc = #"{ "o": {"j j": {"k.k": 3}}, "'": {"@": 2} }"#
        #expect(try run("$.o['j j']", doc) == [Pair("$['o']['j j']", #"{"k.k":3}"#)])
        #expect(try run("$.o['j j']['k.k']", doc) == [Pair("$['o']['j j']['k.k']", "3")])
        #expect(try run(#"$.o["j j"]["k.k"]"#, doc) == [Pair("$['o']['j j']['k.k']", "3")])
        #expect(try run(#"$["'"]["@"]"#, doc) == [Pair(#"$['\'']['@']"#, "2")])
    }

    @Test func wildcardSelector() throws {
        let doc = #"{ "o": {"j": 1, "k": 2}, "a": [5, 3] }"#
        #expect(try run("$[*]", doc) == [Pair("$['o']", #"{"j":1,"k":2}"#), Pair("$['a']", "[5,3]")])
        #expect(try run("$.o[*]", doc) == [Pair("$['o']['j']", "1"), Pair("$['o']['k']", "2")])
        #expect(
            try run("$.o[*, *]", doc) == [
                Pair("$['o']['j']", "1"), Pair("$['o']['k']", "2"),
                Pair("$['o']['j']", "1"), Pair("$['o']['k']", "2"),
            ])
        #expect(try run("$.a[*]", doc) == [Pair("$['a'][0]", "5"), Pair("$['a'][1]", "3")])
    }

    @Test func indexSelector() throws {
        #expect(try run("$[1]", #"["a","b"]"#) == [Pair("$[1]", #""b""#)])
        #expect(try run("$[-2]", #"["a","b"]"#) == [Pair("$[0]", #""a""#)])
    }

    @Test func sliceSelector() throws {
        let doc = #"["a", "b", "c", "d", "e", "f", "g"]"#
        #expect(try run("$[1:3]", doc) == [Pair("$[1]", #""b""#), Pair("$[2]", #""c""#)])
        #expect(try run("$[5:]", doc) == [Pair("$[5]", #""f""#), Pair("$[6]", #""g""#)])
        #expect(try run("$[1:5:2]", doc) == [Pair("$[1]", #""b""#), Pair("$[3]", #""d""#)])
        #expect(try run("$[5:1:-2]", doc) == [Pair("$[5]", #""f""#), Pair("$[3]", #""d""#)])
        #expect(
            try run("$[::-1]", doc)
                == (0..<7).reversed().map {
                    Pair("$[\($0)]", "\"\(Character(Unicode.Scalar(UInt8(97 + $0))))\"")
                })
    }

    static let filterDocument = #"""
        { "a": [3, 5, 1, 2, 4, 6, {"b": "j"}, {"b": "k"}, {"b": {}}, {"b": "kilo"}],
          "o": {"p": 1, "q": 2, "r": 3, "s": 5, "t": {"u": 6}},
          "e": "f" }
        """#

    @Test func filterSelector() throws {
        let doc = JSONPathRFCExampleTests.filterDocument
        #expect(try run("$.a[?@.b == 'kilo']", doc) == [Pair("$['a'][9]", #"{"b":"kilo"}"#)])
        #expect(try run("$.a[?(@.b == 'kilo')]", doc) == [Pair("$['a'][9]", #"{"b":"kilo"}"#)])
        #expect(try run("$.a[?@>3.5]", doc) == [Pair("$['a'][1]", "5"), Pair("$['a'][4]", "4"), Pair("$['a'][5]", "6")])
        #expect(try run("$.a[?@.b]", doc).map(\.path) == ["$['a'][6]", "$['a'][7]", "$['a'][8]", "$['a'][9]"])
        #expect(try run("$[?@.*]", doc).map(\.path) == ["$['a']", "$['o']"])
        #expect(try run("$[?@[?@.b]]", doc).map(\.path) == ["$['a']"])
        #expect(
            try run("$.o[?@<3, ?@<3]", doc) == [
                Pair("$['o']['p']", "1"), Pair("$['o']['q']", "2"),
                Pair("$['o']['p']", "1"), Pair("$['o']['q']", "2"),
            ])
        #expect(try run(#"$.a[?@<2 || @.b == "k"]"#, doc) == [Pair("$['a'][2]", "1"), Pair("$['a'][7]", #"{"b":"k"}"#)])
        #expect(try run(#"$.a[?match(@.b, "[jk]")]"#, doc).map(\.path) == ["$['a'][6]", "$['a'][7]"])
        #expect(try run(#"$.a[?search(@.b, "[jk]")]"#, doc).map(\.path) == ["$['a'][6]", "$['a'][7]", "$['a'][9]"])
        #expect(try run("$.o[?@>1 && @<4]", doc) == [Pair("$['o']['q']", "2"), Pair("$['o']['r']", "3")])
        #expect(try run("$.o[?@.u || @.x]", doc) == [Pair("$['o']['t']", #"{"u":6}"#)])
        #expect(try run("$.a[?@.b == $.x]", doc).map(\.path) == (0..<6).map { "$['a'][\($0)]" })
        #expect(try run("$.a[?@ == @]", doc).map(\.path) == (0..<10).map { "$['a'][\($0)]" })
    }

    /// RFC 9535 §2.3.5.2.2, comparison examples, as (expression, result).
    static let comparisons: [(String, Bool)] = [
        ("$.absent1 == $.absent2", true), ("$.absent1 <= $.absent2", true),
        ("$.absent == 'g'", false), ("$.absent1 != $.absent2", false), ("$.absent != 'g'", true),
        ("1 <= 2", true), ("1 > 2", false), ("13 == '13'", false), ("'a' <= 'b'", true),
        ("'a' > 'b'", false), ("$.obj == $.arr", false), ("$.obj != $.arr", true),
        ("$.obj == $.obj", true), ("$.obj != $.obj", false), ("$.arr == $.arr", true),
        ("$.arr != $.arr", false), ("$.obj == 17", false), ("$.obj != 17", true),
        ("$.obj <= $.arr", false), ("$.obj < $.arr", false), ("$.obj <= $.obj", true),
        ("$.arr <= $.arr", true), ("1 <= $.arr", false), ("1 >= $.arr", false),
        ("1 > $.arr", false), ("1 < $.arr", false), ("true <= true", true), ("true > true", false),
    ]

    @Test(arguments: comparisons)
    func comparison(_ expression: String, _ expected: Bool) throws {
        // The filter runs once per member of the root; it selects both or neither.
        let selected = try run("$[?\(expression)]", #"{"obj": {"x": "y"}, "arr": [2, 3]}"#)
        #expect(selected.count == (expected ? 2 : 0), "\(expression)")
    }

    /// RFC 9535 §2.4.9 (function extension examples): well-typedness.
    @Test func functionWellTypedness() {
        #expect(pathError("$[?length(@) < 3]") == nil)
        #expect(pathError("$[?length(@.*) < 3]") != nil)
        #expect(pathError("$[?count(@.*) == 1]") == nil)
        #expect(pathError("$[?count(1) == 1]") != nil)
        #expect(pathError("$[?match(@.timezone, 'Europe/.*')]") == nil)
        #expect(pathError("$[?match(@.timezone, 'Europe/.*') == true]") != nil)
        #expect(pathError(#"$[?value(@..color) == "red"]"#) == nil)
        #expect(pathError("$[?value(@..color)]") != nil)
    }

    @Test func childSegment() throws {
        let doc = #"["a", "b", "c", "d", "e", "f", "g"]"#
        #expect(try run("$[0, 3]", doc) == [Pair("$[0]", #""a""#), Pair("$[3]", #""d""#)])
        #expect(try run("$[0:2, 5]", doc) == [Pair("$[0]", #""a""#), Pair("$[1]", #""b""#), Pair("$[5]", #""f""#)])
        #expect(try run("$[0, 0]", doc) == [Pair("$[0]", #""a""#), Pair("$[0]", #""a""#)])
    }

    @Test func descendantSegment() throws {
        let doc = #"{ "o": {"j": 1, "k": 2}, "a": [5, 3, [{"j": 4}, {"k": 6}]] }"#
        #expect(try run("$..j", doc) == [Pair("$['o']['j']", "1"), Pair("$['a'][2][0]['j']", "4")])
        #expect(try run("$..[0]", doc) == [Pair("$['a'][0]", "5"), Pair("$['a'][2][0]", #"{"j":4}"#)])
        let all = [
            Pair("$['o']", #"{"j":1,"k":2}"#), Pair("$['a']", #"[5,3,[{"j":4},{"k":6}]]"#),
            Pair("$['o']['j']", "1"), Pair("$['o']['k']", "2"),
            Pair("$['a'][0]", "5"), Pair("$['a'][1]", "3"), Pair("$['a'][2]", #"[{"j":4},{"k":6}]"#),
            Pair("$['a'][2][0]", #"{"j":4}"#), Pair("$['a'][2][1]", #"{"k":6}"#),
            Pair("$['a'][2][0]['j']", "4"), Pair("$['a'][2][1]['k']", "6"),
        ]
        #expect(try run("$..[*]", doc) == all)
        #expect(try run("$..*", doc) == all)
        #expect(try run("$..o", doc) == [Pair("$['o']", #"{"j":1,"k":2}"#)])
        #expect(
            try run("$.o..[*, *]", doc) == [
                Pair("$['o']['j']", "1"), Pair("$['o']['k']", "2"),
                Pair("$['o']['j']", "1"), Pair("$['o']['k']", "2"),
            ])
        #expect(
            try run("$.a..[0, 1]", doc) == [
                Pair("$['a'][0]", "5"), Pair("$['a'][1]", "3"),
                Pair("$['a'][2][0]", #"{"j":4}"#), Pair("$['a'][2][1]", #"{"k":6}"#),
            ])
    }

    @Test func nullSemantics() throws {
        let doc = #"{"a": null, "b": [null], "c": [{}], "null": 1}"#
        #expect(try run("$.a", doc) == [Pair("$['a']", "null")])
        #expect(try run("$.a[0]", doc).isEmpty)
        #expect(try run("$.a.d", doc).isEmpty)
        #expect(try run("$.b[0]", doc) == [Pair("$['b'][0]", "null")])
        #expect(try run("$.b[*]", doc) == [Pair("$['b'][0]", "null")])
        #expect(try run("$.b[?@]", doc) == [Pair("$['b'][0]", "null")])
        #expect(try run("$.b[?@==null]", doc) == [Pair("$['b'][0]", "null")])
        #expect(try run("$.c[?@.d==null]", doc).isEmpty)
        #expect(try run("$.null", doc) == [Pair("$['null']", "1")])
    }

    @Test func normalizedPaths() throws {
        #expect(try run("$.a", #"{"a":1}"#).map(\.path) == ["$['a']"])
        #expect(try run("$[1]", "[0,1]").map(\.path) == ["$[1]"])
        #expect(try run("$[-3]", "[0,1,2,3,4]").map(\.path) == ["$[2]"])
        #expect(try run("$.a.b[1:2]", #"{"a":{"b":[0,1,2]}}"#).map(\.path) == ["$['a']['b'][1]"])
        #expect(try run(#"$["\u000B"]"#, #"{"\u000b":1}"#).map(\.path) == [#"$['\u000b']"#])
        #expect(try run(#"$["\u0061"]"#, #"{"a":1}"#).map(\.path) == ["$['a']"])
    }
}
