import VigilCore

/// Which requests go through an HTTP proxy: `proxy:` in the environment, or the usual
/// `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` variables of the process.
public struct ProxySettings: Sendable, Hashable {
    public struct Server: Sendable, Hashable {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    /// By scheme: `http`, `https`.
    public var servers: [String: Server]
    /// Hosts (and their subdomains) reached directly; `*` means all.
    public var noProxy: [String]
    /// Loopback addresses are reached directly (for proxies from the process environment,
    /// so the embedded emulator keeps working behind a corporate proxy).
    public var bypassLoopback: Bool

    /// The settings for an environment; nil when no proxy applies.
    public static func resolve(environmentProxy: String?, processEnvironment: [String: String]) throws(TransportError) -> ProxySettings? {
        func value(_ name: String) -> String? {
            (processEnvironment[name] ?? processEnvironment[name.lowercased()]).flatMap { $0.isEmpty ? nil : $0 }
        }
        let noProxy = (value("NO_PROXY") ?? "").split(separator: ",").map { $0.filter { $0 != " " }.lowercased() }.filter { !$0.isEmpty }
        if let explicit = environmentProxy {
            let server = try parse(explicit)
            return ProxySettings(servers: ["http": server, "https": server], noProxy: noProxy, bypassLoopback: false)
        }
        var servers: [String: Server] = [:]
        if let http = value("HTTP_PROXY") { servers["http"] = try parse(http) }
        if let https = value("HTTPS_PROXY") { servers["https"] = try parse(https) }
        return servers.isEmpty ? nil : ProxySettings(servers: servers, noProxy: noProxy, bypassLoopback: true)
    }

    /// `http://host:port`, `host:port`, `http://user@host` (port 80 by default).
    static func parse(_ text: String) throws(TransportError) -> Server {
        var rest = Substring(text)
        if let r = rest.firstRange(of: "://") {
            guard rest[..<r.lowerBound].lowercased() == "http" else {
                throw TransportError(.invalidURL, "proxy '\(text)': only http:// proxies are supported")
            }
            rest = rest[r.upperBound...]
        }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        rest = rest.prefix { $0 != "/" }
        let host: Substring, port: Int
        if let colon = rest.lastIndex(of: ":"), let p = Int(rest[rest.index(after: colon)...]) {
            host = rest[..<colon]
            port = p
        } else {
            host = rest
            port = 80
        }
        guard !host.isEmpty else { throw TransportError(.invalidURL, "proxy '\(text)' names no host") }
        return Server(host: String(host), port: port)
    }

    /// The proxy for `url`, or nil to go direct.
    public func server(for url: String) -> Server? {
        let target = RequestAddress(url)
        guard let server = servers[target.scheme] else { return nil }
        let host = target.host.lowercased()
        if bypassLoopback, host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]" { return nil }
        for entry in noProxy {
            if entry == "*" { return nil }
            let suffix = entry.hasPrefix(".") ? String(entry.dropFirst()) : entry
            if host == suffix || host.hasSuffix("." + suffix) { return nil }
        }
        return server
    }
}

/// Scheme and host of a URL, without parsing the rest.
struct RequestAddress {
    var scheme: String
    var host: String

    init(_ url: String) {
        var rest = Substring(url)
        scheme = "http"
        if let r = rest.firstRange(of: "://") {
            scheme = rest[..<r.lowerBound].lowercased()
            rest = rest[r.upperBound...]
        }
        var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = String(authority[...close])
        } else {
            host = String(authority.prefix { $0 != ":" })
        }
    }
}

/// Sends each request directly or through its proxy (AsyncHTTPClient speaks to proxies,
/// CONNECT included for https).
final class ProxyRoutingTransport: HTTPTransport {
    private let direct: any HTTPTransport
    private let proxied: [ProxySettings.Server: AsyncHTTPClientTransport]
    private let settings: ProxySettings

    init(direct: any HTTPTransport, settings: ProxySettings, tls: TLSSettings) throws(TransportError) {
        self.direct = direct
        self.settings = settings
        var proxied: [ProxySettings.Server: AsyncHTTPClientTransport] = [:]
        for server in Set(settings.servers.values) {
            proxied[server] = try AsyncHTTPClientTransport(tls: tls, proxy: server)
        }
        self.proxied = proxied
    }

    func send(_ request: PreparedRequest) async throws(TransportError) -> ReceivedResponse {
        guard let server = settings.server(for: request.url), let transport = proxied[server] else {
            return try await direct.send(request)
        }
        return try await transport.send(request)
    }

    /// Runs stay on the direct transport's event loop, as without a proxy.
    var taskExecutor: (any TaskExecutor)? { direct.taskExecutor }

    func shutdown() async {
        await direct.shutdown()
        for t in proxied.values { await t.shutdown() }
    }
}
