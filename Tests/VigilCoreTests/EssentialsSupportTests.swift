import Foundation
import Testing
@testable import VigilCore

/// The stand-ins for full Foundation (EssentialsSupport.swift, RegexSupport.swift) against the
/// Foundation APIs they replace: the tests may link full Foundation, the binary does not.
@Suite struct EssentialsSupportTests {
    // (NSString's path getters trap on one-character relative paths on Linux: none here.)
    static let paths = [
        "", "/", "ab", "ab/", "/a", "/a/", "a/b", "a//b", "a/b/", "ab///", "/a/b.yaml", "collections/01-x.yaml", "./x.yaml", "../x", "..",
        ".hidden", "a/.hidden", "a/..", "a/b.c.d", "x.", "a.b/c", "é/ü.yaml", "a b/c d.y ml", "x.yaml",
    ]

    @Test(arguments: paths) func pathsAsNSStringHasThem(path: String) {
        let ns = path as NSString
        #expect(PathText.folder(of: path) == ns.deletingLastPathComponent)
        #expect(PathText.lastComponent(path) == ns.lastPathComponent)
        #expect(PathText.deletingExtension(path) == ns.deletingPathExtension)
        #expect(PathText.join(path, "x.yaml") == ns.appendingPathComponent("x.yaml"))
        #expect(PathText.join("base", path) == ("base" as NSString).appendingPathComponent(path))
    }

    @Test func pathKinds() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-kind-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/f"))
        try FileManager.default.createDirectory(atPath: folder + "/sub/deeper", withIntermediateDirectories: true)
        try Data("y".utf8).write(to: URL(fileURLWithPath: folder + "/sub/deeper/g"))
        #expect(PathText.kind(of: folder) == (true, true))
        #expect(PathText.kind(of: folder + "/f") == (true, false))
        #expect(PathText.kind(of: folder + "/none") == (false, false))
        #expect(PathText.everything(under: folder)?.sorted() == ["f", "sub", "sub/deeper", "sub/deeper/g"])
        #expect(PathText.everything(under: folder + "/none") == nil)
        #expect(FileBytes.contents(atPath: folder + "/sub/deeper/g") == Array("y".utf8))
        #expect(FileBytes.contents(atPath: folder + "/none") == nil)
    }

    @Test func trimmingAsCharacterSetsHaveIt() {
        for text in ["  a b \t", "\u{3000}x\u{A0}", "\n x \r\n", "", "   ", "\u{85}y\u{2028}", "\u{200B}z\u{200B}", "e\u{301} ", "\"q\""] {
            #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
            #expect(text.trimmingWhitespaceAndNewlines() == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
            #expect(text.trimming(charactersIn: "\" ") == text.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")), "\(text.debugDescription)")
        }
    }

    @Test func formFieldsDecodeAsFoundationDecodesThem() {
        for field in ["a+b%20c", "%E2%82%AC", "%zz", "%", "%4", "a%C3", "plain", "%2B+", "%e2%82%ac"] {
            #expect(field.formDecoded() == field.replacingOccurrences(of: "+", with: " ").removingPercentEncoding, "\(field)")
        }
    }

    @Test func numbersFormatAsStringFormatDoes() {
        for v in [1.2345, 0.0005, 2.5e-4, 12_345.6785, 0, 1e12] {
            #expect(cFormat("%.3f", v) == String(format: "%.3f", v))
        }
        #expect(cFormat("%%%02X", UInt32(7)) == "%07")
        #expect(cFormat("\\u%04x", UInt32(0x1F)) == "\\u001f")
        #expect(cFormat("00000000-0000-4000-8000-%012ld", 42) == "00000000-0000-4000-8000-000000000042")
        let long = cFormat("%0200ld", 5)
        #expect(long.count == 200 && long.hasSuffix("05"))
    }

    @Test func errorsInWords() {
        #expect(errorText(CocoaError(.fileWriteUnknown, userInfo: ["NSLocalizedDescription": "disk on fire"])) == "disk on fire")
        #expect(errorText(POSIXError(.ENOENT)) == "No such file or directory")
        do {
            _ = try FileManager.default.contentsOfDirectory(atPath: "/no/such/folder")
            Issue.record("listed a missing folder")
        } catch {
            #expect(errorText(error) == "No such file or directory")
        }
    }

    /// What NSRegularExpression found: the first group of the first match, or the whole match.
    static func icu(_ pattern: String, _ text: String) -> String?? {
        guard let r = try? NSRegularExpression(pattern: pattern) else { return .none }
        guard let m = r.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return .some(nil) }
        let group = m.numberOfRanges > 1 ? m.range(at: 1) : m.range
        return .some(Range(group, in: text).map { String(text[$0]) })
    }

    static let regexCases: [(String, String)] = [
        ("^[0-9a-f-]{36}$", "3f2a1c9e-0000-4000-8000-000000000001"), ("^[0-9a-f-]{36}$", "3f2a1c9e-0000-4000-8000-000000000001\n"),
        ("/([^/]+)$", "/api/x/12"), ("/tasks/(\\d+)", "/tasks/42/x"), ("^([^=]+)=", "a=b"), ("build ([0-9]+)", "build 123"),
        ("session=([^;]+)", "session=abc; Path=/"), ("\\bfoo\\b", "a foo."), ("\\bfoo\\b", "afoo"), ("\\b\\d", "x 12"), ("\\b\\d", "3.14"), ("\\ba\\b", "a.b"),
        ("\\bt\\b", "can't"), ("\\B\\d", "x-1"),
        ("^a.c$", "a\nc"), ("(?i)ABC", "xabcx"), ("\\w+", "héllo wörld"), ("(a)|(b)", "b"), ("\\d+", "٣٤"), ("\\p{L}+", "日本語"),
        ("a$", "a\n"), ("a$", "a\r\n"), ("a$", "a\n\n"), ("a$", "a\u{2028}"), ("a[$]", "a$"), ("a\\$", "a$"), ("\\Q$\\E", "$"),
        ("(?m)a$", "a\nb"), ("^x$|^y$", "y\n"), ("[^$]$", "b\r"), ("([", "x"), ("(?<n>x)y", "xy"), ("x{2,}", "xxx"),
        ("[[:alpha:]]+", "ab1"), ("\\Qa.b\\E", "a.b"), ("\\s+", "a\u{A0}b"), ("(?m)^b$", "a\nb\nc"), ("a++b", "aab"), ("\\x{41}", "A"),
        ("[^\\s]+", "ab cd"), ("\\.json$", "x.json"), ("", "x"), ("(x)?y", "y"),
    ]

    @Test func regexesFindWhatICUFound() throws {
        for (pattern, text) in Self.regexCases {
            let regex = try? UserRegex(pattern)
            let found: String?? = try regex.map { .some(try $0.firstGroup(in: text)) } ?? .none
            #expect(found == Self.icu(pattern, text), "\(pattern.debugDescription) on \(text.debugDescription)")
            #expect(try regex?.matches(text) == (found.map { _ in Self.icuMatches(pattern, text) } ?? nil), "\(pattern.debugDescription)")
        }
    }

    /// Where Swift's engine and ICU part (by character, not code point), and what Vigil does.
    @Test func regexesMatchByCharacter() throws {
        #expect(try UserRegex("^.$").matches("🇫🇷"))
        #expect(try UserRegex("é").matches("e\u{301}"))
        #expect(throws: (any Error).self) { try UserRegex("") }
    }

    static func icuMatches(_ pattern: String, _ text: String) -> Bool? {
        guard let r = try? NSRegularExpression(pattern: pattern) else { return nil }
        return r.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
