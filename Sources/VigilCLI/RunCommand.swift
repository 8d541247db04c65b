import ArgumentParser
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore
import VigilReport
import VigilRunner
import VigilSchema
import VigilYAML

/// `vigil run PATHS… [-e ENV]… [--var k=v]… [--bail] [--tag T]… [--skip-tag T]… [--filter REGEX] [--list] [--jobs N] [--shard i/n]`
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
        completion: .list(["junit=", "json=", "html=", "markdown="]), transform: ReportRequest.argument)
    var reports: [ReportRequest] = []

    @Flag(name: .customLong("keep-values"), help: "Markdown docs (--report markdown=DIR) keep the run's ids and timestamps (no stand-ins).")
    var keepValues = false

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

    @OptionGroup var contract: OpenAPIOptions
    @OptionGroup var parallel: ParallelOptions

    func run() async throws {
        try await Self.execute(
            input: input, quiet: console.quiet, verbose: console.verbose, reports: reports.map(docsSettings), record: record,
            finallyBudget: finallyBudget.duration,
            failOnSkip: failOnSkip, bail: bail, selection: select.selection, list: select.list, openAPI: contract.setting(), jobs: parallel.jobs,
            shard: parallel.shard)
    }

    /// A Markdown report with `--keep-values` and the command line (its pages' footer names it).
    func docsSettings(_ report: ReportRequest) -> ReportRequest {
        guard report.kind == .markdown else { return report }
        var r = report
        r.keepsValues = keepValues
        r.command = CommandText.current()
        return r
    }

    /// Loads what `input` names and runs it: shared by `run` and `docs`.
    static func execute(
        input: InputOptions, quiet: Bool, verbose: Bool = false, reports: [ReportRequest], record: String? = nil,
        finallyBudget: Duration = .seconds(10), failOnSkip: Bool = false, bail: Bool = false, selection: Selection = Selection(), list: Bool = false,
        openAPI: OpenAPISetting? = nil, jobs: Int = 1, shard: Shard? = nil
    ) async throws {
        // Before loading, so that a long validation can be interrupted too.
        let signals = SignalWatcher()
        signals.start()
        let schemas = SchemaCache()
        let (collections, diagnostics) = InputLoader.collections(
            input.paths, allowedPaths: input.allowedPaths, shard: shard, data: input.data, schemas: schemas)
        if let shard, collections.isEmpty, !diagnostics.contains(where: { $0.severity == .error }) {
            FileOutput.stderr("warning: shard \(shard) holds none of the collection files (there are fewer files than shards): nothing to run")
        }
        var allDiagnostics = diagnostics
        // Folders of only include: fragments or environment files: a green run would test nothing.
        if shard == nil, collections.isEmpty, !diagnostics.contains(where: { $0.severity == .error }) {
            allDiagnostics += input.paths.map {
                Diagnostic(
                    file: $0, mark: Diagnostic.wholeFile,
                    message: "holds no collection to run (only include: fragments or environment files): a run would test nothing")
            }
        }
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
        // A selection that leaves out every request: a green run would test nothing.
        if !selection.isEmpty, !collections.isEmpty, !allDiagnostics.contains(where: { $0.severity == .error }),
            !selection.selectsAny(of: collections)
        {
            let what = "\(selection.flagsText) selects no request of the \(collections.count) collection\(collections.count == 1 ? "" : "s")"
            // A shard may hold none of a suite's tagged requests; the other shards test them.
            guard let shard else {
                FileOutput.stderr("error: \(what): a run would test nothing")
                throw VigilExit.invalidInput.exitCode
            }
            FileOutput.stderr("warning: \(what) in shard \(shard): nothing to run here")
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
        if let openAPI { for i in envs.indices { envs[i].openAPI = openAPI } }
        let session = RunSession(
            collections: collections, environments: envs, overrides: overrides, quiet: quiet,
            recordDirectory: record, reports: reports, verbose: verbose, signals: signals,
            finallyBudget: finallyBudget, failOnSkip: failOnSkip, allowedPaths: input.allowedPaths, bail: bail,
            selection: selection, jobs: jobs, shard: shard, fileOrder: InputLoader.fileOrder(input.paths), schemas: schemas)
        let code = await session.run()
        if code != .passed { throw code.exitCode }
    }
}

/// `--openapi FILE|URL` and `--openapi-mode fail|report`: check every response of the run
/// against an OpenAPI description, in every environment (instead of their `openapi:`).
struct OpenAPIOptions: ParsableArguments {
    @Option(
        name: .customLong("openapi"),
        help: ArgumentHelp("Check every response against this OpenAPI description (a JSON or YAML file, or an http(s) URL).", valueName: "file|url"))
    var spec: String?

    @Option(
        name: .customLong("openapi-mode"),
        help: ArgumentHelp("fail: a response that breaks the description fails its request (the default); report: only list them.", valueName: "mode"))
    var mode: String?

    func validate() throws {
        if let mode, !["fail", "report"].contains(mode) {
            throw ValidationError("--openapi-mode must be 'fail' or 'report', not '\(mode)'")
        }
        if mode != nil, spec == nil { throw ValidationError("--openapi-mode needs --openapi") }
        if let spec, !Self.isURL(spec), !FileManager.default.isReadableFile(atPath: spec) {
            throw ValidationError("--openapi: cannot read '\(spec)'")
        }
    }

    static func isURL(_ text: String) -> Bool { text.lowercased().hasPrefix("http://") || text.lowercased().hasPrefix("https://") }

    /// The setting for every environment, when `--openapi` is given.
    func setting() -> OpenAPISetting? {
        spec.map { OpenAPISetting(spec: Template(literal: $0), file: Self.isURL($0) ? nil : $0, report: mode == "report", mark: Mark(line: 0, column: 0)) }
    }
}
