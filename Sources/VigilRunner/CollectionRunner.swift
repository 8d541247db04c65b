import VigilCore
import VigilJSON
import VigilSchema
import VigilYAML

/// What every collection of a run shares: one transport, one token cache, one redactor.
public struct RunContext: Sendable {
    public var transport: any HTTPTransport
    public var tokens: TokenCache
    public var redactor: Redactor
    public var observer: any RunObserver
    /// Set by Ctrl-C; checked between requests and between polling attempts.
    public var interruption: Interruption
    /// For requests that set no timeout (and whose collection sets none).
    public var defaultTimeout: Duration
    /// Whether ``CollectionResult/results`` lists every request. A caller whose observers
    /// take what they need (the command line) turns it off: memory then stays flat however
    /// long the collection.
    public var keepsResults = true
    /// Folders granted with `--allow-path`: `file:` bodies may be read from them too.
    public var allowedPaths: [String] = []
    /// Schemas compiled once per file for the whole run (`expect.schema`).
    public var schemas = SchemaCache()
    /// The environment's OpenAPI description (`openapi:` or `--openapi`): every response is checked against it.
    public var openAPI: OpenAPIConformance?
    /// `--tag`, `--skip-tag`, `--filter`: the requests of `requests` left out are skipped, with the reason.
    public var selection = Selection()

    public init(
        transport: any HTTPTransport, tokens: TokenCache = TokenCache(), redactor: Redactor, observer: any RunObserver,
        interruption: Interruption = Interruption(), defaultTimeout: Duration = .seconds(30)
    ) {
        self.interruption = interruption
        self.transport = transport
        self.tokens = tokens
        self.redactor = redactor
        self.observer = observer
        self.defaultTimeout = defaultTimeout
    }
}

/// Runs one collection in one environment: requests in order, each resolved, sent, checked
/// and captured from; after the first failure the rest are skipped (unless `continueOnFailure`);
/// requests the ``Selection`` leaves out are skipped; `finally` always runs.
public struct CollectionRunner: Sendable {
    public var context: RunContext

    public init(context: RunContext) {
        self.context = context
    }

    /// Runs `collection`. `provided` are values the caller knows (`baseUrl` of an embedded
    /// server); `overrides` come from `--var` and win over every definition.
    /// `release` is the server's release (for `requires:` gates and release-keyed expectations).
    /// With a `skipReason` (`--bail` after an earlier collection failed) nothing is sent: every
    /// request, `finally` too, is reported as skipped with that reason.
    ///
    /// It executes on the transport's ``HTTPTransport/runExecutor`` (the transport's own I/O
    /// thread): a request then costs no thread switch.
    public func run(
        _ collection: CollectionFile, in environment: Environment,
        provided: [(String, JSONValue)] = [], overrides: [(String, JSONValue)] = [],
        release: Release? = nil, skipReason: String? = nil
    ) async -> CollectionResult {
        await withTaskExecutorPreference(context.transport.runExecutor) {
            await runHere(collection, in: environment, provided: provided, overrides: overrides, release: release, skipReason: skipReason)
        }
    }

    private func runHere(
        _ collection: CollectionFile, in environment: Environment,
        provided: [(String, JSONValue)], overrides: [(String, JSONValue)], release: Release?, skipReason: String?
    ) async -> CollectionResult {
        let clock = ContinuousClock()
        let started = clock.now
        func makeStore(forSignIn: Bool) -> VariableStore {
            let store = VariableStore(processEnvironment: environment.processEnvironment)
            store.release = release
            store.schemaChecker = CollectionSchemas(collection, allowedPaths: context.allowedPaths, cache: context.schemas)
            if !forSignIn { for (name, tree) in collection.variables { store.define(name, as: tree, in: .collection) } }
            for (name, value) in provided { store.set(name, to: value, in: .environment) }
            for (name, tree) in environment.variables { store.define(name, as: tree, in: .environment) }
            if !forSignIn { for (name, value) in collection.dataRow?.values ?? [] { store.set(name, to: value, in: .dataRow) } }
            for (name, value) in overrides { store.set(name, to: value, in: .commandLine) }
            return store
        }
        let store = makeStore(forSignIn: false)
        registerSecrets(environment, store)
        // Auth profiles read their values (token URL, user, secrets) from a store that only the
        // environment and the command line fill: no capture, collection variable or data row
        // (all written by whoever wrote the collection) can move sign-in or credentials elsewhere.
        let authStore = makeStore(forSignIn: true)

        await context.observer.handle(.collectionLoaded(collection, environment: environment.name))
        await context.observer.handle(
            .collectionStarted(
                collection: collection.name, file: collection.file,
                environment: environment.name, requestCount: collection.requestCount + collection.finallyCount))
        var summary = CollectionResult(
            collection: collection.name, file: collection.file, environment: environment.name,
            duration: .zero, interrupted: false)
        let gate = skipReason ?? collection.requires.flatMap { gateReason($0, release: release) }.map { "collection \($0)" }
        let execution = RequestExecution(
            context: context, collection: collection, environment: environment, store: store, authStore: authStore,
            credentialOrigins: Self.credentialOrigins(environment, provided: provided, authStore),
            grantedSecretOrigins: Set(environment.secretOrigins.compactMap { try? HTTPURL($0).origin }))
        // Each list runs in a task of its own that a stop cancels: `requests` at once (the request
        // in flight with it), `finally` once its budget after the stop is spent. One task per
        // list, not per request: a task costs a hop, and a run sends thousands of requests.
        let base = summary
        let executor = context.transport.runExecutor
        summary = await context.interruption.guarded(on: executor) { await runRequests(execution, collectionGate: gate, into: base) }
        let afterRequests = summary
        summary = await context.interruption.guarded(grace: context.interruption.finallyBudget, on: executor) {
            await runFinally(execution, collectionGate: gate, into: afterRequests)
        }
        await execution.sockets.closeAll()
        summary.duration = clock.now - started
        summary.interrupted = summary.interrupted || context.interruption.isInterrupted
        await context.observer.handle(.collectionFinished(summary))
        return summary
    }

    /// The `requests` list in order; after a failure or a stop the rest are skipped, with the reason.
    private func runRequests(_ execution: RequestExecution, collectionGate: String?, into summary: CollectionResult) async -> CollectionResult {
        var summary = summary
        let collection = execution.collection
        var stopReason: String?
        // With continueOnFailure: the captures a failed (or skipped) request did not make.
        var missing = MissingCaptures()
        // Requests come from memory or, for a scanned collection, straight from its file;
        // `forEach:` loops are unrolled as they are reached.
        var specs = Iterations(collection.specs(.requests), store: execution.store)
        var index = -1
        while let step = specs.next(iterating: stopReason == nil && collectionGate == nil && !context.interruption.isInterrupted) {
            index += 1
            let spec = step.spec
            let ref = execution.ref(spec, index: index, section: .requests)
            if context.interruption.isInterrupted {
                summary.interrupted = true
                stopReason = "the run was interrupted"
            }
            if let collectionGate { stopReason = collectionGate }
            if let stopReason {
                var result = RequestResult(ref: ref, url: spec.url.source, outcome: .skipped(reason: stopReason))
                result.spec = spec
                await context.observer.handle(.requestFinished(result))
                keep(result, in: &summary)
                continue
            }
            if let reason = context.selection.reason(for: spec, collectionTags: collection.tags) ?? (missing.isEmpty ? nil : missing.reason(for: spec)) {
                var result = RequestResult(ref: ref, url: spec.url.source, outcome: .skipped(reason: reason))
                result.spec = spec
                missing.notMade(by: spec, "was skipped", store: execution.store)
                await context.observer.handle(.requestFinished(result))
                keep(result, in: &summary)
                continue
            }
            var result = await step.execute(execution, ref: ref)
            result.spec = spec
            await context.observer.handle(.requestFinished(result))
            if result.outcome == .failed || result.outcome == .error {
                if spec.continueOnFailure ?? collection.continueOnFailure {
                    missing.notMade(by: spec, "failed", store: execution.store)
                } else {
                    stopReason = "an earlier request failed ('\(spec.name)')"
                }
            } else {
                missing.made(by: spec)
            }
            keep(result, in: &summary)
        }
        if let failure = specs.failure {
            keep(await unreadable(failure, collection, execution.environment, section: .requests, index: index + 1), in: &summary)
        }
        return summary
    }

    /// The `finally` list: always run; after a stop, within the interruption's budget, and the
    /// requests left when it is spent are abandoned.
    private func runFinally(_ execution: RequestExecution, collectionGate: String?, into summary: CollectionResult) async -> CollectionResult {
        var summary = summary
        let collection = execution.collection
        let budget = context.interruption.finallyBudget
        var cleanup = Iterations(collection.specs(.finally), store: execution.store)
        var index = -1
        while let step = cleanup.next(iterating: collectionGate == nil) {
            index += 1
            let spec = step.spec
            let ref = execution.ref(spec, index: index, section: .finally)
            var result =
                if let collectionGate {
                    RequestResult(ref: ref, url: spec.url.source, outcome: .skipped(reason: collectionGate))
                } else if context.interruption.isInterrupted, context.interruption.remaining(of: budget) == .zero {
                    RequestResult(
                        ref: ref, url: spec.url.source,
                        outcome: .skipped(reason: "abandoned: the \(budget.shortText) that finally may run after an interruption ran out"))
                } else {
                    await step.execute(execution, ref: ref)
                }
            result.spec = spec
            await context.observer.handle(.requestFinished(result))
            keep(result, in: &summary)
        }
        if let failure = cleanup.failure {
            keep(await unreadable(failure, collection, execution.environment, section: .finally, index: index + 1), in: &summary)
        }
        return summary
    }

    private func keep(_ r: RequestResult, in summary: inout CollectionResult) {
        summary.count(r.outcome)
        if context.keepsResults { summary.results.append(r.exchange == nil && r.spec == nil ? r : r.withoutExchange) }
    }

    /// The origins of the environment's URL-valued variables (and `provided` ones, `baseUrl`) and
    /// of its auth profiles' token URLs, as resolved without captures.
    static func credentialOrigins(_ environment: Environment, provided: [(String, JSONValue)], _ store: VariableStore) -> Set<HTTPURL.Origin> {
        var texts: [String] = provided.compactMap { $0.1.stringValue }
        for (name, _) in environment.variables { if let v = (try? store.value(named: name))?.stringValue { texts.append(v) } }
        for profile in environment.auth.values {
            if let url = try? profile.tokenURL?.render(store) { texts.append(url) }
        }
        // A WebSocket URL names the origin of its upgrade request: wss:// is https://, ws:// http://.
        let urls = texts.map { t -> String in
            let lower = t.lowercased()
            return lower.hasPrefix("wss://") ? "https://" + t.dropFirst(6) : lower.hasPrefix("ws://") ? "http://" + t.dropFirst(5) : t
        }
        return Set(urls.filter { $0.lowercased().hasPrefix("http://") || $0.lowercased().hasPrefix("https://") }.compactMap { try? HTTPURL($0).origin })
    }

    /// A request of a scanned collection that could not be decoded again (the bytes are kept
    /// and were checked, so this is not expected): an error, never a silent end of the list.
    private func unreadable(
        _ message: String, _ collection: CollectionFile, _ environment: Environment,
        section: RequestSection, index: Int
    ) async -> RequestResult {
        let ref = RequestRef(
            collection: collection.name, file: collection.file, environment: environment.name, section: section,
            index: index, name: "request \(index + 1)", method: "", mark: Mark(line: 1, column: 1))
        var result = RequestResult(ref: ref, url: "", outcome: .error)
        result.message = "could not read the request again from the file: \(message)"
        await context.observer.handle(.requestFinished(result))
        return result
    }

    /// Passwords, declared secrets and every `{{$env.…}}` value go to the redactor first, named
    /// (for the message of a request refused for carrying one elsewhere) by the variable that
    /// holds them when there is one.
    private func registerSecrets(_ environment: Environment, _ store: VariableStore) {
        for name in environment.secretVariables {
            if let v = try? store.value(named: name) { context.redactor.add(v.interpolationText, name: name) }
        }
        let fromProcess = Set(environment.processEnvironment.values)
        for (name, _) in environment.variables {
            if let v = (try? store.value(named: name))?.interpolationText, fromProcess.contains(v) { context.redactor.add(v, name: name) }
        }
        for (profileName, profile) in environment.auth.sorted(by: { $0.key < $1.key }) {
            for t in profile.secretTemplates {
                if let v = try? t.render(store) { context.redactor.add(v, name: "the password or secret of auth profile '\(profileName)'") }
            }
        }
        for (name, value) in environment.processEnvironment.sorted(by: { $0.key < $1.key }) { context.redactor.add(value, name: "$env.\(name)") }
    }
}

/// The captures that failed or skipped requests did not make (`continueOnFailure`): a later
/// request that needs one is skipped, saying which.
struct MissingCaptures {
    /// Capture name → why it is missing.
    private var why: [String: String] = [:]

    var isEmpty: Bool { why.isEmpty }

    /// Why `spec` cannot be sent, if it needs a missing capture.
    func reason(for spec: RequestSpec) -> String? {
        for name in spec.variablesUsed {
            if let w = why[name] { return "needs '\(name)', \(w)" }
            // `{{event.id}}` needs the capture `event`.
            if let dot = name.firstIndex(of: "."), let w = why[String(name[..<dot])] { return "needs '\(name[..<dot])', \(w)" }
        }
        return nil
    }

    /// The captures of `spec` that are still unset after it `what` ("failed", "was skipped").
    mutating func notMade(by spec: RequestSpec, _ what: String, store: VariableStore) {
        for c in spec.captures where !store.isDefined(c.name) {
            why[c.name] = "which '\(spec.name)' did not capture (it \(what))"
        }
    }

    /// `spec` passed: its captures are there.
    mutating func made(by spec: RequestSpec) {
        for c in spec.captures { why[c.name] = nil }
    }
}

extension RequestResult {
    var withoutExchange: RequestResult {
        var r = self
        r.exchange = nil
        r.spec = nil
        return r
    }
}

extension Iterations.Step {
    var spec: RequestSpec {
        switch self {
        case .run(let s), .skipped(let s, _), .error(let s, _): return s
        }
    }

    /// Sends the request, or reports why it is not sent.
    func execute(_ execution: RequestExecution, ref: RequestRef) async -> RequestResult {
        switch self {
        case .run(let spec):
            return await execution.execute(spec, ref: ref)
        case .skipped(let spec, let reason):
            return RequestResult(ref: ref, url: spec.url.source, outcome: .skipped(reason: reason))
        case .error(let spec, let message):
            var r = RequestResult(ref: ref, url: spec.url.source, outcome: .error)
            r.message = message
            return r
        }
    }
}
