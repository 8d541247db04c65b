import Testing
import VigilNTLM

@Suite struct MD4Tests {
    /// RFC 1320, appendix A.5.
    @Test(arguments: [
        ("", "31d6cfe0d16ae931b73c59d7e0c089c0"),
        ("a", "bde52cb31de33e46245e05fbdbd6fb24"),
        ("abc", "a448017aaf21d8525fc10ae87aa6729d"),
        ("message digest", "d9130a8164549fe818874806e1c7014b"),
        ("abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "043f8582f241db351ce627e153e7f0e4"),
        ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "e33b4ddc9c38f2199c3e7b164fcc0536"),
    ])
    func rfc1320Vectors(input: String, digest: String) {
        #expect(hex(MD4.hash(Array(input.utf8))) == digest)
    }

    @Test func feedingInPiecesGivesTheSameDigest() {
        let text = Array(String(repeating: "vigil ", count: 50).utf8)
        var md4 = MD4()
        for chunk in stride(from: 0, to: text.count, by: 7) { md4.update(text[chunk..<min(chunk + 7, text.count)]) }
        #expect(md4.finalize() == MD4.hash(text))
    }
}

func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
}

func bytes(_ hex: String) -> [UInt8] {
    let chars = Array(hex.filter { !$0.isWhitespace })
    return stride(from: 0, to: chars.count, by: 2).map { UInt8(String(chars[$0..<$0 + 2]), radix: 16)! }
}
