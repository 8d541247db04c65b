import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOSSL

/// An emulator running inside the current process, on its own port. Start it with
/// ``start(_:)``; stop it with ``shutdown()``.
public final class EmbeddedEmulator: Sendable {
    /// `http://HOST:PORT`, without a trailing slash.
    public let baseURL: String
    /// The bound TCP port.
    public let port: Int
    private let state: EmulatorState
    private let task: Task<Void, any Error>

    private init(baseURL: String, port: Int, state: EmulatorState, task: Task<Void, any Error>) {
        self.baseURL = baseURL
        self.port = port
        self.state = state
        self.task = task
    }

    /// Starts an emulator and returns once it is listening.
    public static func start(_ configuration: EmulatorConfiguration) async throws -> EmbeddedEmulator {
        let state = try EmulatorState(configuration)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = try makeApplication(configuration, state: state, logLevel: .critical) { port in
            continuation.yield(port)
        }
        let task = Task {
            defer { continuation.finish() }
            try await app.runService(gracefulShutdownSignals: [])
        }
        for await port in ports {
            return EmbeddedEmulator(
                baseURL: emulatorBaseURL(host: configuration.host, port: port, secure: configuration.tls != nil), port: port, state: state, task: task)
        }
        try await task.value
        throw EmulatorError.couldNotStart("the server stopped before listening on \(configuration.host):\(configuration.port)")
    }

    /// How many requests the identity provider's token endpoint has answered (successful or not).
    public var tokenRequestCount: Int {
        get async { await state.tokens.tokenRequests }
    }

    /// How many token requests named `grant` (`password`, `refresh_token`, `windows_credentials`,
    /// `client_credentials`), counting each leg of an NTLM handshake.
    public func tokenRequests(grant: String) async -> Int {
        await state.tokens.requests(grant: grant)
    }

    /// Forgets every issued token: the next REST request with any of them gets 401.
    public func revokeAllTokens() async {
        await state.tokens.revokeAll()
    }

    /// Stops listening and closes open connections.
    public func shutdown() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// Serves an emulator until the calling task is cancelled or the process receives SIGINT or SIGTERM,
/// which shut it down gracefully (in-flight requests finish) before this function returns.
/// `onListening` receives the base URL (`http://HOST:PORT`) once the port is bound.
public func runEmulator(_ configuration: EmulatorConfiguration, onListening: @Sendable (String) -> Void) async throws {
    let state = try EmulatorState(configuration)
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let app = try makeApplication(configuration, state: state, logLevel: .critical) { port in
        continuation.yield(port)
    }
    let server = Task {
        defer { continuation.finish() }
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
    try await withTaskCancellationHandler {
        for await port in ports {
            onListening(emulatorBaseURL(host: configuration.host, port: port, secure: configuration.tls != nil))
            break
        }
        try await server.value
    } onCancel: {
        server.cancel()
    }
}

/// The Hummingbird application serving one emulator (https and wss with ``EmulatorConfiguration/tls``).
func makeApplication(
    _ configuration: EmulatorConfiguration, state: EmulatorState, logLevel: Logger.Level,
    onPort: @escaping @Sendable (Int) -> Void
) throws -> some ApplicationProtocol {
    var logger = Logger(label: "XProtectEmulator")
    logger.logLevel = logLevel
    // From 2023 R3 the Events and State WebSocket; before, requests asking for a WebSocket reach the router (404).
    var server: HTTPServerBuilder =
        state.profile.hasEventsWebSocket
        ? .http1WebSocketUpgrade { head, channel, _ in try await EventsWebSocket(state: state).shouldUpgrade(head, channel: channel) }
        : .http1()
    if let tls = configuration.tls {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(tls.certificateChainFile)
            key = try NIOSSLPrivateKey(file: tls.privateKeyFile, format: .pem)
        } catch {
            throw EmulatorError.couldNotStart("cannot read the TLS certificate or key (\(tls.certificateChainFile), \(tls.privateKeyFile)): \(error)")
        }
        server = try .tls(server, tlsConfiguration: .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)))
    }
    return Application(
        router: makeRouter(state: state),
        server: server,
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port), serverName: "Microsoft-IIS/10.0"),
        onServerRunning: { channel in onPort(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

func emulatorBaseURL(host: String, port: Int, secure: Bool = false) -> String {
    let shown = host == "0.0.0.0" || host.isEmpty ? "127.0.0.1" : host == "::" ? "::1" : host
    let scheme = secure ? "https" : "http"
    return shown.contains(":") ? "\(scheme)://[\(shown)]:\(port)" : "\(scheme)://\(shown):\(port)"
}
