import VigilCore
import VigilJSON

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

    public init(transport: any HTTPTransport, tokens: TokenCache = TokenCache(), redactor: Redactor, observer: any RunObserver,
                interruption: Interruption = Interruption(), defaultTimeout: Duration = .seconds(30)) {
        self.interruption = interruption
        self.transport = transport
        self.tokens = tokens
        self.redactor = redactor
        self.observer = observer
        self.defaultTimeout = defaultTimeout
    }
}

/// Runs one collection in one environment: requests in order, each resolved, sent, checked
/// and captured from; after the first failure the rest are skipped; `finally` always runs.
public struct CollectionRunner: Sendable {
    public var context: RunContext
    @TaskLocal private static var pinned = false

    public init(context: RunContext) {
        self.context = context
    }

    /// Runs `collection`. `provided` are values the caller knows (`baseUrl` of an embedded
    /// server); `overrides` come from `--var` and win over every definition.
    /// `release` is the server's release (for `requires:` gates and release-keyed expectations).
    public func run(_ collection: Collection, in environment: Environment,
                    provided: [(String, JSONValue)] = [], overrides: [(String, String)] = [],
                    release: Release? = nil) async -> CollectionResult {
        if !Self.pinned, #available(macOS 15.0, *), let executor = context.transport.taskExecutor {
            // On the transport's I/O thread, a request costs no thread switch.
            return await Self.$pinned.withValue(true) {
                await withTaskExecutorPreference(executor) {
                    await run(collection, in: environment, provided: provided, overrides: overrides, release: release)
                }
            }
        }
        let clock = ContinuousClock()
        let started = clock.now
        let store = VariableStore(processEnvironment: environment.processEnvironment)
        store.release = release
        for (name, tree) in collection.variables { store.define(name, as: tree, in: .collection) }
        for (name, value) in provided { store.set(name, to: value, in: .environment) }
        for (name, tree) in environment.variables { store.define(name, as: tree, in: .environment) }
        for (name, value) in overrides { store.set(name, to: .string(value), in: .commandLine) }
        registerSecrets(environment, store)

        context.observer.handle(.collectionLoaded(collection, environment: environment.name))
        context.observer.handle(.collectionStarted(collection: collection.name, file: collection.file,
                                                   environment: environment.name, requestCount: collection.requests.count + collection.finally.count))
        var results: [RequestResult] = []
        var stopReason: String?
        var interrupted = false
        let collectionGate = collection.requires.flatMap { gateReason($0, release: release) }
        let execution = RequestExecution(context: context, collection: collection, environment: environment, store: store)
        for (index, spec) in collection.requests.enumerated() {
            let ref = execution.ref(spec, index: index, section: .requests)
            if context.interruption.isInterrupted {
                interrupted = true
                stopReason = "the run was interrupted"
            }
            if let collectionGate { stopReason = "collection \(collectionGate)" }
            if let stopReason {
                let result = RequestResult(ref: ref, url: spec.url.source, outcome: .skipped(reason: stopReason))
                context.observer.handle(.requestFinished(result))
                results.append(result)
                continue
            }
            let result = await execution.execute(spec, ref: ref)
            context.observer.handle(.requestFinished(result))
            if result.outcome == .failed || result.outcome == .error {
                stopReason = "an earlier request failed ('\(spec.name)')"
            }
            results.append(result.withoutExchange)
        }
        for (index, spec) in collection.finally.enumerated() {
            let ref = execution.ref(spec, index: index, section: .finally)
            let result = if let collectionGate {
                RequestResult(ref: ref, url: spec.url.source, outcome: .skipped(reason: "collection \(collectionGate)"))
            } else {
                await execution.execute(spec, ref: ref)
            }
            context.observer.handle(.requestFinished(result))
            results.append(result.withoutExchange)
        }
        let result = CollectionResult(collection: collection.name, file: collection.file, environment: environment.name,
                                      results: results, duration: clock.now - started, interrupted: interrupted || context.interruption.isInterrupted)
        context.observer.handle(.collectionFinished(result))
        return result
    }

    /// Passwords, declared secrets and every `{{$env.…}}` value go to the redactor first.
    private func registerSecrets(_ environment: Environment, _ store: VariableStore) {
        for value in environment.processEnvironment.values { context.redactor.add(value) }
        for name in environment.secretVariables {
            if let v = try? store.value(named: name) { context.redactor.add(v.interpolationText) }
        }
        for profile in environment.auth.values {
            for t in profile.secretTemplates {
                if let v = try? t.render(store) { context.redactor.add(v) }
            }
        }
    }
}

extension RequestResult {
    var withoutExchange: RequestResult {
        var r = self
        r.exchange = nil
        return r
    }
}
