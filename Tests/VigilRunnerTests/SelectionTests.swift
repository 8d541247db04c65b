import Testing
import VigilCore
import VigilRunner

/// `--tag`, `--skip-tag`, `--filter`: which requests are selected, and the reason for those left out.
@Suite struct SelectionTests {
    static func spec(_ name: String, tags: [String] = []) throws -> RequestSpec {
        let yaml = "requests:\n  - name: \(name)\n    GET: http://x/\n    tags: [\(tags.joined(separator: ", "))]\n"
        return try CollectionLoader.load(yaml, file: "c.yaml").requests[0]
    }

    @Test func tagsSelectAndTheCollectionsTagsApplyToItsRequests() throws {
        let s = Selection(tags: ["smoke", "ptz"])
        #expect(s.reason(for: try Self.spec("a", tags: ["ptz"]), collectionTags: []) == nil)
        #expect(s.reason(for: try Self.spec("b"), collectionTags: ["smoke"]) == nil)
        #expect(s.reason(for: try Self.spec("c", tags: ["slow"]), collectionTags: []) == "not tagged smoke or ptz")
    }

    @Test func skipTagsWinOverTags() throws {
        let s = Selection(tags: ["smoke"], skipTags: ["slow"])
        #expect(s.reason(for: try Self.spec("a", tags: ["slow"]), collectionTags: ["smoke"]) == "tagged slow (--skip-tag slow)")
    }

    @Test func theFilterMatchesAnywhereInTheNameAndIsCaseSensitive() throws {
        let s = Selection(filter: try NameFilter("^Create|event$"))
        #expect(s.reason(for: try Self.spec("Create a user"), collectionTags: []) == nil)
        #expect(s.reason(for: try Self.spec("Delete the event"), collectionTags: []) == nil)
        #expect(s.reason(for: try Self.spec("create a user"), collectionTags: []) == "name does not match --filter '^Create|event$'")
        #expect(throws: (any Error).self) { try NameFilter("(unclosed") }
    }
}
