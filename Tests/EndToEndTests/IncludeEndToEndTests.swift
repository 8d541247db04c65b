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

/// Issue 14, point 2: lists and objects from the command line, for forEach.
@Suite struct VariableListEndToEndTests {
    static let files: [String: String] = [
        "env.yaml": embeddedEnvironment(),
        "vars.yaml": """
        sites: [one, two, three]
        user: { name: ana, id: 7 }
        """,
        "c.yaml": """
        name: Lists
        auth: xprotect
        requests:
          - name: Each
            GET: "{{api}}/sites?s={{site}}&u={{user.name}}-{{user.id}}&i={{site.index}}"
            forEach: "{{sites}}"
            as: site
        """,
    ]

    @Test func varFileAndVarListsFeedForEach() async throws {
        let dir = try scratch(Self.files)
        let fromFile = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--var-file", "vars.yaml"], in: dir)
        #expect(fromFile.status == 0, "\(fromFile.all)")
        #expect(fromFile.stdout.contains("✓ Each [3/3]  GET "), "\(fromFile.stdout)")
        #expect(fromFile.stdout.contains("/sites?s=three&u=ana-7&i=2 → 200"), "\(fromFile.stdout)")

        // --var wins over the file, and gives a list of its own.
        let inline = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--var-file", "vars.yaml", "--var", "sites=[10, 20]"], in: dir)
        #expect(inline.status == 0, "\(inline.all)")
        #expect(inline.stdout.contains("✓ Each [2/2]  GET "), "\(inline.stdout)")
        #expect(inline.stdout.contains("/sites?s=20&u=ana-7&i=1 → 200"), "\(inline.stdout)")

        let malformed = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--var", "sites=[1, 2"], in: dir)
        #expect(malformed.status == 4, "\(malformed.all)")
        #expect(malformed.stderr.contains("--var sites: not a valid list or mapping"), "\(malformed.stderr)")

        let text = try scratch(Self.files.merging(["vars.yaml": "sites: [a]\n9bad name: 1\n"]) { $1 })
        let bad = try await vigil(["validate", "c.yaml", "-e", "env.yaml", "--var-file", "vars.yaml"], in: text)
        #expect(bad.status == 2, "\(bad.all)")
        #expect(bad.stderr.contains("vars.yaml:2:1: '9bad name' is not a variable name"), "\(bad.stderr)")

        // A non-list value for forEach is an error of the step, at the forEach's place.
        let scalar = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--var-file", "vars.yaml", "--var", "sites=abc"], in: dir)
        #expect(scalar.status == 3, "\(scalar.all)")  // an error of the run, like a request with no usable response
        #expect(scalar.stdout.contains("forEach needs a list, but {{sites}} is text ('abc') (forEach at c.yaml:6:14)"), "\(scalar.stdout)")
    }
}

/// Issue 14, point 2: data-driven runs (`data:` and `--data`).
@Suite struct DataEndToEndTests {
    static let files: [String: String] = [
        "env.yaml": embeddedEnvironment(),
        "rows.csv": "name,note\nData one,\"a, b\"\nData two,\"line\nbreak\"\n",
        "other.yaml": "- { name: From yaml, note: x }\n",
        "c.yaml": """
        name: Rows
        auth: xprotect
        data: rows.csv
        requests:
          - name: Create
            POST: "{{api}}/userDefinedEvents"
            json: { name: "{{name}} {{$uuid}}", note: "{{note}}" }
            expect: { status: 201, body: { result.name: { startsWith: "{{name}} " } } }
            capture: { id: result.id }
        finally:
          - name: Delete
            DELETE: "{{api}}/userDefinedEvents/{{id}}"
            when: { id: { exists: true } }
        """,
    ]

    @Test func eachRowIsASuiteAndABadRowIsAnErrorAtItsLine() async throws {
        let dir = try scratch(Self.files)
        let r = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--report", "junit=j.xml", "--record", "rec"], in: dir)
        #expect(r.status == 0, "\(r.all)")
        for row in 1...2 {
            let recorded = dir.appendingPathComponent("rec/c-row-\(row)/01-create.json").path
            #expect(FileManager.default.fileExists(atPath: recorded), "a recording per row: \(recorded)")
        }
        #expect(r.stdout.contains("Rows [row 1]  c.yaml"), "\(r.stdout)")
        #expect(r.stdout.contains("Rows [row 2]  c.yaml"), "\(r.stdout)")
        #expect(r.stdout.contains("4 passed, 0 failed, 0 skipped"), "\(r.stdout)")
        let junit = try String(contentsOf: dir.appendingPathComponent("j.xml"), encoding: .utf8)
        #expect(junit.contains("<testsuite name=\"Rows [row 1] · Test emulator\""), "\(junit)")
        #expect(junit.contains("<testsuite name=\"Rows [row 2] · Test emulator\""), "\(junit)")

        let list = try await vigil(["run", "c.yaml", "--list", "--data", "other.yaml"], in: dir)
        #expect(list.stdout.contains("Rows [row 1]  (c.yaml)\n  Create\n  finally: Delete\n"), "\(list.stdout)")
        #expect(!list.stdout.contains("[row 2]"), "\(list.stdout)")

        let bad = try scratch(Self.files.merging(["rows.csv": "name,note\nfine,x\nshort\n"]) { $1 })
        let v = try await vigil(["validate", "c.yaml"], in: bad)
        #expect(v.status == 2, "\(v.all)")
        #expect(v.stderr.contains("rows.csv:3:1: row 2 has no value for column 'note', which request 'Create' of c.yaml uses"), "\(v.stderr)")
    }
}

/// A fragment named on its own is not run as a collection.
@Suite struct FragmentAloneTests {
    @Test func runningAFragmentSaysWhatItIs() async throws {
        let dir = try scratch(["f.yaml": "- GET: http://127.0.0.1:1/\n"])
        let r = try await vigil(["validate", "f.yaml"], in: dir)
        #expect(r.status == 2, "\(r.all)")
        #expect(r.stderr.contains("f.yaml: a list of requests is an include: fragment, not a collection"), "\(r.stderr)")
    }
}
