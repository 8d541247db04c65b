import Foundation
import Testing
@testable import VigilCore

/// Issue 20, point 3: the forms an attacker probe found unmasked. Every expected form is written
/// out by hand here, not computed by the redactor's own encoders.
@Suite("Redactor: forms found by the probe")
struct RedactorFormTests {
    /// The encoding Vigil itself sends in a URL (space and non-ASCII encoded, `! @ : ' + & =`
    /// kept), the one a server echoing its request path sends back, and what common encoders
    /// make of the same secret.
    @Test(arguments: [
        ("Pässwort!2024", ["P%C3%A4sswort!2024", "P%c3%a4sswort!2024", "P%C3%A4sswort%212024"]),
        (
            "KEY_SECRET_p@ss w+rd&x=1",
            [
                "KEY_SECRET_p@ss%20w+rd&x=1", "KEY_SECRET_p@ss+w+rd&x=1", "KEY_SECRET_p%40ss%20w%2Brd%26x%3D1",
                "KEY_SECRET_p%40ss+w%2Brd%26x%3D1", "KEY_SECRET_p%40ss%20w%2brd%26x%3d1",
            ]
        ),
        ("tok en:1", ["tok%20en:1", "tok%20en%3A1", "tok+en%3A1", "tok%20en%3a1"]),
        ("o'reilly 1", ["o'reilly%201", "o%27reilly%201", "o%27reilly+1"]),
        ("a/b~c*d e", ["a/b~c*d%20e", "a%2Fb~c%2Ad%20e", "a/b~c%2Ad+e", "a%2Fb%7Ec*d+e"]),
    ])
    func percentFormsAreMasked(_ secret: String, _ forms: [String]) {
        let r = Redactor(secrets: [secret])
        for form in forms {
            #expect(r.redact("got \"/users/\(form)\"") == "got \"/users/••••\"", "\(form)")
            #expect(r.holdsSecret("X-Echo: \(form)"), "\(form)")
        }
    }

    @Test func urlSafeUnpaddedBase64IsMasked() {
        let r = Redactor(secrets: ["Secret>>>?val1"])
        // base64 "U2VjcmV0Pj4+P3ZhbDE=": URL-safe and unpadded, padded, and standard unpadded.
        for form in ["U2VjcmV0Pj4-P3ZhbDE", "U2VjcmV0Pj4-P3ZhbDE=", "U2VjcmV0Pj4+P3ZhbDE"] {
            #expect(r.redact("body \(form) end") == "body •••• end", "\(form)")
        }
    }

    /// The secret inside a longer base64 text (a Basic header of `user:secret`), at each of the
    /// three alignments; only the characters made of the secret's bits alone are masked.
    @Test(arguments: ["", "a", "ab"])
    func base64InsideLongerBase64IsMasked(_ before: String) {
        let secret = "correct-horse-battery"
        let r = Redactor(secrets: [secret])
        let text = Data((before + "user:" + secret + "!tail").utf8).base64EncodedString()
        let shown = r.redact(text)
        #expect(shown.contains("••••"), "\(text) shown as \(shown)")
        // What is left shows no run of the secret's bits: decoding the visible base64 pieces
        // yields no 4-character piece of the secret.
        for piece in shown.components(separatedBy: "••••") {
            let decoded = String(decoding: Data(base64Encoded: piece + String(repeating: "=", count: (4 - piece.count % 4) % 4)) ?? Data(), as: UTF8.self)
            #expect(!decoded.contains("horse"), "\(piece) decodes to \(decoded)")
        }
        // Short secrets make too few such characters to mask safely: not added.
        #expect(Redactor.innerBase64(Array("abc".utf8), offset: 1).count < 8)
    }

    /// An excerpt cut right after a secret's first character masks that character too, in every
    /// form (literal, percent-encoded, JSON-escaped, form-encoded, base64).
    /// (`%` begins the percent form of `@at-token`, `\` the JSON form of `"quoted-token`, `+`
    /// the form-encoded ` space-first`, `U` the base64 of `Q-token-xyz-123`.)
    @Test(arguments: ["Q", "%", "\\", "+", "U"])
    func anExcerptEndingOnASecretsFirstCharacterMasksIt(_ first: String) {
        let r = Redactor(secrets: ["Q-token-xyz-123", "@at-token", "\"quoted-token", " space-first"])
        let excerpt = (String(repeating: "A", count: 20) + first + "rest that was cut").excerpt(limit: 21)
        #expect(r.redact(excerpt) == String(repeating: "A", count: 20) + "•…", "\(first)")
        #expect(r.redact("got \"" + excerpt + "\" instead") == "got \"" + String(repeating: "A", count: 20) + "•…\" instead")
        // Two and three characters: as many bullets; four and more: the mask.
        let two = (String(repeating: "A", count: 20) + "Q-token").excerpt(limit: 22)
        #expect(r.redact(two) == String(repeating: "A", count: 20) + "••…")
        let many = (String(repeating: "A", count: 20) + "Q-token").excerpt(limit: 26)
        #expect(r.redact(many) == String(repeating: "A", count: 20) + "••••…")
    }

    @Test func jsonEscapesNoEncoderMakesStillCountAsTheSecret() {
        let r = Redactor(secrets: ["KEY_SECRET_p@ss w+rd&x=1"])
        #expect(r.holdsSecret(#"{"k":"KEY_SECRET_p\u0040ss w+rd\u0026x=1"}"#))
        #expect(r.holdsSecret(#"{"k":"KEY_SECRET_p\u0040ss w\u002Brd\u0026x\u003d1"}"#))
        #expect(r.holdsSecret("k=KEY_SECRET_p%40ss+w%2brd%26x=1"))
        #expect(!r.holdsSecret(#"{"k":"KEY_SECRET_p\u0040ss"}"#))
        // Go's and .NET's JSON encoders: masked as shown.
        #expect(r.redact(#""KEY_SECRET_p@ss w+rd\u0026x=1""#) == "\"••••\"")
        #expect(r.redact(#""KEY_SECRET_p@ss w\u002Brd\u0026x=1""#) == "\"••••\"")
    }

    @Test func namedSecretsAreFoundByName() {
        let r = Redactor()
        r.add("cookie-value-1")
        r.add("S3cret-Admin-PW", name: "password")
        #expect(r.secretName(in: "/health?p=S3cret-Admin-PW") == "password")
        #expect(r.secretName(in: "/health?p=S3cret%2DAdmin%2dPW") == "password")
        #expect(r.secretName(in: "Basic " + Data("admin:S3cret-Admin-PW".utf8).base64EncodedString()) == "password")
        #expect(r.secretName(in: "cookie-value-1") == nil, "an unnamed secret (a server's cookie) is not the user's")
        #expect(r.holdsSecret("cookie-value-1"))
    }
}
