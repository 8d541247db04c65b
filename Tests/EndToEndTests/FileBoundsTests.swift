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
        """

    @Test func pathsOutsideTheCollectionsFolderAreRefused() async throws {
        let dir = try scratch([
            "shared/c.yaml": Self.collection, "shared/body.json": #"{"ok":true}"#, "secret.txt": "the user's secret",
            "work/env.yaml": "name: Emulator\nserver: embedded\n",
        ])
        try FileManager.default.createSymbolicLink(
            atPath: dir.appendingPathComponent("shared/link.txt").path,
            withDestinationPath: dir.appendingPathComponent("secret.txt").path)
        let work = dir.appendingPathComponent("work")
        let r = try await vigil(["run", "../shared/c.yaml", "-e", "env.yaml", "--verbose"], in: work)
        #expect(r.status == 1, "\(r.all)")
        #expect(r.stdout.contains("✓ Inside"), "\(r.stdout)")
        for (name, why) in [("Parent", "it leads"), ("Absolute", "an absolute path"), ("Link", "a symbolic link leads")] {
            #expect(r.stdout.contains("✗ finally: \(name)"), "\(r.stdout)")
            #expect(r.stdout.contains("is outside the collection's folder (\(why) out of"), "\(name): \(r.stdout)")
        }
        #expect(!r.all.contains("the user's secret"))

        let granted = try await vigil(["run", "../shared/c.yaml", "-e", "env.yaml", "--allow-path", dir.path], in: work)
        // Granted: sent (the emulator answers 405 to a POST there); /etc stays out.
        #expect(!granted.stdout.contains("outside the collection's folder (it leads"), "\(granted.stdout)")
        #expect(!granted.stdout.contains("(a symbolic link leads"), "\(granted.stdout)")
        #expect(granted.stdout.contains("'/etc/hostname' is outside the collection's folder (an absolute path"), "\(granted.stdout)")
    }
}
