import Foundation
import Testing

/// Issue 14, points 1 and 2: include steps and forEach loops through the binary.
@Suite struct IncludeEndToEndTests {
    static let files: [String: String] = [
        "env.yaml": embeddedEnvironment(),
        "suite/common/check.yaml": """
        - name: Sites
          GET: "{{api}}/sites"
          expect: { status: 200 }
          capture: { siteId: "array[0].id" }
        - name: Site
          GET: "{{api}}/sites/{{siteId}}"
          headers: { X-Tag: "{{tag}}" }
        """,
        "suite/c.yaml": """
        name: Demo
        auth: xprotect
        requests:
          - name: Sign in check
            include: common/check.yaml
            with: { tag: t1 }
          - name: Cameras
            GET: "{{api}}/cameras"
            capture: { cameraIds: { path: "array[*].id", all: true } }
          - name: Camera
            GET: "{{api}}/cameras/{{camera}}"
            forEach: "{{cameraIds}}"
            as: camera
            expect: { body: { data.id: "{{camera}}" } }
        """,
    ]

    @Test func runListAndFilterSeeIncludedAndIteratedSteps() async throws {
        let dir = try scratch(Self.files)
        let r = try await vigil(["run", "suite", "-e", "env.yaml", "--report", "junit=out.xml"], in: dir)
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stdout.contains("✓ Sign in check › Sites  GET"), "\(r.stdout)")
        #expect(r.stdout.contains("✓ Sign in check › Site  GET"), "\(r.stdout)")
        #expect(r.stdout.contains("✓ Camera [1/"), "\(r.stdout)")
        let cameras = r.stdout.split(separator: "\n").filter { $0.contains("✓ Camera [") }.count
        #expect(cameras >= 2 && r.stdout.contains("✓ Camera [\(cameras)/\(cameras)]"), "\(r.stdout)")
        let junit = try String(contentsOf: dir.appendingPathComponent("out.xml"), encoding: .utf8)
        #expect(junit.contains("name=\"Sign in check › Sites\""), "\(junit)")
        #expect(junit.contains("name=\"Camera [2/\(cameras)]\""), "\(junit)")

        let list = try await vigil(["run", "suite", "--list"], in: dir)
        #expect(list.status == 0, "\(list.all)")
        #expect(
            list.stdout.contains(
                "  Sign in check › Sites\n  Sign in check › Site\n  Cameras\n  Camera [for each camera in {{cameraIds}}]\n"),
            "\(list.stdout)")

        let filtered = try await vigil(["run", "suite", "-e", "env.yaml", "--filter", "check|Cameras|Camera \\[1/"], in: dir)
        #expect(filtered.status == 0, "\(filtered.all)")
        #expect(filtered.stdout.contains("✓ Sign in check › Site  GET"), "\(filtered.stdout)")
        #expect(filtered.stdout.contains("✓ Camera [1/"), "\(filtered.stdout)")
        #expect(filtered.stdout.contains("– Camera [2/\(cameras)]  skipped: name does not match --filter"), "\(filtered.stdout)")
    }

    @Test func validateChecksFragmentsWithTheirChain() async throws {
        var files = Self.files
        files["suite/common/check.yaml"] = """
            - name: Sites
              GET: "{{api}}/sites/{{siteID}}"
            - include: ../../../outside.yaml
            """
        let dir = try scratch(files)
        let r = try await vigil(["validate", "suite/c.yaml", "-e", "env.yaml"], in: dir)
        #expect(r.status == 2, "\(r.all)")
        #expect(
            r.stderr.contains(
                "suite/common/check.yaml:3:12: file '../../../outside.yaml' is outside the collection's folder (it leads out of"),
            "\(r.stderr)")
        #expect(r.stderr.contains("(included from suite/c.yaml:4:5)"), "\(r.stderr)")
    }
}
