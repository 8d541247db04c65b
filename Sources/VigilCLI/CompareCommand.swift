import ArgumentParser
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore
import VigilDrift

/// `vigil compare A B`: API drift between two recordings.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Report API drift between two recordings made with `vigil run --record DIR`.",
        discussion: """
            Reports fields added or removed, types changed (string to boolean) and status codes changed,
            with JSONPath locations. Exits 1 when there is drift not listed in the accepted-changes file.
            """
    )

    @Argument(help: "The first recording (e.g. the older release).") var first: String
    @Argument(help: "The second recording.") var second: String

    @Option(help: "Accepted changes, one drift line each ('#' starts a comment).")
    var accepted = "accepted-drift.txt"

    @Flag(help: "Accept the current drift: write it to the accepted-changes file.")
    var update = false

    func run() async throws {
        let drifts: [Drift]
        do {
            drifts = try DriftComparison.compare(first, second)
        } catch {
            FileOutput.stderr("error: \(error)")
            throw VigilExit.invalidInput.exitCode
        }
        // One line each, whatever a recording's file names hold: the accepted-changes file
        // takes the same lines as the console shows.
        let lines = drifts.map { TerminalText.escaped($0.description) }
        if update {
            let text = "# Accepted API drift from \(first) to \(second) (vigil compare --update)\n" + lines.map { $0 + "\n" }.joined()
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: accepted))
            } catch {
                FileOutput.stderr("error: could not write the accepted changes to \(accepted): \(errorText(error))")
                throw VigilExit.runtimeError.exitCode
            }
            FileOutput.stdout("accepted \(lines.count) change\(lines.count == 1 ? "" : "s") in \(accepted)")
            return
        }
        let acceptedLines = Set(
            (FileManager.default.contents(atPath: accepted).map { String(decoding: $0, as: UTF8.self) } ?? "")
                .split(separator: "\n").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty && !$0.hasPrefix("#") })
        let unaccepted = lines.filter { !acceptedLines.contains($0) }
        for line in lines { FileOutput.stdout((acceptedLines.contains(line) ? "  accepted  " : "  drift     ") + line) }
        FileOutput.stdout(lines.isEmpty ? "no drift" : "\(lines.count) change\(lines.count == 1 ? "" : "s"), \(unaccepted.count) not accepted")
        if !unaccepted.isEmpty { throw VigilExit.assertionFailed.exitCode }
    }
}
