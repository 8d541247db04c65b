/// How an emulator instance is set up. Every field has a working default.
public struct EmulatorConfiguration: Sendable {
    /// Interface to bind; loopback unless told otherwise.
    public var host: String = "127.0.0.1"
    /// TCP port; 0 picks a free port (read it back from ``EmbeddedEmulator/port``).
    public var port: Int = 0
    /// The emulated XProtect release.
    public var profile: ReleaseProfile = .latest
    /// Lifetime of issued bearer tokens (`expires_in`, rounded up to whole seconds; enforced exactly).
    public var tokenLifetime: Duration = .seconds(3600)
    /// Basic users, name → password. The default is one administrator, `admin` / `admin`.
    public var users: [String: String] = ["admin": "admin"]
    /// Windows users, `DOMAIN\user` → password, signed in by NTLM on `/IDP/connect/token` (2023 R2
    /// on). The default is `EMULATOR\qa` / `qa`.
    public var windowsUsers: [String: String] = ["EMULATOR\\qa": "qa"]
    /// The one service client (client credentials grant). The default is `vigil-service` / `vigil-service-secret`.
    public var serviceClient = ServiceClient(id: "vigil-service", secret: "vigil-service-secret")
    /// How long a task takes to go from `Idle` through `InProgress` to `Success` (or `Error`).
    public var taskDuration: Duration = .milliseconds(600)
    /// Injected faults; all off by default.
    public var faults = EmulatorFaults()
    /// How long an Events and State WebSocket session stays resumable after its connection closes.
    public var eventSessionTimeout: Duration = .seconds(30)
    /// Optional path of a JSON seed file (format in `docs/emulator.md`).
    public var seedFile: String? = nil
    /// Serve https (and wss) with this certificate chain and key (PEM files) instead of http.
    public var tls: EmulatorTLS? = nil

    public init() {}
}

/// An OAuth2 client that signs in with its own credentials (an XProtect service token).
public struct ServiceClient: Sendable, Hashable {
    public var id: String
    public var secret: String

    public init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }
}

/// The certificate an emulator serves https with: PEM files of the chain (leaf first) and its key.
public struct EmulatorTLS: Sendable {
    public var certificateChainFile: String
    public var privateKeyFile: String

    public init(certificateChainFile: String, privateKeyFile: String) {
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
    }
}
