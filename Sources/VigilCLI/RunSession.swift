import Dispatch
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization
import VigilCore
import VigilDrift
import VigilJSON
import VigilReport
import VigilRunner
import VigilSchema
import XProtectEmulator

/// One `vigil run`: environments prepared (embedded emulators started), collections run in
/// order in each environment, signals turned into a clean stop, the exit code decided.
struct RunSession {
    var collections: [CollectionFile]
    var environments: [Environment]
    var overrides: [(String, JSONValue)]
    var quiet: Bool
    var recordDirectory: String? = nil
    /// `--report KIND=PATH`: written once, at the end.
    var reports: [ReportRequest] = []
    var verbose = false
    /// Installed by the command before loading.
    var signals: SignalWatcher
    /// How long `finally` may run after a stop.
    var finallyBudget: Duration = .seconds(10)
    /// `--fail-on-skip`: a skipped request fails the run.
    var failOnSkip = false
    /// `--allow-path`: folders `file:` bodies may be read from besides the collection's.
    var allowedPaths: [String] = []
    /// `--bail`: after the first collection that fails, the rest are skipped.
    var bail = false
    /// `--tag`, `--skip-tag`, `--filter`.
    var selection = Selection()
    /// `--jobs`: how many collections run at once in each environment.
    var jobs = 1
    /// `--shard`: the share of the files `collections` are (the JSON report keeps it).
    var shard: Shard? = nil
    /// Each collection file's place in the whole run, before `--shard` (for `vigil merge`).
    var fileOrder: [String: Int] = [:]
    /// Schemas compiled once for the whole run, by every job (those loading compiled first).
    var schemas = SchemaCache()

    /// A started environment: its base values and its transport.
    struct Prepared: Sendable {
        var environment: Environment
        var provided: [(String, JSONValue)]
        var transport: any HTTPTransport
        /// Another transport like `transport` (a job of its own: `--jobs`).
        var makeTransport: @Sendable () throws(TransportError) -> any HTTPTransport
        var emulator: EmbeddedEmulator?
        /// The server's release: stated, emulated, or asked of the server.
        var release: Release?
        /// The environment's OpenAPI description, read before the run.
        var openAPI: OpenAPIConformance?
    }

    func run() async -> VigilExit {
        let redactor = Redactor()
        // A report on standard output (`junit=-`, `json=/dev/stdout`) keeps it to itself: the
        // console goes to standard error, so the report can be piped into a parser.
        let output = TerminalOutput(fd: reports.contains(where: \.writesToStandardOutput) ? 2 : 1, redactor: redactor)
        let errors = TerminalOutput(fd: 2, redactor: redactor)
        let clock = ContinuousClock()
        let started = clock.now

        var prepared: [Prepared] = []
        for env in environments {
            switch await prepare(env, redactor: redactor) {
            case .success(var p):
                if let setting = env.openAPI {
                    switch await OpenAPILoading.load(setting, environment: env, provided: p.provided, overrides: overrides, transport: p.transport) {
                    case .success(let c): p.openAPI = c
                    case .failure(let failure):
                        errors.line("error: environment '\(env.name)' (\(env.file)): \(failure.message)")
                        errors.flush()
                        await shutdown(prepared + [p])
                        return .runtimeError
                    }
                }
                prepared.append(p)
            case .failure(let message):
                errors.line("error: environment '\(env.name)' (\(env.file)): \(message)")
                errors.flush()
                await shutdown(prepared)
                return .runtimeError
            }
            if env.tls.insecure {
                errors.line("warning: TLS certificate verification is off for environment '\(env.name)' (tls.insecure: true)")
            }
        }
        // Everything that can be checked before the first request.
        var diagnostics: [Diagnostic] = []
        for p in prepared {
            let known = Set(p.environment.variables.map(\.name) + p.provided.map(\.0) + overrides.map(\.0))
            for c in collections {
                diagnostics += ReferenceCheck.undefinedVariables(in: c, known: known)
                diagnostics += ReferenceCheck.credentialShadowing(in: c, environment: p.environment)
                diagnostics += ReferenceCheck.secretComparisons(in: c, environment: p.environment)
                diagnostics += ReferenceCheck.authProfiles(in: c, environment: p.environment)
            }
        }
        for d in diagnostics.sortedForDisplay { errors.line(d.description) }
        errors.flush()
        if diagnostics.contains(where: { $0.severity == .error }) {
            await shutdown(prepared)
            return .invalidInput
        }

        let matrix = environments.count > 1
        let stable = stabilizers(prepared)
        let order = RunOrder(
            files: collections.map(\.file), environments: environments.map(\.name), fileIndices: fileOrder, names: collections.map(\.name))
        let jobs = self.jobs, shard = self.shard
        let verbosity: ConsoleReporter.Verbosity = quiet ? .quiet : verbose ? .verbose : .normal
        let environmentNames = environments.map(\.name), allEnvironments = environments
        let collections = self.collections, overrides = self.overrides, environmentsReady = prepared
        let recordDirectory = self.recordDirectory, reports = self.reports, allowedPaths = self.allowedPaths, bail = self.bail, selection = self.selection
        let firstFailure = FirstFailure()
        // One bounded stream; one consumer task owns the console, the reports, the recorder and
        // the grid, and writes the reports and the summary once the stream ends.
        let events = RunEventStream()
        let consumer = Task { () -> Bool in
            let console = ConsoleReporter(output: output, environment: ProcessInfo.processInfo.environment, verbosity: verbosity, redactor: redactor)
            let grid = MatrixGrid(environments: environmentNames)
            var others: [any RunEventConsumer] = matrix ? [grid] : []
            let recorder = recordDirectory.map {
                Recorder(directory: $0, perEnvironment: matrix, collections: collections, environments: allEnvironments, redactor: redactor)
            }
            if let recorder { others.append(recorder) }
            let fileReports = ReportSet(
                reports.map { $0.makeReporter(stabilizers: stable, shard: shard) }, redactor: redactor, showsFileBodies: verbosity == .verbose,
                order: order)
            if !fileReports.reports.isEmpty { others.append(fileReports) }
            // Collection runs that overlap (a matrix, --jobs) are shown one at a time, in the run's order.
            await RunEventDispatcher(console: console, others: others, grouped: matrix || jobs > 1, keepsExchanges: verbosity == .verbose, order: order)
                .run(events)
            if matrix {
                for line in grid.render() { output.line(line) }
                output.line()
            }
            // A report or recording that could not be written fails the run: nothing is lost silently.
            var unwritten = false
            for (path, error) in fileReports.writeAll() {
                errors.line("error: could not write the report \(path): \(errorText(error))")
                unwritten = true
            }
            if let failure = recorder?.failure {
                errors.line("error: could not write the recording \(failure.path): \(failure.reason)")
                unwritten = true
            }
            console.finish(elapsed: clock.now - started)
            errors.flush()
            return unwritten
        }
        let interruption = Interruption(finallyBudget: finallyBudget)
        let work = Task { () -> [CollectionResult] in
            // Environments in parallel, each with its own token cache (shared by its jobs, so a
            // sign-in is made once however many collections wait for it); within one, up to
            // `jobs` collections at once, each job with a transport (a thread) of its own, taking
            // the next collection in order as it finishes one.
            let lanes = environmentsReady.map { p in
                (0..<max(1, min(jobs, collections.count))).map { i -> Result<any HTTPTransport, TransportError> in
                    i == 0 ? .success(p.transport) : Result { () throws(TransportError) in try p.makeTransport() }
                }
            }
            let queue = JobQueue(environments: environmentsReady.count, collections: collections.count)
            await withTaskGroup(of: Void.self) { group in
                for (e, p) in environmentsReady.enumerated() {
                    let tokens = TokenCache()
                    for lane in lanes[e] {
                        guard case .success(let transport) = lane else { continue }
                        group.addTask {
                            var context = RunContext(
                                transport: transport, tokens: tokens, redactor: redactor, observer: events, interruption: interruption)
                            context.keepsResults = false  // the console and the reports take what they show
                            context.allowedPaths = allowedPaths
                            context.schemas = schemas
                            context.selection = selection
                            context.openAPI = p.openAPI
                            let runner = CollectionRunner(context: context)
                            while true {
                                guard let c = queue.next(in: e) else { return }
                                // With --bail, the first failed collection (of any environment) stops the
                                // rest from starting; those running finish, their finally too.
                                let skipReason = firstFailure.name.withLock { $0 }.map { "--bail: collection '\($0)' failed" }
                                let result = await runner.run(
                                    collections[c], in: p.environment, provided: p.provided, overrides: overrides, release: p.release,
                                    skipReason: skipReason)
                                if bail, result.failed > 0 || result.errors > 0 {
                                    firstFailure.name.withLock { if $0 == nil { $0 = result.collection } }
                                }
                                queue.finished(result, at: c, in: e)
                            }
                        }
                    }
                }
            }
            // The extra jobs' transports; the first is the environment's, shut down with it.
            for lane in lanes {
                for case .success(let t) in lane.dropFirst() { await t.shutdown() }
            }
            return queue.results
        }
        // finally may take its budget; the request in flight and the reports a few seconds more.
        signals.onStop(first: { interruption.interrupt() }, second: { interruption.abandon() }, within: finallyBudget + .seconds(5))
        let results = await work.value
        for p in environmentsReady {
            if let c = p.openAPI { await events.handle(.openAPICoverage(c.coverage(environment: p.environment.name))) }
        }
        events.finish()
        let unwritten = await consumer.value
        signals.finish()
        await shutdown(prepared)

        if results.contains(where: \.interrupted) || interruption.isInterrupted {
            return signals.exitCode == VigilExit.terminated.rawValue ? .terminated : .interrupted
        }
        if unwritten || results.contains(where: { $0.errors > 0 }) { return .runtimeError }
        // A selection whose requests were all skipped (each needs a capture of a request it
        // leaves out, or a gate): a green run would test nothing. A shard may hold none.
        if !selection.isEmpty, shard == nil, !results.isEmpty, results.allSatisfy({ $0.passed + $0.failed == 0 }) {
            FileOutput.stderr(
                "error: \(selection.flagsText) ran no request: every request it selects was skipped "
                    + "(see why above; select the requests they need too): a run that tests nothing does not pass")
            return .invalidInput
        }
        if results.contains(where: { $0.failed > 0 }) { return .assertionFailed }
        if failOnSkip, results.contains(where: { $0.skipped > 0 }) {
            let skipped = results.reduce(0) { $0 + $1.skipped }
            FileOutput.stderr("error: \(skipped) request\(skipped == 1 ? " was" : "s were") skipped, and --fail-on-skip was given")
            return .assertionFailed
        }
        return .passed
    }

    private enum PrepareResult { case success(Prepared), failure(String) }

    private func prepare(_ env: Environment, redactor: Redactor) async -> PrepareResult {
        let transport: any HTTPTransport
        let another: @Sendable () throws(TransportError) -> any HTTPTransport
        let proxyURL: String?
        do {
            proxyURL = try env.proxyURL(overrides: overrides)
        } catch {
            return .failure(error.description)
        }
        // Its `{{$env.…}}` values are secrets like any other (the runner adds them too, later).
        for (name, value) in env.processEnvironment where env.proxy?.placeholders.contains(where: { $0.0 == .env(name) }) == true {
            redactor.add(value, name: "$env.\(name)")
        }
        do {
            let proxy = try ProxySettings.resolve(environmentProxy: proxyURL, processEnvironment: ProcessInfo.processInfo.environment)
            // The proxy's credentials go to the proxy only, and are masked everywhere.
            for secret in proxy?.secrets ?? [] { redactor.add(secret, name: "the proxy's credentials") }
            transport = try TransportFactory.make(tls: env.tls, proxy: proxy)
            let tls = env.tls
            another = { () throws(TransportError) in try TransportFactory.make(tls: tls, proxy: proxy) }
        } catch {
            return .failure(error.message)
        }
        guard case .embedded(let profileName, let lifetime) = env.server else {
            var release = env.release
            if release == nil, collections.contains(where: \.usesReleases), let base = baseURL(of: env) {
                release = await ReleaseDetection.detect(baseURL: base, transport: transport)
            }
            return .success(Prepared(environment: env, provided: [], transport: transport, makeTransport: another, release: release))
        }
        var configuration = EmulatorConfiguration()
        if let profileName {
            guard let profile = ReleaseProfile(named: profileName) else {
                await transport.shutdown()
                return .failure("unknown emulator profile '\(profileName)'; profiles: \(ReleaseProfile.all.map(\.name).joined(separator: ", "))")
            }
            configuration.profile = profile
        }
        if let lifetime { configuration.tokenLifetime = lifetime }
        do {
            let emulator = try await EmbeddedEmulator.start(configuration)
            let release = env.release ?? Release(name: configuration.profile.name)
            return .success(
                Prepared(
                    environment: env, provided: [("baseUrl", .string(emulator.baseURL))], transport: transport, makeTransport: another,
                    emulator: emulator, release: release))
        } catch {
            await transport.shutdown()
            return .failure("could not start the embedded emulator: \(error)")
        }
    }

    /// Docs show each environment's base URL as `{{baseUrl}}`, so two runs give the same text.
    private func stabilizers(_ prepared: [Prepared]) -> [String: DocsStabilizer] {
        var out: [String: DocsStabilizer] = [:]
        for p in prepared {
            // A WebSocket step's URL is the base URL with ws(s):// (written `{{baseUrl}}/…` in the collection).
            out[p.environment.name] = DocsStabilizer(baseURL: p.provided.first { $0.0 == "baseUrl" }?.1.stringValue ?? baseURL(of: p.environment))
        }
        return out
    }

    /// The environment's `baseUrl`, when it can be resolved without a run.
    private func baseURL(of env: Environment) -> String? {
        let store = VariableStore(processEnvironment: env.processEnvironment)
        for (name, tree) in env.variables { store.define(name, as: tree, in: .environment) }
        for (name, value) in overrides { store.set(name, to: value, in: .commandLine) }
        return (try? store.value(named: "baseUrl"))?.stringValue
    }

    private func shutdown(_ prepared: [Prepared]) async {
        for p in prepared {
            await p.transport.shutdown()
            await p.emulator?.shutdown()
        }
    }
}

/// Turns SIGINT and SIGTERM into a clean stop. Installed before anything is loaded: while
/// loading, a signal ends the process at once (nothing was sent); once the run has started, the
/// first one stops it (the request in flight is cancelled, `finally` runs, the reports are
/// written), a second one abandons `finally` too (what was printed is flushed and the reports
/// are still written, within ``quitGrace``), and a third ends the process at once.
final class SignalWatcher: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "vigil.signals")
    /// Guarded by `queue`.
    private var count = 0
    private var stop: (@Sendable () -> Void)?
    private var quit: (@Sendable () -> Void)?
    private var received: Int32?
    /// Whether ``finish()`` was called: the run ended on its own.
    private var finished = false
    /// After the first signal, how long the run may take to stop before it is treated as a
    /// second signal (a check that does not end, such as a regular expression backtracking).
    private var stopBudget: Duration = .seconds(15)
    /// After a second signal, how long the reports may take before the process ends anyway.
    static let quitGrace: Duration = .seconds(3)

    /// Starts watching; call once, first thing.
    func start() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [unowned self] in
                self.count += 1
                if self.received == nil { self.received = sig }
                switch (self.count, self.stop, self.quit) {
                case (1, let stop?, _):
                    FileOutput.stderr("\ninterrupted: cancelling the request in flight, then finally (send again to skip finally)")
                    stop()
                    // A run that does not stop by itself is stopped as by a second signal.
                    self.queue.asyncAfter(deadline: .now() + .seconds(Self.seconds(self.stopBudget))) { [unowned self] in
                        guard !self.finished, self.count == 1, let quit = self.quit else { return }
                        self.count = 2
                        FileOutput.stderr(
                            "\nthe run did not stop within \(Self.seconds(self.stopBudget))s of the signal: finally abandoned; writing the reports")
                        self.abandon(quit, code: Self.exitCode(for: self.received ?? sig))
                    }
                case (2, _, let quit?):
                    FileOutput.stderr("\ninterrupted again: finally abandoned; writing the reports (send again to quit at once)")
                    self.abandon(quit, code: Self.exitCode(for: self.received ?? sig))
                default:
                    exit(Self.exitCode(for: sig))
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// From now on the first signal calls `first` and the second `second` instead of ending
    /// the process; `second` is also called when the run has not stopped `within` the first.
    func onStop(first: @escaping @Sendable () -> Void, second: @escaping @Sendable () -> Void, within: Duration = .seconds(15)) {
        queue.sync {
            stop = first
            quit = second
            stopBudget = within
        }
    }

    /// Calls `quit` and ends the process with `code` after ``quitGrace`` unless the run ends first.
    private func abandon(_ quit: @Sendable () -> Void, code: Int32) {
        quit()
        queue.asyncAfter(deadline: .now() + .seconds(Self.seconds(Self.quitGrace))) { exit(code) }
    }

    private static func seconds(_ d: Duration) -> Int { max(1, Int(d.components.seconds)) }

    /// 130 after SIGINT, 143 after SIGTERM; nil when no signal came.
    var exitCode: Int32? { queue.sync { received.map(Self.exitCode(for:)) } }

    private static func exitCode(for sig: Int32) -> Int32 {
        sig == SIGTERM ? VigilExit.terminated.rawValue : VigilExit.interrupted.rawValue
    }

    func finish() {
        queue.sync {
            finished = true
            for s in sources { s.cancel() }
            sources.removeAll()
        }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
