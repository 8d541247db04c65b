import ArgumentParser

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

    @Argument(help: "Collection files, or folders whose .yaml files run in name order.")
    var paths: [String] = ["collections"]

    @Option(name: [.customShort("e"), .customLong("env")], help: "An environment file (repeatable: one folder per environment).")
    var environments: [String] = []

    @Option(name: .customLong("var"), help: "Set a variable, k=v (repeatable).")
    var variables: [String] = []

    @Option(name: .customLong("out"), help: "The folder for the pages.")
    var out = "docs/examples"

    @Flag(name: .shortAndLong, help: "Print only failures and the summary.")
    var quiet = false

    func run() async throws {
        var arguments = paths
        for e in environments { arguments += ["-e", e] }
        for v in variables { arguments += ["--var", v] }
        arguments += ["--report", "markdown=\(out)"]
        if quiet { arguments.append("--quiet") }
        let run = try RunCommand.parse(arguments)
        try await run.run()
    }
}
