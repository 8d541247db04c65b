import Testing
import VigilCore
import VigilJSON

@testable import VigilDrift

/// Recordings stay comparable: GUIDs, ISO dates and token fields become markers, nothing else
/// changes.
@Suite struct NormalizerTests {
    @Test(arguments: [
        ("2025-06-11T08:00:00.0000000Z", true), ("2025-06-11T08:00:00Z", true), ("2025-06-11T08:00", true),
        ("2025-06-11T08:00:00+02:00", true), ("2025-06-11T08:00:00-0530", true), ("0001-01-01T00:00:00.0000000", true),
        ("2025-06-11 08:00:00", false), ("2025-06-11T08:00:00Zx", false), ("2025-06-11T8:00:00Z", false), ("2025-06-11", false),
        ("x2025-06-11T08:00:00Z", false), ("2025-06-11T08:00:00.Z", false),
    ])
    func timestamps(_ text: String, _ isTimestamp: Bool) {
        #expect(Array(text.utf8).withUnsafeBufferPointer { Normalizer.isTimestamp($0) } == isTimestamp, "\(text)")
        #expect((Normalizer.normalizeText(text) == "<timestamp>") == isTimestamp, "\(text)")
    }

    @Test func guidsAnywhereInATextAreReplaced() {
        #expect(Normalizer.normalizeText("93345da5-de2b-415c-afe3-968f4b28cccd") == "<guid>")
        #expect(
            Normalizer.normalizeText("/cameras/93345DA5-DE2B-415C-AFE3-968F4B28CCCD/presets/a8a8b9dc-7e5f-4c3b-9a1d-2e3f4a5b6c7d?x")
                == "/cameras/<guid>/presets/<guid>?x")
        #expect(Normalizer.normalizeText("93345da5-de2b-415c-afe3-968f4b28ccc") == "93345da5-de2b-415c-afe3-968f4b28ccc")
        #expect(Normalizer.normalizeText("g3345da5-de2b-415c-afe3-968f4b28cccd") == "g3345da5-de2b-415c-afe3-968f4b28cccd")
        #expect(Normalizer.normalizeText("a plain text, long enough - with a dash") == "a plain text, long enough - with a dash")
        #expect(Normalizer.normalizeText("é-93345da5-de2b-415c-afe3-968f4b28cccd-é") == "é-<guid>-é")
    }

    @Test func aDocumentKeepsItsShapeAndOrder() throws {
        let doc = try JSONValue(
            parsing: Array(
                #"{"id":"93345da5-de2b-415c-afe3-968f4b28cccd","name":"Lobby","lastModified":"2025-06-11T08:00:00Z","access_token":"abc","n":[1,"2025-06-11T08:00Z"]}"#
                    .utf8))
        let normalized = Normalizer().normalize(doc)
        #expect(
            normalized.serialized()
                == #"{"id":"<guid>","name":"Lobby","lastModified":"<timestamp>","access_token":"<token>","n":[1,"<timestamp>"]}"#)
    }

    /// What the defaults leave alone is the original value, storage included: recording a
    /// 60 MB body copies only the lists and objects that hold a GUID, a date or a token.
    @Test func unchangedPartsKeepTheirStorage() throws {
        let text = #"{"plain": [{"name": "a long enough name without markers", "n": 1}], "ids": ["4b2ec0e0-aa98-11ea-b4aa-73b441d16380"]}"#
        let value = try JSONValue(parsing: Array(text.utf8))
        #expect(Normalizer.defaults(.array([.int(1), .string("x")]), key: nil) == nil)
        let normalized = Normalizer.defaults(value, key: nil)
        #expect(normalized?.serialized() == #"{"plain":[{"name":"a long enough name without markers","n":1}],"ids":["<guid>"]}"#)
        guard case .object(let before) = value, case .object(let after)? = normalized,
            case .array(let plainBefore)? = before["plain"], case .array(let plainAfter)? = after["plain"]
        else {
            Issue.record("not an object")
            return
        }
        let same = plainBefore.withUnsafeBufferPointer { a in plainAfter.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
        #expect(same, "the list without markers is the original storage")
    }

    /// The recorder writes the defaults as it prints (no normalized copy of the tree): the text
    /// is the normalized value's, rules and defaults together, at any level and chunk size.
    @Test func writingNormalizedGivesTheNormalizedText() throws {
        let text = #"""
            {"id":"93345da5-de2b-415c-afe3-968f4b28cccd","token":{"access_token":5,"token":"x"},
             "items":[{"name":"a","seen":"2025-06-11T08:00:00Z","path":"/c/A8A8B9DC-7E5F-4C3B-9A1D-2E3F4A5B6C7D/x"},
                      "2025-06-11T08:00Z", "plain text without any marker at all", [], {}],
             "secret":"keep me"}
            """#
        let value = try JSONValue(parsing: Array(text.utf8))
        let rule = NormalizationRule(path: try JSONPath("$.secret"), marker: "<secret>")
        for normalizer in [Normalizer(), Normalizer(rules: [rule])] {
            for level in [0, 1] {
                var written: [UInt8] = []
                normalizer.writeNormalized(value, level: level) { written.append(contentsOf: $0) }
                #expect(String(decoding: written, as: UTF8.self) == normalizer.normalize(value).serialized(pretty: true, level: level))
            }
        }
        var written: [UInt8] = []
        Normalizer(rules: [rule]).writeNormalized(value) { written.append(contentsOf: $0) }
        let out = String(decoding: written, as: UTF8.self)
        #expect(out.contains(#""id": "<guid>""#) && out.contains(#""token": "<token>""#) && out.contains(#""access_token": 5"#))
        #expect(out.contains(#""path": "/c/<guid>/x""#) && out.contains(#""secret": "<secret>""#) && !out.contains("keep me"))
    }
}
