import Testing
import VigilCore

@Suite struct ReleaseTests {
    @Test(arguments: [("2024 R2", 2024, 2), ("2024R2", 2024, 2), ("24r2", 2024, 2), ("2021-R2", 2021, 2)])
    func namesParse(text: String, year: Int, number: Int) {
        #expect(Release(name: text) == Release(year: year, number: number))
    }

    @Test(arguments: [("25.2.0.1", "2025 R2"), ("22.1.5804.1", "2022 R1"), ("25.1.1804.0", "2025 R1"), ("23.2", "2023 R2")])
    func versionsMapToReleases(version: String, name: String) {
        #expect(Release(version: version)?.description == name)
    }

    @Test func nonsenseIsRejected() {
        #expect(Release(name: "latest") == nil)
        #expect(Release(version: "abc") == nil)
        #expect(ReleaseRange(parsing: "soon") == nil)
        #expect(ReleaseRange(parsing: "2022 R1 2023 R1") == nil)
    }

    @Test func rangesHoldWhatTheySay() throws {
        let r = try #require(ReleaseRange(parsing: ">= 2022 R2 < 2025 R1"))
        #expect(r.description == ">= 2022 R2 < 2025 R1")
        #expect(!r.contains(Release(name: "2022 R1")!))
        #expect(r.contains(Release(name: "2022 R2")!))
        #expect(r.contains(Release(name: "2024 R2")!))
        #expect(!r.contains(Release(name: "2025 R1")!))
        #expect(ReleaseRange(parsing: "2023 R2")?.contains(Release(name: "2023 R2")!) == true)
        #expect(ReleaseRange(parsing: "== 2024 R1")?.contains(Release(name: "2024 R2")!) == false)
        #expect(gateReason(ReleaseRange(parsing: "2023 R2")!, release: nil)?.contains("unknown") == true)
    }

    @Test func gatesAndReleaseKeysDecode() throws {
        let c = try CollectionLoader.load(
            """
            requires: 2022 R1
            requests:
              - GET: http://x
                requires: "< 2025 R1"
                expect:
                  body:
                    enabled: { "< 2022 R2": "True", default: true }
                    ptz: { requires: 2023 R1, type: boolean }
            """, file: "c.yaml")
        #expect(c.requires?.description == ">= 2022 R1")
        #expect(c.requests[0].requires?.description == "< 2025 R1")
        guard case .byRelease(let cases, let fallback) = c.requests[0].expect.body[0].matcher else {
            Issue.record("not release-keyed")
            return
        }
        #expect(cases.count == 1 && fallback != nil)
        #expect(c.requests[0].expect.body[1].requires?.description == ">= 2023 R1")
    }

    @Test func aBadRangeIsALoadErrorWithItsPosition() throws {
        let error = try #require(throws: LoadError.self) {
            try CollectionLoader.load("requests:\n  - GET: http://x\n    requires: someday\n", file: "c.yaml")
        }
        #expect(error.description.hasPrefix("c.yaml:3:15: requires takes a release or a range"))
    }
}
