import VigilJSON
import VigilYAML

/// Where requests go, with which credentials: one environment file.
public struct Environment: Sendable {
    public var file: String
    public var name: String
    public var server: Server
    /// Where `profile:` is written, for an error naming an unknown release profile.
    public var profileMark: Mark?
    public var variables: [(name: String, value: TemplateTree)] = []
    public var auth: [String: AuthProfile] = [:]
    public var tls = TLSSettings()
    /// Names of variables whose values are secrets (kept out of every output).
    public var secretVariables: [String] = []
    /// Origins (`https://host[:port]`) besides the environment's own URLs that a request holding
    /// one of its secrets may go to (`secretOrigins:`).
    public var secretOrigins: [String] = []
    /// `{{$env.NAME}}` values read from the process environment when the file was loaded.
    public var processEnvironment: [String: String] = [:]
    /// The process variables the file reads (`{{$env.NAME}}`), set or not, sorted.
    public var processEnvironmentNames: [String] = []
    /// The server's release, when the file states it (`release: 2024 R2`); otherwise Vigil asks the server.
    public var release: Release?
    /// How recordings made in this environment are made stable (`--record`).
    public var normalize: [NormalizationRule] = []
    /// An HTTP proxy for every request of this environment (`http://host:port`); otherwise
    /// `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` from the process environment apply. It may use
    /// the environment's variables and `{{$env.NAME}}` (a password kept out of the file),
    /// resolved when the run starts (``proxyURL(overrides:)``).
    public var proxy: Template?
    /// Where `proxy:` is written, for an error resolving it.
    public var proxyMark: Mark?
    /// Every request asks for a compressed answer unless its collection or itself says otherwise.
    public var compressed = false
    /// Headers, query, timeout and redirect settings for every request of every collection,
    /// under the collection's own `defaults:` (which win, and the request's over both). Headers
    /// and query go only to the origins the environment names: they often carry credentials.
    public var defaults = RequestDefaults()

    public enum Server: Sendable, Hashable {
        /// Requests go wherever the variables say (`baseUrl`).
        case external
        /// Start the built-in XProtect emulator in-process; `profile` names the release.
        case embedded(profile: String?, tokenLifetime: Duration?)
    }

    /// An OpenAPI description every response is checked against (`openapi:`).
    public var openAPI: OpenAPISetting?

    public init(file: String, name: String, server: Server = .external) {
        self.file = file
        self.name = name
        self.server = server
    }
}

/// Certificate handling for HTTPS.
public struct TLSSettings: Sendable, Hashable {
    /// Skip verification (self-signed servers); warned about on every run.
    public var insecure = false
    /// A PEM file of CA certificates to trust, besides the system's.
    public var caFile: String?
    public var certificateFile: String?
    public var keyFile: String?

    public init() {}
}

/// `openapi:` of an environment: where the OpenAPI description is, and whether a violation
/// fails its request (the default) or is only reported.
public struct OpenAPISetting: Sendable {
    /// A file path or an http(s) URL, as written (a URL may use the environment's variables).
    public var spec: Template
    /// The file's full path when `spec` names a file (relative to the environment file).
    public var file: String?
    /// `mode: report`: violations are listed, never failing a request.
    public var report: Bool
    public var mark: Mark

    public init(spec: Template, file: String? = nil, report: Bool = false, mark: Mark) {
        self.spec = spec
        self.file = file
        self.report = report
        self.mark = mark
    }
}

extension Environment {
    /// `proxy:` with its placeholders resolved from the environment's variables, `overrides`
    /// (`--var`) and `{{$env.NAME}}`; nil when the environment names no proxy. A placeholder
    /// without a value is an error naming `proxy:`'s place (the proxy is never sent a literal
    /// `{{…}}`).
    public func proxyURL(overrides: [(String, JSONValue)] = []) throws(LoadError) -> String? {
        guard let proxy else { return nil }
        guard !proxy.isLiteral else { return proxy.literalText }
        let store = VariableStore(processEnvironment: processEnvironment)
        for (name, tree) in variables { store.define(name, as: tree, in: .environment) }
        for (name, value) in overrides { store.set(name, to: value, in: .commandLine) }
        let mark = proxyMark ?? Mark(line: 1, column: 1)
        let text: String
        do {
            text = try proxy.render(store)
        } catch {
            throw LoadError([Diagnostic(file: file, mark: mark, message: "proxy: \(error.description)")])
        }
        if let problem = EnvironmentLoader.proxyProblem(text) {
            throw LoadError([Diagnostic(file: file, mark: mark, message: "proxy '\(EnvironmentLoader.proxyWithoutPassword(text))': \(problem)")])
        }
        return text
    }
}
