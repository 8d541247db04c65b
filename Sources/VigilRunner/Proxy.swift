import VigilCore

/// Which requests go through an HTTP proxy: `proxy:` in the environment, or the usual
/// `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` variables of the process. The transport sends
/// `http` requests to the proxy in absolute form and tunnels `https` ones with CONNECT.
public struct ProxySettings: Sendable, Hashable {
    public struct Server: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var port: Int
        /// `Basic …` from `http://user:password@proxy:port`: sent to the proxy only, never to a server.
        public var authorization: String?

        public init(host: String, port: Int, authorization: String? = nil) {
            self.host = host
            self.port = port
            self.authorization = authorization
        }

        public var description: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }
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

    /// `http://host:port`, `host:port`, `http://user:password@host` (port 80 by default).
    static func parse(_ text: String) throws(TransportError) -> Server {
        let hasScheme = text.contains("://")
        let shown = EnvironmentLoader.proxyWithoutPassword(text)
        if hasScheme, !text.lowercased().hasPrefix("http://") {
            throw TransportError(.invalidURL, "proxy '\(shown)': only http:// proxies are supported")
        }
        let url: HTTPURL
        do {
            url = try HTTPURL(hasScheme ? text : "http://" + text)
        } catch {
            throw TransportError(.invalidURL, "proxy '\(shown)' names no host and port (write http://host:port)")
        }
        let authorization = url.userinfo.flatMap { $0.contains(":") ? "Basic \(Base64.encode(Array($0.utf8)))" : nil }
        return Server(host: url.origin.host, port: url.origin.port, authorization: authorization)
    }

    /// The credentials of the proxies' URLs, for the redactor: each password, and each
    /// `user:password` (so `Proxy-Authorization`'s Basic value in every base64 form).
    public var secrets: [String] {
        var out: [String] = []
        for server in servers.values.sorted(by: { $0.description < $1.description }) {
            guard let auth = server.authorization, auth.hasPrefix("Basic "), let bytes = Base64.decode(auth.dropFirst(6)) else { continue }
            let pair = String(decoding: bytes, as: UTF8.self)
            for s in [String(pair.drop { $0 != ":" }.dropFirst()), pair] where !out.contains(s) { out.append(s) }
        }
        return out
    }

    /// The proxy for requests to `origin`, or nil to go direct.
    public func server(for origin: HTTPURL.Origin) -> Server? {
        guard let server = servers[origin.scheme] else { return nil }
        let host = origin.host
        if bypassLoopback, host == "localhost" || host.hasPrefix("127.") || host == "::1" { return nil }
        for entry in noProxy {
            if entry == "*" { return nil }
            let suffix = entry.hasPrefix(".") ? String(entry.dropFirst()) : entry
            if host == suffix || host.hasSuffix("." + suffix) { return nil }
        }
        return server
    }

    /// The proxy for `url`, or nil to go direct (or when the URL does not parse).
    public func server(for url: String) -> Server? {
        (try? HTTPURL(url)).flatMap { server(for: $0.origin) }
    }
}
