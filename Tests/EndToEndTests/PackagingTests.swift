import Foundation
import Testing

/// scripts/package.sh (behind `make install` and `make deb`): the files a package holds and where
/// an install puts them, from the binary under test. The man page is a stand-in here: the real
/// one comes from swift-argument-parser's generate-manual plugin, which cannot run inside
/// `swift test` (it takes the package's build folder).
@Suite struct PackagingTests {
    static let script = repositoryRoot.appendingPathComponent("scripts/package.sh").path

    @Test func theDebianPackageHoldsTheBinaryCompletionsAndManPage() async throws {
        let dir = try scratch(["vigil.1": ".Dd December 1, 2026\n.Dt VIGIL 1\n.Sh NAME\n.Nm vigil\n"])
        let built = try runTool(
            "env", ["DEB_OPTIONS=-Znone", "MANPAGE=\(dir.appendingPathComponent("vigil.1").path)", Self.script, "deb", vigilBinary.path, dir.path])
        #expect(built.status == 0, "\(built.output)")
        let deb = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasSuffix(".deb") })
        let arch = try runTool("dpkg", ["--print-architecture"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(deb.hasPrefix("vigil_0.") && deb.hasSuffix("_\(arch).deb"), "\(deb)")
        let listing = try runTool("dpkg-deb", ["-c", dir.appendingPathComponent(deb).path])
        #expect(listing.status == 0)
        let files = listing.output.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }.filter { !$0.hasSuffix("/") }.sorted()
        #expect(
            files == [
                "./usr/bin/vigil", "./usr/share/bash-completion/completions/vigil", "./usr/share/doc/vigil/README.md.gz",
                "./usr/share/fish/vendor_completions.d/vigil.fish", "./usr/share/man/man1/vigil.1.gz", "./usr/share/zsh/site-functions/_vigil",
            ], "\(listing.output)")
        #expect(listing.output.contains("-rwxr-xr-x root/root"), "the binary is executable and owned by root")
        let control = try runTool("dpkg-deb", ["-f", dir.appendingPathComponent(deb).path, "Package", "Depends", "Version"])
        // Depends: the packages of the libraries the binary links (libc6 aside), found by package.sh.
        #expect(
            control.output.contains("Package: vigil") && control.output.contains("Depends: libstdc++6, libxml2, libyaml-0-2, zlib1g\n"), "\(control.output)")
    }

    @Test func installPutsEachFileInItsPlaceAndTheBinaryRuns() async throws {
        let dir = try scratch(["vigil.1": ".Dd December 1, 2026\n.Dt VIGIL 1\n"])
        let stage = dir.appendingPathComponent("stage")
        let installed = try runTool(
            "env", ["MANPAGE=\(dir.appendingPathComponent("vigil.1").path)", Self.script, "install", vigilBinary.path, "/opt/vigil", stage.path])
        #expect(installed.status == 0, "\(installed.output)")
        let bin = stage.appendingPathComponent("opt/vigil/bin/vigil").path
        let version = try runTool(bin, ["--version"])
        #expect(version.status == 0 && version.output.hasPrefix("0."), "\(version.output)")
        let bash = try String(contentsOf: stage.appendingPathComponent("opt/vigil/share/bash-completion/completions/vigil"), encoding: .utf8)
        // -e completes the environments of the folder, --report its kinds, --profile the releases.
        #expect(bash.contains("ls environments/*.yaml") && bash.contains("'junit='") && bash.contains("'2025 R2'"))
        let zsh = try String(contentsOf: stage.appendingPathComponent("opt/vigil/share/zsh/site-functions/_vigil"), encoding: .utf8)
        #expect(zsh.hasPrefix("#compdef vigil"))
        #expect(FileManager.default.fileExists(atPath: stage.appendingPathComponent("opt/vigil/share/man/man1/vigil.1.gz").path))
        let usage = try runTool(Self.script, ["install"])
        #expect(usage.status == 4, "\(usage.output)")
    }
}
