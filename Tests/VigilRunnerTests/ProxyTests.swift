import Synchronization
import Testing
import VigilCore
import VigilRunner
import VigilTestSupport

/// Proxies: `proxy:` in an environment, and HTTP_PROXY / HTTPS_PROXY / NO_PROXY.
@Suite struct ProxyTests {
    @Test func settingsComeFromTheEnvironmentFileOrTheProcess() throws {
        let explicit = try #require(try ProxySettings.resolve(environmentProxy: "http://proxy.local:3128", processEnvironment: [:]))
        #expect(explicit.server(for: "https://vms.example.com/api") == .init(host: "proxy.local", port: 3128))
        #expect(explicit.server(for: "http://127.0.0.1:8080/x") != nil, "an explicit proxy is used for loopback too")

        let fromProcess = try #require(try ProxySettings.resolve(environmentProxy: nil, processEnvironment: [
            "HTTPS_PROXY": "http://user@corp:8080", "http_proxy": "corp:3128", "NO_PROXY": "internal.example, .lab",
        ]))
        #expect(fromProcess.server(for: "https://vms.example.com/") == .init(host: "corp", port: 8080))
        #expect(fromProcess.server(for: "http://vms.example.com/") == .init(host: "corp", port: 3128))
        #expect(fromProcess.server(for: "https://internal.example/x") == nil)
        #expect(fromProcess.server(for: "https://a.b.lab/x") == nil)
        #expect(fromProcess.server(for: "http://127.0.0.1:5555/x") == nil, "the embedded emulator stays direct")
        #expect(fromProcess.server(for: "http://localhost/x") == nil)
        #expect(try ProxySettings.resolve(environmentProxy: nil, processEnvironment: [:]) == nil)
        #expect(throws: TransportError.self) { try ProxySettings.resolve(environmentProxy: "socks5://x:1", processEnvironment: [:]) }
    }

    /// AsyncHTTPClient tunnels through the proxy with CONNECT, for http as for https.
    @Test func requestsGoThroughTheProxy() async throws {
        let seen = Mutex<[String]>([])
        let proxy = try await ScriptedHTTPServer.start { request in
            seen.withLock { $0.append(String(request.split(separator: "\r\n").first ?? "")) }
            return .send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}")
        }
        defer { Task { await proxy.stop() } }
        // The target name is never resolved: only the proxy, on loopback, is contacted.
        let collection = try CollectionLoader.load("requests:\n  - GET: http://vms.invalid/api/rest/v1/cameras\n    expect: { body: { ok: true } }\n", file: "c.yaml")
        let settings = try ProxySettings.resolve(environmentProxy: proxy.baseURL, processEnvironment: [:])
        let transport = try TransportFactory.make(tls: TLSSettings(), proxy: settings)
        let context = RunContext(transport: transport, redactor: Redactor(), observer: EventLog(), defaultTimeout: .seconds(5))
        let result = await CollectionRunner(context: context).run(collection, in: Environment(file: "e.yaml", name: "e"))
        await transport.shutdown()
        #expect(result.results.first?.outcome == .passed, "\(result.results.first?.message ?? "")")
        #expect(seen.withLock { $0 } == ["CONNECT vms.invalid:80 HTTP/1.1", "GET /api/rest/v1/cameras HTTP/1.1"])
    }
}
