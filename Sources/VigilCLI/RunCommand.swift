import ArgumentParser
import VigilCore
import VigilReport

/// `vigil run PATHS… [-e ENV]… [--var k=v]…`
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run collections: each request in order, its captures and assertions, then its finally requests.",
        discussion: "Without -e, environments/local.yaml (the embedded XProtect emulator) is used."
    )

    @Argument(help: "Collection files, or folders whose .yaml files run in name order.")
    var paths: [String] = ["collections"]

    @Option(name: [.customShort("e"), .customLong("env")], help: "An environment file (repeatable).")
    var environments: [String] = []

    @Option(name: .customLong("var"), help: "Set a variable, k=v; wins over collection and environment values (repeatable).")
    var variables: [String] = []

    @Flag(name: .shortAndLong, help: "Print only failures and the summary.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also print each request and response (headers and bodies, secrets masked).")
    var verbose = false

    @Option(name: .customLong("report"), help: ArgumentHelp("Write a report, KIND=PATH: junit=FILE, json=FILE, html=FILE, markdown=DIR (repeatable).", valueName: "kind=path"))
    var reports: [String] = []

    @Option(help: "Record every response, normalized, into this folder (for `vigil compare`).")
    var record: String?

    @Option(name: .customLong("finally-budget"),
            help: ArgumentHelp("After Ctrl-C or SIGTERM, how long finally requests may still run, e.g. 10s.", valueName: "duration"))
    var finallyBudget = DurationArgument(.seconds(10))

    func validate() throws {
        for v in variables where !v.contains("=") || v.hasPrefix("=") {
            throw ValidationError("--var takes name=value, got '\(v)'")
        }
        if quiet && verbose { throw ValidationError("--quiet and --verbose exclude each other") }
        for r in reports {
            do { _ = try ReportRequest(parsing: r) } catch { throw ValidationError(error.description) }
        }
    }

    func run() async throws {
        // Before loading, so that a long validation can be interrupted too.
        let signals = SignalWatcher()
        signals.start()
        let (collections, diagnostics) = InputLoader.collections(paths)
        var allDiagnostics = diagnostics
        var envs: [Environment] = []
        if environments.isEmpty {
            switch InputLoader.defaultEnvironment() {
            case .success(let e): envs.append(e)
            case .failure(let e): allDiagnostics += e.diagnostics
            }
        }
        for path in environments {
            switch InputLoader.environment(path) {
            case .success(let e): envs.append(e)
            case .failure(let e): allDiagnostics += e.diagnostics
            }
        }
        if !allDiagnostics.isEmpty {
            for d in allDiagnostics.sortedForDisplay { FileOutput.stderr(d.description) }
            throw VigilExit.invalidInput.exitCode
        }
        let overrides = variables.map { v -> (String, String) in
            let i = v.firstIndex(of: "=")!
            return (String(v[..<i]), String(v[v.index(after: i)...]))
        }
        let session = RunSession(collections: collections, environments: envs, overrides: overrides, quiet: quiet, recordDirectory: record,
                                 reports: reports.compactMap { try? ReportRequest(parsing: $0) }, verbose: verbose, signals: signals,
                                 finallyBudget: finallyBudget.duration)
        let code = await session.run()
        if code != .passed { throw code.exitCode }
    }
}
