import Testing
import VigilXML

@Suite("XPath on XML and HTML")
struct XPathTests {
    static let soap = """
        <?xml version="1.0" encoding="UTF-8"?>
        <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
          <s:Body><r:Result xmlns:r="urn:vigil:test"><r:Item id="1">one</r:Item><r:Item id="2">two</r:Item></r:Result></s:Body>
        </s:Envelope>
        """

    static let page = """
        <!DOCTYPE html>
        <html><head><title>Login</title></head>
        <body><form><input type="hidden" name="csrf" value="tok-123"><ul><li>a<li>b<li>c</ul></form>
        <p>Unclosed <b>tags & bare ampersands</body></html>
        """

    @Test("Strings, numbers, booleans and node-sets from an XML body with namespaces")
    func xmlWithNamespaces() throws {
        let doc = try MarkupDocument(bytes: Array(Self.soap.utf8), html: false)
        let ns = [(prefix: "s", uri: "http://schemas.xmlsoap.org/soap/envelope/"), (prefix: "r", uri: "urn:vigil:test")]
        #expect(try doc.evaluate("count(//r:Item)", namespaces: ns) == .number(2))
        #expect(try doc.evaluate("string(/s:Envelope/s:Body/r:Result/r:Item[@id='2'])", namespaces: ns) == .string("two"))
        #expect(try doc.evaluate("//r:Item", namespaces: ns) == .nodes(["one", "two"]))
        #expect(try doc.evaluate("boolean(//r:Missing)", namespaces: ns) == .boolean(false))
        // Without the prefix registered, the expression fails with a message, not a crash.
        #expect(throws: XMLError.self) { try doc.evaluate("count(//r:Item)") }
    }

    @Test("HTML is parsed by the HTML parser, forgiving unclosed tags")
    func html() throws {
        let doc = try MarkupDocument(bytes: Array(Self.page.utf8), html: true)
        #expect(try doc.evaluate("string(//title)") == .string("Login"))
        #expect(try doc.evaluate("string(//input[@name='csrf']/@value)") == .string("tok-123"))
        #expect(try doc.evaluate("count(//li)") == .number(3))
    }

    @Test("Syntax errors are found without a document, with their offset")
    func syntax() {
        #expect(XPath.syntaxError(in: "count(//li)") == nil)
        #expect(XPath.syntaxError(in: "string(//input[@name='csrf']/@value)") == nil)
        let e = XPath.syntaxError(in: "//li[")
        #expect(e != nil)
        #expect((e?.offset ?? -1) >= 4)
        #expect(XPath.syntaxError(in: "count(//li") != nil)
        #expect(XPath.syntaxError(in: "") != nil)
    }

    @Test("Malformed XML is an error, not a partial document")
    func malformed() {
        #expect(throws: XMLError.self) { try MarkupDocument(bytes: Array("<a><b></a>".utf8), html: false) }
        #expect(throws: XMLError.self) { try MarkupDocument(bytes: Array("not xml at all".utf8), html: false) }
    }

    @Test("Entity declarations are refused: no XXE, no billion laughs, no network")
    func entities() throws {
        let xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE r [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>
            <r>&x;</r>
            """
        let laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE r [ <!ENTITY a "aaaaaaaaaa"> <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"> <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"> ]>
            <r>&c;</r>
            """
        let external = """
            <?xml version="1.0"?>
            <!DOCTYPE r SYSTEM "http://127.0.0.1:9/never.dtd">
            <r>ok</r>
            """
        for doc in [xxe, laughs] {
            #expect(throws: XMLError.self) { try MarkupDocument(bytes: Array(doc.utf8), html: false) }
        }
        // An external DTD is never fetched: the document parses, without it.
        let d = try MarkupDocument(bytes: Array(external.utf8), html: false)
        #expect(try d.evaluate("string(/r)") == .string("ok"))
        do {
            let parsed = try MarkupDocument(bytes: Array(xxe.utf8), html: false)
            let text = try parsed.evaluate("string(/r)")
            Issue.record("an XXE document was evaluated: \(text)")
        } catch {
            #expect(!error.message.contains("root:"))
        }
    }
}
