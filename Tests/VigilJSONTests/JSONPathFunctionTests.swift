import Testing
@testable import VigilJSON

@Suite struct JSONPathFunctionTests {
    @Test func length() throws {
        #expect(
            try values("$[?length(@.a)>=2]", #"[{"a":"ab"},{"a":"d"},{"a":[1,2,3]},{"a":{"x":1}},{"a":{"x":1,"y":2}},{"b":1}]"#)
                == [#"{"a":"ab"}"#, #"{"a":[1,2,3]}"#, #"{"a":{"x":1,"y":2}}"#])
        // Unicode scalars, not UTF-16 units or bytes; "e\u0301" is two scalars.
        #expect(
            try values("$[?length(@)==2]", #"["☺","☺☺","жж","阿美","形声字","😀😀","e\u0301","😀"]"#)
                == [#""☺☺""#, #""жж""#, #""阿美""#, #""😀😀""#, "\"e\u{301}\""])
        for literal in ["1", "true", "false", "null"] {
            #expect(try values("$[?length(\(literal))>=0]", "[1]").isEmpty)
        }
        #expect(try values("$[?length('abc')==3]", "[1,2]") == ["1", "2"])
        #expect(try values("$[?length(@.missing)==0]", "[{}]").isEmpty)
        // A value() result is a valid ValueType argument.
        #expect(
            try values(
                "$.values[?length(@.a)==length(value($..c))]",
                #"{"c":"cd","values":[{"a":"ab"},{"a":"d"}]}"#) == [#"{"a":"ab"}"#])
    }

    @Test func count() throws {
        let doc = #"[{"a":[1,2,3]},{"a":[1],"d":"f"},{"a":1,"d":"f"}]"#
        #expect(try values("$[?count(@..*)>2]", doc) == [#"{"a":[1,2,3]}"#, #"{"a":[1],"d":"f"}"#])
        #expect(try values("$[?count(@.a)>1]", doc).isEmpty)
        #expect(try values("$[?count(@['a','d'])>1]", doc) == [#"{"a":[1],"d":"f"}"#, #"{"a":1,"d":"f"}"#])
        #expect(try values("$[?count($[*])==3]", doc).count == 3)
        #expect(try values("$[?count(@.*)==0]", "[1,[],{}]") == ["1", "[]", "{}"])
    }

    @Test func value() throws {
        #expect(try values("$[?value(@.*)==4]", #"[[4],{"foo":4},[5],{"foo":5},4]"#) == ["[4]", #"{"foo":4}"#])
        #expect(try values("$[?value(@.*)==4]", #"[[4,4],{"foo":4,"bar":4}]"#).isEmpty)
        #expect(
            try values("$[?value(@..color)=='red']", #"[{"a":{"color":"red"}},{"color":"blue"}]"#)
                == [#"{"a":{"color":"red"}}"#])
        // value() of an empty nodelist is Nothing, which equals only Nothing.
        #expect(try values("$[?value(@.x)==value(@.y)]", #"[{},{"x":1},{"x":1,"y":1}]"#) == ["{}", #"{"x":1,"y":1}"#])
    }

    @Test func match() throws {
        #expect(try values("$[?match(@.a, 'a.*')]", #"[{"a":"ab"},{"a":"bab"},{"a":1}]"#) == [#"{"a":"ab"}"#])
        #expect(try values("$[?!match(@.a, 'a.*')]", #"[{"a":"ab"},{"a":"bc"}]"#) == [#"{"a":"bc"}"#])
        #expect(try values(#"$[?match(@.a, "a.*")]"#, #"[{"a":"ab"}]"#) == [#"{"a":"ab"}"#])
        #expect(
            try values(
                "$.values[?match(@, $.regex)]",
                #"{"regex":"b.?b","values":["abc","bcd","bab","bba","bbab","b",true,[],{}]}"#) == [#""bab""#])
        #expect(try values("$[?match(1, 'a.*')]", "[1]").isEmpty)
        #expect(try values("$[?match(@, 1)]", #"["1"]"#).isEmpty)
        #expect(try values("$[?match(@, '\\\\p{Lu}')]", #"["ж","Ж","1","жЖ",true,[],{}]"#) == [#""Ж""#])
        #expect(try values("$[?match(@, '\\\\P{Lu}')]", #"["ж","Ж","1",true]"#) == [#""ж""#, #""1""#])
        #expect(try values("$[?match(@, 'a.b')]", #"["a𐄁b","ab","a\nb","a\rb","a\u2028b"]"#) == [#""a𐄁b""#, "\"a\u{2028}b\""])
        #expect(
            try values(
                "$.values[?match(@.a, value($..['regex']))]",
                #"{"regex":"a.*","values":[{"a":"ab"},{"a":"ba"}]}"#) == [#"{"a":"ab"}"#])
    }

    @Test func search() throws {
        let doc = #"[{"a":"the end is ab"},{"a":"ab is at the start"},{"a":"contains two matches"},{"a":"bc"},{"a":1}]"#
        #expect(try values("$[?search(@.a, 'a.*')]", doc).count == 3)
        #expect(try values("$[?!search(@.a, 'a.*')]", doc) == [#"{"a":"bc"}"#, #"{"a":1}"#])
        #expect(
            try values(
                "$.values[?search(@, $.regex)]",
                #"{"regex":"b.?b","values":["abc","bcd","bab","bba","bbab","b",true,[],{}]}"#)
                == [#""bab""#, #""bba""#, #""bbab""#])
        #expect(try values("$[?search(@, '\\\\p{Lu}')]", #"["ж","Ж","1","жЖ"]"#) == [#""Ж""#, #""жЖ""#])
        #expect(try values("$[?search(@, 'a.b')]", #"["a𐄁bc","abc"]"#) == [#""a𐄁bc""#])
    }

    /// I-Regexp syntax and semantics (RFC 9485) through match(), as (pattern
    /// written in the query, subject, matches).
    static let regexCases: [(String, String, Bool)] = [
        ("a[.b]c", "a.c", true), ("a[.b]c", "abc", true), ("a[.b]c", "axc", false),
        ("a\\\\.c", "a.c", true), ("a\\\\.c", "abc", false),
        ("a\\\\\\\\.c", "a\\\\xc", false), ("a\\\\\\\\.c", "a\\\\c", true), ("a\\\\\\\\.c", "a\\c", false),
        ("a\\\\[.c", "a[xc", true), ("a[\\\\].]c", "a]c", true), ("a[\\\\].]c", "a.c", true),
        ("^ab.*", "abc", true), ("^ab.*", "xab", false), (".*bc$", "abc", true), (".*bc$", "abcd", false),
        ("[a-c]+", "abcabc", true), ("[a-c]+", "abcd", false), ("[^a-c]", "d", true), ("[^a-c]", "a", false),
        ("[-a]", "-", true), ("[a-]", "-", true), ("[\\\\-]", "-", true),
        ("a{2}", "aa", true), ("a{2}", "aaa", false), ("a{2,}", "aaaa", true), ("a{2,3}", "aaaa", false),
        ("a{0,1}b", "b", true), ("(ab)+", "ababab", true), ("(ab)+", "aba", false),
        ("ab|cd", "cd", true), ("ab|cd", "abcd", false), ("a(b|)c", "ac", true), ("", "", true), ("", "a", false),
        ("\\\\d", "1", false), ("\\\\n", "\n", true), ("\\\\t", "\t", true), ("a\\\\u0041", "aA", false),
        ("\\\\p{L}+", "Ωé", true), ("\\\\p{Nd}", "٣", true), ("\\\\p{IsGreek}", "α", false),
        ("\\\\P{L}", "1", true), ("[\\\\p{Lu}\\\\d]", "A", false), ("[\\\\p{Lu}0-9]", "7", true),
        ("\\\\$", "$", false) /* `$` is not a SingleCharEsc */, ("\\\\^", "^", true), ("a\\\\*", "a*", true), ("\\\\{\\\\}", "{}", true),
        (".", "\u{1F600}", true), ("..", "\u{1F600}", false), (".", "e\u{301}", false),
        ("#", "#", true), ("a b", "a b", true), ("&&", "&&", true), ("[&&]", "&", true), ("[a&&b]", "&", true),
        ("[a--b]", "-", false), ("[z-a]", "a", false), ("a**", "a", false), ("a*?", "a", false), ("a+?", "a", false),
        ("(?:a)", "a", false), ("(?i)a", "A", false), ("(a", "a", false), ("a)", "a", false), ("[a", "a", false),
        ("a{,2}", "a", false), ("a{2,1}", "aa", false), ("[]a]", "a", false), ("\\\\b", "b", false), ("\\\\w", "w", false),
        ("*a", "a", false), ("a|*", "a", false), ("\\\\p{Cs}", "a", false), ("\\\\p{Lx}", "a", false),
    ]

    @Test(arguments: regexCases)
    func iRegexp(_ pattern: String, _ subject: String, _ matches: Bool) throws {
        let query = try JSONPath("$[?match(@, '\(pattern)')]")
        let result = query.select(.array([.string(subject)]))
        #expect(result.count == (matches ? 1 : 0), "match(\(subject.debugDescription), '\(pattern)')")
    }

    @Test func translatorRejectsNonIRegexpSyntax() {
        for pattern in ["a*?", "(?:x)", "\\d", "\\w", "\\s", "\\b", "a{,3}", "[[:alpha:]]", "(?<n>a)", "\\1", "[]", "[^]", "\\"] {
            #expect(IRegexpTranslator.translate(pattern) == nil, "\(pattern)")
        }
        for pattern in ["a.b", "[a-z]{1,3}", "\\p{Lu}", "(a|b)*", "[\\n\\r\\t]", "\\.", "x{0}"] {
            #expect(IRegexpTranslator.translate(pattern) != nil, "\(pattern)")
        }
        #expect(IRegexpTranslator.translate("a.") == "\\x{61}[^\\n\\r]")
    }

    @Test func literalPatternsAreCompiledOnce() throws {
        let query = try JSONPath("$[?match(@.name, 'PTZ.*') && search(@.id, $.pattern)]")
        guard case .filter(let filter) = query.compiled.segments[0].selectors[0],
            case .and(let operands) = filter,
            case .function(let match) = operands[0],
            case .function(let search) = operands[1]
        else {
            Issue.record("unexpected AST")
            return
        }
        #expect(match.literalRegex?.pattern == "PTZ.*")
        #expect(match.literalRegex?.isValid == true)
        #expect(search.literalRegex == nil)
        // An invalid literal is compiled once as "invalid": the query is accepted and selects nothing.
        let invalid = try JSONPath("$[?match(@, 'a(')]")
        #expect(invalid.select(["a(", "a"]).isEmpty)
    }
}
