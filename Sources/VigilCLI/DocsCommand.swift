import ArgumentParser
import VigilReport

/// `vigil docs PATHS… [-e ENV] [--out DIR]`: a run that writes documentation by example.
struct DocsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Run collections and write Markdown documentation by example: one page per collection.",
        discussion: """
            Each request is shown as written and as sent, with the response as received, what it captured
            and what it checked, with a curl command; an index groups the examples by endpoint. The text is
            stable (no timings; the server's address as {{baseUrl}}; ids and the run's timestamps replaced by
            stand-ins, consistently, unless --keep-values), so docs of two runs or two releases can be compared.
            The exit code is that of `vigil run`; the pages are written even when a request fails.
            """
    )

    @OptionGroup var input: InputOptions

    @Option(name: .customLong("out"), help: "The folder for the pages.")
    var out = "docs/examples"

    @Flag(name: .shortAndLong, help: "Print only failures and the summary.")
    var quiet = false

    @Flag(name: .customLong("keep-values"), help: "Keep the run's ids and timestamps in the pages (no stand-ins).")
    var keepValues = false

    func run() async throws {
        var pages = ReportRequest(kind: .markdown, path: out)
        pages.keepsValues = keepValues
        pages.command = CommandText.current()
        try await RunCommand.execute(input: input, quiet: quiet, reports: [pages])
    }
}
