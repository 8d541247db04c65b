import Foundation
import Testing
@testable import VigilCore

/// Issue 20, the second probe: XML/HTML entity forms, a non-ASCII secret read as Latin-1, and
/// binary (NTLM) messages. Every expected form is written out by hand.
@Suite("Redactor: entity, mojibake and binary forms")
struct RedactorEntityFormTests {
    static let secret = #"Tok<en>&"Quote'9x"#

    @Test(arguments: [
        "Tok&lt;en&gt;&amp;&quot;Quote&#x27;9x",  // Python html.escape
        "Tok&lt;en&gt;&amp;&quot;Quote&#39;9x",  // Ruby, .NET, lodash
        "Tok&lt;en&gt;&amp;&quot;Quote&#039;9x",  // PHP 8.1
        "Tok&lt;en&gt;&amp;&quot;Quote&apos;9x",  // XML
        "Tok&lt;en&gt;&amp;&#34;Quote&#39;9x",  // Go, MarkupSafe
        "Tok&lt;en&gt;&amp;&quot;Quote'9x",  // an XML attribute
        "Tok&lt;en&gt;&amp;\"Quote'9x",  // XML text
        "Tok&#60;en&#62;&#38;&#34;Quote&#39;9x",
        "&#84;&#111;&#107;&#60;&#101;&#110;&#62;&#38;&#34;&#81;&#117;&#111;&#116;&#101;&#39;&#57;&#120;",
        "&#x54;&#x6f;&#x6b;&#x3c;&#x65;&#x6e;&#x3e;&#x26;&#x22;&#x51;&#x75;&#x6f;&#x74;&#x65;&#x27;&#x39;&#x78;",
        "&#x54;&#x6F;&#x6B;&#x3C;&#x65;&#x6E;&#x3E;&#x26;&#x22;&#x51;&#x75;&#x6F;&#x74;&#x65;&#x27;&#x39;&#x78;",
    ])
    func entityFormsAreMasked(_ form: String) {
        let r = Redactor(secrets: [Self.secret])
        #expect(r.redact("<body>\(form)</body>") == "<body>••••</body>", "\(form)")
        #expect(r.holdsSecret("<k>\(form)</k>"))
    }

    @Test func aPlainTokensNumericFormsAreMaskedAndItsNamedFormsAreNone() {
        let r = Redactor(secrets: ["Token42"])
        #expect(r.redact("<a>&#84;&#111;&#107;&#101;&#110;&#52;&#50;</a>") == "<a>••••</a>")
        #expect(r.redact("<a>&#x54;&#x6f;&#x6b;&#x65;&#x6e;&#x34;&#x32;</a>") == "<a>••••</a>")
        // A plain token has no named-entity form besides itself: three numeric forms only.
        let added = Redactor.entityForms(of: "Token42")
        #expect(added.count == 3, "\(added)")
        #expect(r.redact("a=1&b=Token42") == "a=1&b=••••")
        #expect(r.redact("text with & but no reference") == "text with & but no reference")
    }

    /// `&` and `&#` begin every numeric form of every secret: an excerpt ending with them
    /// shows them (they tell nothing); a longer beginning of a numeric form is masked.
    @Test func anExcerptEndingWithAnAmpersandKeepsIt() {
        let r = Redactor(secrets: ["Token42"])
        #expect(r.redact("a=1&…") == "a=1&…")
        #expect(r.redact("a=1&#…") == "a=1&#…")
        #expect(r.redact("x &#84;&#111;&#1…") == "x ••••…")
    }

    @Test func aNonASCIISecretReadAsLatin1IsMasked() {
        let r = Redactor(secrets: ["Pässwort!2024"])
        for form in ["PÃ¤sswort!2024", #"P\u00c3\u00a4sswort!2024"#, #"P\u00C3\u00A4sswort!2024"#, "P%C3%83%C2%A4sswort%212024", "P%c3%83%c2%a4sswort!2024"] {
            #expect(r.redact("{\"h\": \"\(form)\"}") == "{\"h\": \"••••\"}", "\(form)")
        }
        // Numeric references for the non-ASCII character only (Python's xmlcharrefreplace).
        #expect(r.redact("<p>P&#228;sswort!2024</p>") == "<p>••••</p>")
        #expect(r.redact("<p>P&#xE4;sswort!2024</p>") == "<p>••••</p>")
        // ASCII secrets have no such form.
        #expect(Redactor.misreadForms(of: "plain-ascii").isEmpty)
    }

    @Test func aBinaryMessageIsMaskedInEveryForm() {
        // NTLMSSP\0 and a few bytes of every kind.
        let bytes: [UInt8] = Array("NTLMSSP".utf8) + [0, 3, 0, 0, 0, 0xfb, 0xff, 0x22, 0x5c, 0x0a, 0x80, 0xe9, 0x3e, 0x3f, 0x41]
        let r = Redactor()
        r.add(message: bytes)
        let forms = [
            "TlRMTVNTUAADAAAA+/8iXAqA6T4/QQ==", "TlRMTVNTUAADAAAA+/8iXAqA6T4/QQ", "TlRMTVNTUAADAAAA-_8iXAqA6T4_QQ==", "TlRMTVNTUAADAAAA-_8iXAqA6T4_QQ",
            "4e544c4d5353500003000000fbff225c0a80e93e3f41", "4E544C4D5353500003000000FBFF225C0A80E93E3F41",
            #"NTLMSSP\u0000\u0003\u0000\u0000\u0000\u00fb\u00ff\"\\\n\u0080\u00e9>?A"#,
            "NTLMSSP\u{0}\u{3}\u{0}\u{0}\u{0}\u{fb}\u{ff}\"\\\n\u{80}\u{e9}>?A",
        ]
        for form in forms {
            #expect(r.redact("got [\(form)] back") == "got [••••] back", "\(form)")
        }
        // Inside a longer base64 text: "x" + the message.
        let inside = r.redact("eE5UTE1TU1AAAwAAAPv/IlwKgOk+P0E=")
        #expect(inside.hasPrefix("eE") && inside.contains("••••") && !inside.contains("TE1TU1AAAwAAAPv"), "\(inside)")
    }

    @Test func aProxyURLIsShownWithoutItsPassword() {
        #expect(EnvironmentLoader.proxyWithoutPassword("http://u:p@ss@h:1") == "http://u:••••@h:1")
        #expect(EnvironmentLoader.proxyWithoutPassword("u:pw@h:1/x") == "u:••••@h:1/x")
        #expect(EnvironmentLoader.proxyWithoutPassword("http://h:1") == "http://h:1")
        #expect(EnvironmentLoader.proxyWithoutPassword("http://user@h:1") == "http://user@h:1")
    }

    @Test func aProxyResolvesItsPlaceholders() throws {
        let text = "name: P\nvariables: { user: puser }\nproxy: \"http://{{user}}:{{$env.PPW}}@127.0.0.1:3128\"\n"
        let env = try EnvironmentLoader.load(text, file: "e.yaml", processEnvironment: ["PPW": "Pw-1"])
        #expect(try env.proxyURL() == "http://puser:Pw-1@127.0.0.1:3128")
        let unset = try EnvironmentLoader.load(text, file: "e.yaml", processEnvironment: [:])
        #expect(throws: LoadError.self) { try unset.proxyURL() }
        do {
            _ = try unset.proxyURL()
        } catch {
            #expect(error.description == "e.yaml:3:8: proxy: '{{$env.PPW}}' reads environment variable PPW, which is not set")
        }
    }
}
