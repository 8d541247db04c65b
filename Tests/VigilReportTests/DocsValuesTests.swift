import Foundation
import Testing
import VigilCore
@testable import VigilReport

/// The stand-ins docs pages show for the ids and timestamps a run makes.
@Suite struct DocsValuesTests {
    /// 2026-12-01T01:00:00Z: timestamps of that day are the run's own.
    let now = Date(timeIntervalSince1970: 1_796_083_200 + 3_600)
    let camera = "a0dd1b7e-2f32-40a2-ad76-203fae0590c2"
    let event = "93345da5-de2b-415c-afe3-968f4b28cccd"

    @Test func anIdIsReplacedByTheSameRealLookingStandInEverywhereOnThePage() {
        var values = DocsValues(now: now)
        let text = """
            {"id": "\(camera)", "relations": {"self": {"id": "\(camera)"}}}
            GET {{baseUrl}}/api/rest/v1/cameras/\(camera)/ptzPresets?owner=\(event)&again=\(camera)
            curl "$BASE_URL"'/api/rest/v1/cameras/\(camera.uppercased())'
            {"path":{"id":"\(event)"}}
            """
        let out = values.apply(text)
        let first = DocsValues.standInID(1), second = DocsValues.standInID(2)
        #expect(
            out == """
                {"id": "\(first)", "relations": {"self": {"id": "\(first)"}}}
                GET {{baseUrl}}/api/rest/v1/cameras/\(first)/ptzPresets?owner=\(second)&again=\(first)
                curl "$BASE_URL"'/api/rest/v1/cameras/\(first.uppercased())'
                {"path":{"id":"\(second)"}}
                """)
        // Real-looking: a version 4 UUID, not a counter, and each number its own.
        #expect(first.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil, "\(first)")
        #expect(!first.hasPrefix("00000000"))
        #expect(Set((1...1_000).map(DocsValues.standInID)).count == 1_000)
    }

    @Test func theSamePageTextGivesTheSameStandInsWhateverTheRunsIdsWere() {
        // Two runs: the emulator made other ids, in the same order: the pages are the same.
        func page(_ a: String, _ b: String) -> String {
            var values = DocsValues(now: now)
            return values.apply("created \(a), then \(b), read \(a)")
        }
        #expect(page(camera, event) == page(event, camera))
        #expect(page(camera, event).contains(camera) == false)
    }

    @Test func aCapturedPartOfAnIdBecomesTheSamePartOfItsStandIn() {
        var values = DocsValues(now: now)
        let block = String(camera.prefix(8)), dashless = camera.replacingOccurrences(of: "-", with: "")
        let text = "body {\"id\": \"\(camera)\"}\ncaptured `\"\(block)\"` and `\"\(dashless)\"`\nGET /short/\(block)/x, not 1\(block)"
        let out = values.apply(text, captured: [block, dashless, "1"])
        let standIn = DocsValues.standInID(1)
        #expect(
            out
                == "body {\"id\": \"\(standIn)\"}\ncaptured `\"\(standIn.prefix(8))\"` and `\"\(standIn.replacingOccurrences(of: "-", with: ""))\"`\nGET /short/\(standIn.prefix(8))/x, not 1\(block)"
        )
    }

    @Test func anIdCutShortByAnExcerptIsCutFromItsStandIn() {
        var values = DocsValues(now: now)
        let out = values.apply("[\"\(camera)\", \"\(event)\"] then `[\"\(camera)\", \"\(event.prefix(12))…`")
        let first = DocsValues.standInID(1), second = DocsValues.standInID(2)
        #expect(out == "[\"\(first)\", \"\(second)\"] then `[\"\(first)\", \"\(second.prefix(12))…`")
    }

    @Test func runTimestampsBecomeStandInsInTheirOwnFormAndOldOnesStay() {
        var values = DocsValues(now: now)
        let text = """
            made 2026-12-01T01:02:03.1234567Z, again 2026-12-01T01:02:03.1234567Z, then 2026-12-01T00:59:00+01:00
            query ?from=2026-12-01T00%3A10%3A00Z&day=2026-12-01 seed 2025-06-11T08:00:00.0000000Z old 2001-01-01T00:00:00Z
            captured `"01:02:03"`
            """
        let out = values.apply(text, captured: ["01:02:03", "2026-12-01T01:02:03.1234567Z"])
        #expect(
            out == """
                made 2025-06-11T09:00:00.0000000Z, again 2025-06-11T09:00:00.0000000Z, then 2025-06-11T09:00:01+01:00
                query ?from=2025-06-11T09%3A00%3A02Z&day=2025-06-11 seed 2025-06-11T08:00:00.0000000Z old 2001-01-01T00:00:00Z
                captured `"09:00:00"`
                """)
    }

    @Test func keepValuesLeavesIdsAndTimesButStillWritesTheBaseURL() {
        var s = DocsStabilizer(baseURL: "http://127.0.0.1:41234")
        s.keepsValues = true
        let text = "GET http://127.0.0.1:41234/cameras/\(camera) at 2026-12-01T01:02:03Z"
        #expect(s.apply(text, now: now) == "GET {{baseUrl}}/cameras/\(camera) at 2026-12-01T01:02:03Z")
        s.keepsValues = false
        #expect(s.apply(text, now: now) == "GET {{baseUrl}}/cameras/\(DocsValues.standInID(1)) at 2025-06-11T09:00:00Z")
    }

    @Test func numbersAndWordsThatOnlyLookLikeValuesAreLeft() {
        var values = DocsValues(now: now)
        let text = "x\(camera) \(camera)0 v2026-12-01 2026-12-011 12026-12-01T00:00:00Z"
        #expect(values.apply(text) == text)
    }
}

/// Collections with the same file name in different folders get pages and recordings of their own.
@Suite struct CollectionPathsTests {
    @Test func aSharedFileNameTakesTheFoldersThatTellTheFilesApart() {
        let stems = CollectionPaths.stems([
            "collections/team-a/01-cameras.yaml", "collections/team-b/01-cameras.yaml", "collections/02-events.yaml", "./x/a.yaml", "./x/a.yml",
        ])
        #expect(stems["collections/team-a/01-cameras.yaml"] == "team-a/01-cameras")
        #expect(stems["collections/team-b/01-cameras.yaml"] == "team-b/01-cameras")
        #expect(stems["collections/02-events.yaml"] == "02-events")
        #expect(stems["./x/a.yaml"] == "a-yaml")
        #expect(stems["./x/a.yml"] == "a-yml")
    }
}
