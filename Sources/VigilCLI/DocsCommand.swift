import ArgumentParser
import VigilReport

/// `vigil docs PATHS… [-e ENV] [--out DIR]`: a run that writes documentation by example.
struct DocsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Run collections and write Markdown documentation by example: one page per collection.",
        discussion: """
            Each request is shown as written and as sent, with the response as received, what it captured
            and what it checked. The text is stable (no timings; the server's address as {{baseUrl}}; UUIDs
            numbered in order of appearance), so docs of two runs or two releases can be compared.
            The exit code is that of `vigil run`; the pages are written even when a request fails.
            """
    )

    @OptionGroup var input: InputOptions

    @Option(name: .customLong("out"), help: "The folder for the pages.")
    var out = "docs/examples"

    @Flag(name: .shortAndLong, help: "Print only failures and the summary.")
    var quiet = false

    func run() async throws {
        try await RunCommand.execute(input: input, quiet: quiet, reports: [ReportRequest(kind: .markdown, path: out)])
    }
}
