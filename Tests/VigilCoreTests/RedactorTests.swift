import Foundation
import Testing
@testable import VigilCore
import VigilJSON

@Suite("Redactor")
struct RedactorTests {
    @Test func masksEveryOccurrenceAnywhere() {
        let r = Redactor(secrets: ["s3cr3t-pass"])
        #expect(r.redact("password=s3cr3t-pass&again=s3cr3t-pass") == "password=••••&again=••••")
        #expect(r.redact("{\"p\":\"s3cr3t-pass\"}") == "{\"p\":\"••••\"}")
        #expect(r.redact("nothing secret here") == "nothing secret here")
        #expect(r.redact("") == "")
        #expect(Redactor.mask == "••••")
    }

    @Test func longestSecretIsMaskedFirst() {
        let r = Redactor(secrets: ["abc", "abcdef"])
        #expect(r.redact("abcdef abc") == "•••• ••••")
        // Order of adding does not matter.
        let r2 = Redactor()
        r2.add("token")
        r2.add("token-extended")
        #expect(r2.redact("Bearer token-extended, token") == "Bearer ••••, ••••")
        #expect(!r2.redact("token-extended").contains("extended"))
    }

    @Test func anExcerptCutInsideASecretShowsNoneOfIt() {
        let token = "tok-" + String(repeating: "0123456789abcdef", count: 6) + "!"
        let r = Redactor(secrets: [token])
        let body = String(repeating: "x", count: 150) + token
        let excerpt = body.excerpt(limit: 200)
        #expect(excerpt.count == 201 && excerpt.hasSuffix("…"))
        #expect(r.redact(excerpt) == String(repeating: "x", count: 150) + "••••…")
        // Inside a longer message too, and in an encoded form (percent-encoded '!').
        let inMessage = "got \"" + ("a=" + token.replacingOccurrences(of: "!", with: "%21")).excerpt(limit: 40) + "\" instead"
        #expect(r.redact(inMessage) == "got \"a=••••…\" instead")
        // A text that merely ends with the marker keeps what is not a secret's beginning.
        #expect(r.redact("and so on…") == "and so on…")
        #expect(r.redact("tok…") == "•••…", "as many bullets as characters cut, up to four: a cut text never grows")
        #expect("short".excerpt(limit: 10) == "short")
    }

    @Test func overlappingSecretsLeaveNoPartBehind() {
        let r = Redactor(secrets: ["password123", "word1"])
        #expect(r.redact("x password123 y word1 z") == "x •••• y •••• z")
    }

    @Test func shortValuesAreNotMasked() {
        let r = Redactor(secrets: ["ab", "", "x"])
        #expect(r.redact("ab x cab") == "ab x cab")
        r.add("abc")
        #expect(r.redact("ab abc") == "ab ••••")
    }

    @Test func addingTwiceIsHarmless() {
        let r = Redactor()
        r.add("secret")
        r.add("secret")
        #expect(r.redact("secret secret") == "•••• ••••")
    }

    @Test func secretsAddedLaterAreMaskedFromThenOn() {
        let r = Redactor(secrets: ["password"])
        #expect(r.redact("token-xyz") == "token-xyz")
        r.add("token-xyz")
        #expect(r.redact("password token-xyz") == "•••• ••••")
    }

    @Test func unicodeSecrets() {
        let r = Redactor(secrets: ["pässwörd€"])
        #expect(r.redact("user: pässwörd€!") == "user: ••••!")
    }

    @Test(arguments: ["Authorization", "authorization", "AUTHORIZATION", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-API-Key", "x-api-key"])
    func secretHeadersAreMaskedWhole(_ name: String) {
        let r = Redactor()
        #expect(r.redactHeader(name: name, value: "Bearer eyJhbGciOi.payload.sig") == Redactor.mask)
    }

    @Test func otherHeadersAreRedactedNotMaskedWhole() {
        let r = Redactor(secrets: ["tenant-secret"])
        #expect(r.redactHeader(name: "Content-Type", value: "application/json") == "application/json")
        #expect(r.redactHeader(name: "X-Tenant", value: "id=tenant-secret;v=1") == "id=••••;v=1")
    }

    @Test func sharedAcrossTasks() async {
        let r = Redactor()
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<50 {
                group.addTask { r.add("secret-\(i)-value") }
            }
        }
        let text = (0..<50).map { "secret-\($0)-value" }.joined(separator: " ")
        #expect(r.redact(text) == Array(repeating: Redactor.mask, count: 50).joined(separator: " "))
    }
}

/// Every form a secret takes on its way out is masked: percent-encoded, form-encoded, JSON-escaped, base64.
@Suite("Redactor: encodings")
struct RedactorEncodingTests {
    static let awkward = ["p@ss w+rd&x=1", #"qu"o\te's"#, "pässwörd€ 𝄞", "tab\tnew\nline"]

    static func percent(_ s: String, plus: Bool = false, lower: Bool = false) -> String {
        var out = ""
        for b in s.utf8 {
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || "-._~".utf8.contains(b) {
                out.append(Character(Unicode.Scalar(b)))
            } else if plus, b == 0x20 {
                out += "+"
            } else {
                let hex = Array((lower ? "0123456789abcdef" : "0123456789ABCDEF").utf8)
                out += "%" + String(decoding: [hex[Int(b >> 4)], hex[Int(b & 15)]], as: UTF8.self)
            }
        }
        return out
    }

    @Test(arguments: awkward)
    func everyEncodingIsMasked(_ secret: String) {
        let r = Redactor(secrets: [secret])
        // As VigilJSON prints it in a report or a request body, between the quotes.
        let json = String(JSONValue.string(secret).serialized().dropFirst().dropLast())
        let base64 = Data(secret.utf8).base64EncodedString()
        let forms = [
            secret, Self.percent(secret), Self.percent(secret, lower: true), Self.percent(secret, plus: true), json, base64,
            base64.replacingOccurrences(of: "=", with: ""),
            base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"),
        ]
        for form in forms {
            let shown = r.redact("before \(form) after")
            #expect(shown == "before \(Redactor.mask) after", "\(form.debugDescription) shown as \(shown.debugDescription)")
        }
    }

    @Test func basicCredentialsAreMaskedInBase64WithoutThePrefix() {
        let r = Redactor()
        r.add("admin:p@ss w+rd")
        let base64 = Data("admin:p@ss w+rd".utf8).base64EncodedString()
        #expect(r.redact("echo \(base64) echo") == "echo \(Redactor.mask) echo")
    }

    /// A body's bytes tell that it holds no secret of the user's (one search a form) unless they
    /// hold an escape whose decoding could make one; then the parsed value is searched.
    @Test func aRawBodyWithoutEscapesIsClearedFromItsBytes() throws {
        let r = Redactor()
        r.add("SomeSecretValue123", name: "token")
        #expect(r.holdsNoSecret(rawBody: Array(#"[{"id":"a","name":"camera"}]"#.utf8)) == true)
        #expect(r.holdsNoSecret(rawBody: Array(#"[{"echo":"SomeSecretValue123"}]"#.utf8)) == false)
        #expect(r.holdsNoSecret(rawBody: Array(#"[{"echo":"Some\u0053ecret"}]"#.utf8)) == nil)
        #expect(r.holdsNoSecret(rawBody: Array(#"{"q":"a%20b"}"#.utf8)) == nil)
        #expect(r.holdsNoSecret(rawBody: []) == true)
        let escaped = try JSONValue(parsing: Array(#"{"echo":"SomeSecret\u0056alue123"}"#.utf8))
        #expect(r.secretName(inValue: escaped) == "token")
        #expect(Redactor().holdsNoSecret(rawBody: Array("SomeSecretValue123".utf8)) == true, "no secret named")
    }
}
