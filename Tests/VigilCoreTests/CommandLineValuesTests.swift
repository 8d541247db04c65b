import Testing
import VigilCore
import VigilJSON

/// `--var name=TEXT` as docs/format.md describes it.
@Suite struct CommandLineValuesTests {
    @Test func quotedTextIsTheTextInside() throws {
        #expect(try CommandLineValues.value(#""[abc]""#) == .string("[abc]"))
        #expect(try CommandLineValues.value("'{not: a map}'") == .string("{not: a map}"))
        #expect(try CommandLineValues.value(#""tab\there""#) == .string("tab\there"))
        #expect(try CommandLineValues.value("'it''s'") == .string("it's"))
    }

    @Test func otherTextIsTakenAsWritten() throws {
        #expect(try CommandLineValues.value(#""half"#) == .string(#""half"#))
        #expect(try CommandLineValues.value(#"say "hi""#) == .string(#"say "hi""#))
        #expect(try CommandLineValues.value("\"") == .string("\""))
        #expect(try CommandLineValues.value("plain") == .string("plain"))
        #expect(try CommandLineValues.value("[1, b]") == .array([.int(1), .string("b")]))
    }

    @Test func aMalformedQuotedValueIsAnError() {
        #expect(throws: CommandLineValues.ValueError.self) { try CommandLineValues.value(#""a" b""#) }
    }
}
