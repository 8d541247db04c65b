import Testing
@testable import VigilReport

@Suite struct XMLEscapeTests {
    @Test func escapesMarkupAndDropsControlCharacters() {
        #expect(XML.escape("a<b>&\"c\"\u{1}\n", attribute: true) == "a&lt;b&gt;&amp;&quot;c&quot;&#10;")
        #expect(XML.escape("a<b>\n\"", attribute: false) == "a&lt;b&gt;\n\"")
    }
}
