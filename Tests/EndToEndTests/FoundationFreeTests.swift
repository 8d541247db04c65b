import Foundation
import Testing

/// The binary links FoundationEssentials only: one symbol of full Foundation (swift-corelibs-
/// foundation: `CharacterSet`, `NSLock`, `FileManager.enumerator`, …) or of CoreFoundation
/// pulls CoreFoundation, FoundationInternationalization and ICU's 34 MB of data into the
/// release binary (docs/performance.md, "Binary size"). Checked on every object the `vigil`
/// product links, Vigil's and its dependencies', as SwiftPM lists them for its linker.
@Suite struct FoundationFreeTests {
    @Test func noObjectOfTheBinaryReferencesFullFoundationOrCoreFoundation() throws {
        let list = vigilBinary.deletingLastPathComponent().appendingPathComponent("vigil.product/Objects.LinkFileList")
        let objects = try String(contentsOf: list, encoding: .utf8).split(separator: "\n").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) }
        // Not vacuous: the list holds Vigil's modules, the vendored Mustache and the dependencies.
        for module in ["VigilCore.build", "VigilReport.build", "Mustache.build", "NIOCore.build", "ArgumentParser.build"] {
            #expect(objects.contains { $0.contains("/\(module)/") }, "\(module) is not among the linked objects")
        }
        // A mangled name that mentions the module `Foundation` (`$s10Foundation…` for its own
        // declarations, `$sSy10FoundationE…` for its extensions of the standard library's types,
        // such as `StringProtocol.range(of:)` and the `contains(_:)` built on it); not
        // `20FoundationEssentials`.
        let foundation = #/(^|[^0-9])10Foundation/#
        let nm = try runTool("nm", ["-u"] + objects)
        #expect(nm.status == 0, "\(nm.output.prefix(2000))")
        var file = "", found: [String] = [], undefined = 0
        for line in nm.output.split(separator: "\n") {
            if line.hasSuffix(":"), !line.hasPrefix(" ") {
                file = String(line.dropLast())
                continue
            }
            guard let symbol = line.split(separator: " ").last, line.contains(" U ") else { continue }
            undefined += 1
            if symbol.contains(foundation) || symbol.hasPrefix("CF") || symbol.hasPrefix("_CF") {
                found.append("\(file.split(separator: "/").suffix(2).joined(separator: "/")): \(symbol)")
            }
        }
        #expect(undefined > 10_000, "nm listed \(undefined) undefined symbols")
        #expect(found.isEmpty, "objects referencing full Foundation or CoreFoundation:\n\(found.joined(separator: "\n"))")
    }
}
