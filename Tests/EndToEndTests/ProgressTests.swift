import Foundation
import Testing

/// The live progress line on a real terminal (a pty made by `script`): it shows N/M and never
/// wraps, at 80 columns and at 50, so no stale lines are left behind; a terminal that does not
/// say its width (0 columns, no `COLUMNS`) is taken as 80 columns wide.
@Suite struct ProgressTests {
    @Test(arguments: [(80, 80), (50, 50), (0, 80)])
    func theProgressLineFitsTheTerminal(stty: Int, columns: Int) throws {
        let command = "stty cols \(stty); unset COLUMNS; exec \(vigilBinary.path) run collections/01-user-defined-events.yaml"
        // Not under CI (which turns the live line off), whatever runs the tests.
        let r = try runTool("env", ["-u", "CI", "script", "-q", "-e", "-c", command, "/dev/null"])
        #expect(r.status == 0, "\(r.output)")
        let ansi = /\u{1B}\[[0-9;]*m/
        let lines = r.output.components(separatedBy: "\r\u{1B}[2K").dropFirst().map {
            String($0.prefix { $0 != "\r" && $0 != "\n" }).replacing(ansi, with: "")
        }.filter { $0.hasPrefix("  ⋯") }  // the live lines (the others are results, ended by a newline)
        #expect(lines.count >= 10, "\(lines)")
        for line in lines { #expect(line.count < columns, "\(line.count) characters: \(line)") }
        // The room is used: a long request line is cut at the width, not far short of it.
        #expect(lines.contains { $0.count >= columns - 12 }, "\(lines.map(\.count))")
        // [N/M]: from the first request to the last of the collection (finally included).
        let total = try #require(lines.first?.firstMatch(of: /^  ⋯ \[1\/(\d+)\]\s/)?.1)
        #expect(Int(total) ?? 0 >= 10, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("  ⋯ [\(total)/\(total)] ") }, "\(lines)")
    }
}
