import Foundation
import Testing

/// `vigil query`: trying a capture on a saved response.
@Suite struct QueryCommandTests {
    static let response = #"{"array":[{"id":"a","ptzEnabled":true,"name":"PTZ 1"},{"id":"b","ptzEnabled":false,"name":"Fixed"}]}"#

    @Test func printsTheSelectedValuesOrTheirPaths() async throws {
        let dir = try scratch(["r.json": Self.response])
        let values = try await vigil(["query", "$.array[?@.ptzEnabled == true].id", "r.json"], in: dir)
        #expect(values.status == 0)
        #expect(values.stdout == "[\"a\"]\n")
        let paths = try await vigil(["query", "--paths", "array[*].id", "r.json"], in: dir)
        #expect(paths.stdout == "[\"$['array'][0]['id']\",\"$['array'][1]['id']\"]\n")
        let none = try await vigil(["query", "$.nothing", "r.json"], in: dir)
        #expect(none.stdout == "[]\n")
    }

    @Test func anInvalidQueryExits2WithTheColumn() async throws {
        let dir = try scratch(["r.json": Self.response])
        let r = try await vigil(["query", "$.array[?@.id ==]", "r.json"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("query:1:"), "\(r.stderr)")
    }

    @Test func invalidJSONExits2WithThePosition() async throws {
        let dir = try scratch(["bad.json": "{\n  \"a\": tru\n}"])
        let r = try await vigil(["query", "a", "bad.json"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("bad.json:2:"), "\(r.stderr)")
    }
}
