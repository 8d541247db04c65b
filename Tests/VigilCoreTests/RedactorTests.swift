import Testing
@testable import VigilCore

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
