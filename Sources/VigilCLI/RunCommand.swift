import ArgumentParser
import VigilCore
import VigilReport
import VigilRunner

/// `vigil run PATHS… [-e ENV]… [--var k=v]… [--bail] [--tag T]… [--skip-tag T]… [--filter REGEX] [--list]`
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run collections: each request in order, its captures and assertions, then its finally requests.",
        discussion: "Without -e, environments/local.yaml (the embedded XProtect emulator) is used."
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var console: ConsoleOptions
    @OptionGroup var select: SelectionOptions

    @Option(
        name: .customLong("report"),
        help: ArgumentHelp("Write a report, KIND=PATH: junit=FILE, json=FILE, html=FILE, markdown=DIR (repeatable).", valueName: "kind=path"),
        transform: ReportRequest.argument)
    var reports: [ReportRequest] = []

    @Option(help: "Record every response, normalized, into this folder (for `vigil compare`).")
    var record: String?

    @Option(
        name: .customLong("finally-budget"),
        help: ArgumentHelp("After Ctrl-C or SIGTERM, how long finally requests may still run, e.g. 10s.", valueName: "duration"))
    var finallyBudget = DurationArgument(.seconds(10))

    @Flag(name: .customLong("fail-on-skip"), help: "A skipped request fails the run (exit 1): nothing may go untested.")
    var failOnSkip = false

    @Flag(help: "Stop after the first collection that fails (its finally still runs); the rest are reported as skipped.")
    var bail = false

    func run() async throws {
        try await Self.execute(
            input: input, quiet: console.quiet, verbose: console.verbose, reports: reports, record: record, finallyBudget: finallyBudget.duration,
            failOnSkip: failOnSkip, bail: bail, selection: select.selection, list: select.list)
    }

    /// Loads what `input` names and runs it: shared by `run` and `docs`.
    static func execute(
        input: InputOptions, quiet: Bool, verbose: Bool = false, reports: [ReportRequest], record: String? = nil,
        finallyBudget: Duration = .seconds(10), failOnSkip: Bool = false, bail: Bool = false, selection: Selection = Selection(), list: Bool = false
    ) async throws {
        // Before loading, so that a long validation can be interrupted too.
        let signals = SignalWatcher()
        signals.start()
        let (collections, diagnostics) = InputLoader.collections(input.paths, allowedPaths: input.allowedPaths, data: input.data)
        var allDiagnostics = diagnostics
        let (overrides, variableProblems) = input.overrides()
        allDiagnostics += variableProblems
        for w in CollectionFile.unusedTagWarnings(selection.tags, flag: "--tag", in: collections)
            + CollectionFile.unusedTagWarnings(selection.skipTags, flag: "--skip-tag", in: collections)
        {
            FileOutput.stderr(w)
        }
        if list, !diagnostics.contains(where: { $0.severity == .error }) {
            for d in diagnostics.sortedForDisplay { FileOutput.stderr(d.description) }
            RunListing(collections: collections, selection: selection).print()
            return
        }
        var envs: [Environment] = []
        if input.environments.isEmpty {
            switch InputLoader.defaultEnvironment() {
            case .success(let e):
                envs.append(e)
                let which = e.file == InputLoader.defaultEnvironmentPath ? e.file : "the built-in emulator"
                FileOutput.stderr("environment: \(which) (no -e given)")
            case .failure(let e): allDiagnostics += e.diagnostics
            }
        }
        for path in input.environments {
            switch InputLoader.environment(path) {
            case .success(let e): envs.append(e)
            case .failure(let e): allDiagnostics += e.diagnostics
            }
        }
        for d in allDiagnostics.sortedForDisplay { FileOutput.stderr(d.description) }
        if allDiagnostics.contains(where: { $0.severity == .error }) { throw VigilExit.invalidInput.exitCode }
        let session = RunSession(
            collections: collections, environments: envs, overrides: overrides, quiet: quiet,
            recordDirectory: record, reports: reports, verbose: verbose, signals: signals,
            finallyBudget: finallyBudget, failOnSkip: failOnSkip, allowedPaths: input.allowedPaths, bail: bail,
            selection: selection)
        let code = await session.run()
        if code != .passed { throw code.exitCode }
    }
}
