import Foundation
import Testing

/// A shared collection cannot read the user's files: `file:` bodies stay inside its folder.
@Suite struct FileBoundsTests {
    static let collection = """
        name: Hostile
        requests:
          - name: Inside
            POST: "{{baseUrl}}/api/.well-known/uris"
            file: body.json
            expect: { status: { gte: 200 } }
        finally:
          - name: Parent
            POST: "{{baseUrl}}/api/.well-known/uris"
            file: ../secret.txt
          - name: Absolute
            POST: "{{baseUrl}}/api/.well-known/uris"
            file: /etc/hostname
          - name: Link
            POST: "{{baseUrl}}/api/.well-known/uris"
            file: link.txt
          - name: Schema
            GET: "{{baseUrl}}/api/.well-known/uris"
            expect: { body: { a: { not: { schema: ../secret.txt } } } }
        """

    /// The current directory widens the root to a project's folder, never to the home folder:
    /// run from `~` as `vigil run Downloads/vendor/smoke.yaml`, the collection cannot read
    /// `~/.ssh`; from a project folder it reads its sibling `data/` folder.
    @Test func runFromTheHomeFolderTheRootIsTheCollectionsFolder() async throws {
        let dir = try scratch([
            "home/Downloads/vendor/smoke.yaml": """
            name: Smoke
            requests:
              - name: Key
                POST: "{{baseUrl}}/api/.well-known/uris"
                file: ../../.ssh/id_rsa
            """,
            "home/.ssh/id_rsa": "PRIVATE KEY",
            "home/project/collections/c.yaml": """
            name: Project
            requests:
              - name: Data
                POST: "{{baseUrl}}/api/.well-known/uris"
                file: ../data/body.json
            """,
            "home/project/data/body.json": "{}",
        ])
        let home = dir.appendingPathComponent("home")
        for cwd in [home, dir] {
            let r = try await vigil(["validate", (cwd == home ? "" : "home/") + "Downloads/vendor/smoke.yaml"], in: cwd, environment: ["HOME": home.path])
            #expect(r.status == 2, "\(r.all)")
            #expect(r.stderr.contains("file '../../.ssh/id_rsa' is outside the collection's folder (it leads out of"), "\(r.stderr)")
        }
        let project = try await vigil(["validate", "collections/c.yaml"], in: home.appendingPathComponent("project"), environment: ["HOME": home.path])
        #expect(project.status == 0, "\(project.all)")
        // Granted deliberately, the home folder is the user's to give.
        let granted = try await vigil(["validate", "Downloads/vendor/smoke.yaml", "--allow-path", "."], in: home, environment: ["HOME": home.path])
        #expect(granted.status == 0, "\(granted.all)")
    }

    @Test func pathsOutsideTheCollectionsFolderAreRefused() async throws {
        let dir = try scratch([
            "shared/c.yaml": Self.collection, "shared/body.json": #"{"ok":true}"#, "secret.txt": "the user's secret",
            "shared/templated.yaml": """
            name: Templated
            requests:
              - name: Inside
                POST: "{{baseUrl}}/api/.well-known/uris"
                file: "{{inside}}"
                expect: { status: { gte: 200 } }
              - name: Parent
                POST: "{{baseUrl}}/api/.well-known/uris"
                file: "{{parent}}"
            """,
            "work/env.yaml": "name: Emulator\nserver: embedded\nvariables: { inside: body.json, parent: ../secret.txt }\n",
        ])
        try FileManager.default.createSymbolicLink(
            atPath: dir.appendingPathComponent("shared/link.txt").path,
            withDestinationPath: dir.appendingPathComponent("secret.txt").path)
        try FileManager.default.createSymbolicLink(
            atPath: dir.appendingPathComponent("shared/loop1").path, withDestinationPath: dir.appendingPathComponent("shared/loop2").path)
        try FileManager.default.createSymbolicLink(
            atPath: dir.appendingPathComponent("shared/loop2").path, withDestinationPath: dir.appendingPathComponent("shared/loop1").path)
        let work = dir.appendingPathComponent("work")
        // Literal paths are refused before anything is sent, by validate and by run, each at
        // the place it is written.
        let expected = [
            ("10:11", "'../secret.txt'", "it leads"), ("13:11", "'/etc/hostname'", "an absolute path"), ("16:11", "'link.txt'", "a symbolic link leads"),
            ("19:23", "'../secret.txt'", "it leads"),
        ]
        for command in ["validate", "run"] {
            let r = try await vigil([command, "../shared/c.yaml", "-e", "env.yaml"], in: work)
            #expect(r.status == 2, "\(command): \(r.all)")
            for (place, file, why) in expected {
                #expect(
                    r.stderr.contains("../shared/c.yaml:\(place): file \(file) is outside the collection's folder (\(why) out of"),
                    "\(command) \(file): \(r.stderr)")
            }
            #expect(!r.all.contains("the user's secret"))
            #expect(!r.stdout.contains("Inside"), "nothing runs: \(r.stdout)")
        }
        // Paths from variables are checked when the request is prepared: it is not sent.
        let templated = try await vigil(["run", "../shared/templated.yaml", "-e", "env.yaml", "--verbose"], in: work)
        #expect(templated.status == 1, "\(templated.all)")
        #expect(templated.stdout.contains("✓ Inside"), "\(templated.stdout)")
        #expect(templated.stdout.contains("not sent: file '../secret.txt' is outside the collection's folder (it leads out of"), "\(templated.stdout)")
        #expect(!templated.all.contains("the user's secret"))

        // Granted: the parent and the link are readable; /etc stays out.
        let granted = try await vigil(["validate", "../shared/c.yaml", "-e", "env.yaml", "--allow-path", dir.path], in: work)
        #expect(granted.status == 2)
        #expect(!granted.stderr.contains("(it leads"), "\(granted.stderr)")
        #expect(!granted.stderr.contains("(a symbolic link leads"), "\(granted.stderr)")
        #expect(granted.stderr.contains("c.yaml:13:11: file '/etc/hostname' is outside the collection's folder (an absolute path"), "\(granted.stderr)")

        // A loop of symbolic links says so.
        try "name: Loop\nrequests:\n  - POST: http://127.0.0.1:9/x\n    file: loop1\n".write(
            to: dir.appendingPathComponent("shared/loop.yaml"), atomically: true, encoding: .utf8)
        let loop = try await vigil(["validate", "../shared/loop.yaml"], in: work)
        #expect(loop.status == 2 && loop.stderr.contains("loop.yaml:4:11: file 'loop1' is a loop of symbolic links"), "\(loop.all)")
    }

    /// A schema's `$ref` to a file outside the collection's folder is refused before any
    /// request is sent, at the place naming the schema (it was a failed check at run time);
    /// a folder granted with `--allow-path` may hold the schemas it refers to.
    @Test func aSchemasRefOutOfTheRootIsAnErrorBeforeTheRun() async throws {
        let dir = try scratch([
            "suite/c.yaml": """
            name: Schemas
            requests:
              - name: Uris
                GET: "{{baseUrl}}/api/.well-known/uris"
                expect:
                  status: 200
                  schema: schemas/uris.json
            """,
            "suite/schemas/uris.json": #"{"$ref": "../../shared/object.json"}"#,
            "shared/object.json": #"{"type": "object"}"#,
            "bad/c.yaml": """
            name: Broken
            requests:
              - name: Uris
                GET: "{{baseUrl}}/api/.well-known/uris"
                expect: { body: { $: { schema: broken.json } } }
              - name: Again
                GET: "{{baseUrl}}/api/.well-known/uris"
                expect: { body: { $: { schema: broken.json } } }
            """,
            "bad/broken.json": #"{"type": 5}"#,
        ])
        let suite = dir.appendingPathComponent("suite")
        for command in ["validate", "run"] {
            let refused = try await vigil([command, "c.yaml"], in: suite)
            #expect(refused.status == 2, "\(refused.all)")
            #expect(refused.stderr.contains("c.yaml:7:15: "), "\(refused.stderr)")
            #expect(refused.stderr.contains("schema 'schemas/uris.json' refers to file://"), "\(refused.stderr)")
            #expect(refused.stderr.contains("shared/object.json, outside the schema root"), "\(refused.stderr)")
            #expect(refused.stderr.contains("grant a folder with --allow-path DIR"), "\(refused.stderr)")
            #expect(!refused.stdout.contains("Uris"), "nothing is sent: \(refused.stdout)")
        }
        // Granted, the run checks the body against the shared schema and passes.
        let granted = try await vigil(["run", "c.yaml", "--allow-path", "../shared"], in: suite)
        #expect(granted.status == 0, "\(granted.all)")
        #expect(granted.stdout.contains("1 passed"), "\(granted.stdout)")
        // A malformed schema: one error, at the first place naming it.
        let broken = try await vigil(["validate", "bad/c.yaml"], in: dir)
        #expect(broken.status == 2, "\(broken.all)")
        #expect(broken.stderr.contains("bad/c.yaml:5:23: "), "\(broken.stderr)")
        #expect(broken.stderr.contains("schema 'broken.json' cannot be used: invalid schema at"), "\(broken.stderr)")
        #expect(broken.stderr.components(separatedBy: "cannot be used").count == 2, "\(broken.stderr)")
    }

    /// An inline schema is compiled as the collection loads too: a bad pattern or a `$ref`
    /// nothing resolves is an error at its place, not a failed check during the run.
    @Test func aMalformedInlineSchemaIsAnErrorBeforeTheRun() async throws {
        let dir = try scratch([
            "c.yaml": """
            name: Inline
            requests:
              - name: Pattern
                GET: "{{baseUrl}}/api/.well-known/uris"
                expect:
                  schema: { type: object, properties: { a: { pattern: "([" } } }
              - name: Ref
                GET: "{{baseUrl}}/api/.well-known/uris"
                expect: { body: { $: { not: { schema: { $ref: "other.json" } } } } }
              - name: Good
                GET: "{{baseUrl}}/api/.well-known/uris"
                expect: { body: { $: { schema: { type: object } } } }
            """
        ])
        for command in ["validate", "run"] {
            let r = try await vigil([command, "c.yaml"], in: dir)
            #expect(r.status == 2, "\(r.all)")
            #expect(r.stderr.contains("c.yaml:6:15: inline schema cannot be used: invalid schema at urn:vigil:schema#/properties/a/pattern"), "\(r.stderr)")
            #expect(r.stderr.contains("c.yaml:9:23: inline schema cannot be used: cannot resolve \"other.json\""), "\(r.stderr)")
            #expect(!r.stdout.contains("Good"), "nothing is sent: \(r.stdout)")
        }
    }
}
