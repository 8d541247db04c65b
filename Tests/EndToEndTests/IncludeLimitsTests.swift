import Foundation
import Testing

/// Include steps nested too deep, or multiplying too much, are errors at their place (exit 2)
/// instead of a stack overflow or an expansion that never ends.
@Suite struct IncludeLimitsTests {
    /// A collection including `d0.yaml`, each `dN.yaml` including the next `times` times, the
    /// last (`d<depth>.yaml`) one request.
    static func chain(depth: Int, times: Int = 1) -> [String: String] {
        var files = ["c.yaml": "name: c\nrequests:\n  - include: d0.yaml\n"]
        for i in 0..<depth {
            files["d\(i).yaml"] = String(repeating: "- include: d\(i + 1).yaml\n", count: times)
        }
        files["d\(depth).yaml"] = "- GET: \"http://127.0.0.1:1/deep\"\n"
        return files
    }

    @Test func includesNestAtMost64Deep() async throws {
        // 64 include steps, one inside the other: the limit itself loads.
        let atLimit = try await vigil(["validate", "c.yaml"], in: try scratch(Self.chain(depth: 63)))
        #expect(atLimit.status == 0, "\(atLimit.all)")

        for depth in [64, 1000] {
            let r = try await vigil(["validate", "c.yaml"], in: try scratch(Self.chain(depth: depth)))
            #expect(r.status == 2, "\(r.all)")
            #expect(
                r.stderr.contains(
                    "d63.yaml:1:12: includes nest more than 64 deep (the limit): c.yaml → d0.yaml → d1.yaml → … → d62.yaml → d63.yaml → d64.yaml (66 files) (included from d62.yaml:1:3, "
                ), "\(r.stderr)")
            #expect(r.stderr.contains("included from c.yaml:3:5)"), "\(r.stderr)")
        }
    }

    @Test func includesThatMultiplyStopAtTheLimitAtTheCollectionsStep() async throws {
        // Forty fragments each including the next twice stand for 2^40 requests.
        let dir = try scratch(Self.chain(depth: 40, times: 2))
        let clock = ContinuousClock()
        let start = clock.now
        let r = try await vigil(["validate", "c.yaml"], in: dir)
        #expect(clock.now - start < .seconds(30))
        #expect(r.status == 2, "\(r.all)")
        #expect(
            r.stderr.contains(
                "c.yaml:3:5: include steps expand to more than 100000 requests or include steps (the limit of a collection)"),
            "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count < 5, "\(r.stderr)")
    }
}
