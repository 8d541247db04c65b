import Synchronization
import Testing
import VigilCore
import VigilRunner
import VigilTestSupport
import XProtectEmulator

/// Proxies: `proxy:` in an environment, and HTTP_PROXY / HTTPS_PROXY / NO_PROXY. One transport
/// serves both routes: what a request gets must not depend on whether a proxy is in between.
@Suite struct ProxyTests {
    @Test func settingsComeFromTheEnvironmentFileOrTheProcess() throws {
        let explicit = try #require(try ProxySettings.resolve(environmentProxy: "http://proxy.local:3128", processEnvironment: [:]))
        #expect(explicit.server(for: "https://vms.example.com/api") == .init(host: "proxy.local", port: 3128))
        #expect(explicit.server(for: "http://127.0.0.1:8080/x") != nil, "an explicit proxy is used for loopback too")

        let fromProcess = try #require(
            try ProxySettings.resolve(
                environmentProxy: nil,
                processEnvironment: [
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

        let withCredentials = try #require(try ProxySettings.resolve(environmentProxy: "http://u%40corp:p%20w@proxy:3128", processEnvironment: [:]))
        #expect(withCredentials.server(for: "https://vms/") == .init(host: "proxy", port: 3128, authorization: "Basic dUBjb3JwOnAgdw=="))
    }

    /// Plain http goes to the proxy in absolute form, as forward proxies expect.
    @Test func plainHTTPGoesToTheProxyInAbsoluteForm() async throws {
        let seen = Mutex<[String]>([])
        let proxy = try await ScriptedHTTPServer.start { request in
            seen.withLock { $0.append(String(request.split(separator: "\r\n").first ?? "")) }
            return .send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}")
        }
        defer { Task { await proxy.stop() } }
        // The target name is never resolved: only the proxy, on loopback, is contacted.
        let r = try await Self.get("http://vms.invalid/api/rest/v1/cameras?x=1", proxy: proxy.baseURL)
        #expect(r.outcome == .passed, "\(r.message ?? "")")
        #expect(seen.withLock { $0 } == ["GET http://vms.invalid/api/rest/v1/cameras?x=1 HTTP/1.1"])
    }

    /// The seed scenario's kind of requests (sign-in, list, create, delete) against the emulator,
    /// once direct and once through a forwarding proxy: the same outcomes, statuses and bodies.
    @Test func directAndProxiedRunsGiveTheSameResults() async throws {
        let collection = """
            auth: xprotect
            requests:
              - name: Cameras
                GET: "{{api}}/cameras"
                capture: { first: "array[0].id" }
              - name: One camera
                GET: "{{api}}/cameras/{{first}}"
              - name: Create
                POST: "{{api}}/userDefinedEvents"
                json: { name: Through a proxy }
                expect: { status: 201 }
                capture: { id: result.id }
              - name: Missing
                GET: "{{api}}/cameras/00000000-0000-0000-0000-000000000000"
                expect: { status: 404 }
            finally:
              - name: Delete
                DELETE: "{{api}}/userDefinedEvents/{{id}}"
            """
        let direct = try await EmbeddedEmulator.start(EmulatorConfiguration())
        let viaProxy = try await EmbeddedEmulator.start(EmulatorConfiguration())
        let proxy = try await LoopbackProxy.start()
        defer {
            Task {
                await direct.shutdown(); await viaProxy.shutdown(); await proxy.stop()
            }
        }
        let (a, _) = try await run(collection, on: direct)
        let proxied = try TransportFactory.make(tls: TLSSettings(), proxy: ProxySettings.resolve(environmentProxy: proxy.url, processEnvironment: [:]))
        let (b, _) = try await run(collection, on: viaProxy, transport: proxied)
        #expect(a.results.map(\.outcome) == Array(repeating: .passed, count: 5), "\(a.results.map { $0.message ?? "" })")
        #expect(a.results.map(\.outcome) == b.results.map(\.outcome))
        #expect(a.results.map(\.status) == b.results.map(\.status))
        #expect(a.results.map { $0.captures.map(\.name) } == b.results.map { $0.captures.map(\.name) })
        #expect(a.results[0].captures.first?.value == b.results[0].captures.first?.value)
        let lines = proxy.requestLines
        #expect(lines.count == 6, "sign-in and five requests: \(lines)")
        #expect(lines.allSatisfy { $0.contains(" \(viaProxy.baseURL)/") }, "\(lines)")
    }

    /// https through a CONNECT tunnel: TLS end to end, with the same trust as direct.
    @Test func httpsGoesThroughACONNECTTunnelWithTheSameTrust() async throws {
        let certs = try TestCertificates.make()
        let server = try await TLSServer.start(certs)
        let proxy = try await LoopbackProxy.start()
        defer {
            Task {
                await server.stop(); await proxy.stop()
            }
        }
        var trusting = TLSSettings()
        trusting.caFile = certs.caFile
        let trusted = try await Self.get("\(server.baseURL)/x", proxy: proxy.url, tls: trusting)
        #expect(trusted.outcome == .passed, "\(trusted.message ?? "")")
        #expect(proxy.requestLines == ["CONNECT 127.0.0.1:\(server.port) HTTP/1.1"])

        let directFailure = try await Self.get("\(server.baseURL)/x")
        let proxiedFailure = try await Self.get("\(server.baseURL)/x", proxy: proxy.url)
        #expect(directFailure.outcome == .error)
        #expect(proxiedFailure.outcome == .error)
        #expect(directFailure.message?.contains("tls.ca") == true, "\(directFailure.message ?? "")")
        #expect(proxiedFailure.message == directFailure.message)
    }

    @Test func aProxyThatWantsCredentialsGetsThemFromItsURLAndOnlyIt() async throws {
        let certs = try TestCertificates.make()
        let server = try await TLSServer.start(certs)
        let proxy = try await LoopbackProxy.start(requireAuthorization: "Basic dTpw")
        defer {
            Task {
                await server.stop(); await proxy.stop()
            }
        }
        var tls = TLSSettings()
        tls.caFile = certs.caFile
        let refused = try await Self.get("\(server.baseURL)/x", proxy: proxy.url, tls: tls)
        #expect(refused.outcome == .error)
        #expect(refused.message?.contains("the proxy 127.0.0.1:\(proxy.port) asks for credentials (407)") == true, "\(refused.message ?? "")")

        let withCredentials = "http://u:p@127.0.0.1:\(proxy.port)"
        let tunnelled = try await Self.get("\(server.baseURL)/x", proxy: withCredentials, tls: tls)
        #expect(tunnelled.outcome == .passed, "\(tunnelled.message ?? "")")
        #expect(proxy.authorizations == [nil, "Basic dTpw"])
    }

    /// A forward proxy's 407 for plain http is the proxy's refusal, not the server's answer.
    @Test func aForwardProxysRefusalIsNamed() async throws {
        let proxy = try await ScriptedHTTPServer.start { _ in
            .send("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\nContent-Length: 0\r\n\r\n")
        }
        defer { Task { await proxy.stop() } }
        let without = try await Self.get("http://vms.invalid/x", proxy: proxy.baseURL)
        #expect(without.outcome == .error)
        #expect(
            without.message
                == "the proxy 127.0.0.1:\(proxy.port) asks for credentials (407) for vms.invalid:80: give them in the proxy URL, http://user:password@host:port"
        )
        let wrong = try await Self.get("http://vms.invalid/x", proxy: "http://u:wrong@127.0.0.1:\(proxy.port)")
        #expect(wrong.message == "the proxy 127.0.0.1:\(proxy.port) refused the credentials of its URL (407) for vms.invalid:80")
    }

    @Test func aRefusedProxyIsNamed() async throws {
        // Port 9 (discard): nothing listens there, and no test binds it.
        let r = try await Self.get("https://vms.invalid/x", proxy: "http://127.0.0.1:9")
        #expect(r.outcome == .error)
        #expect(r.message?.contains("connection refused by the proxy 127.0.0.1:9") == true, "\(r.message ?? "")")
    }

    /// One GET through `proxy` (or direct), expecting `{"ok":true}`.
    static func get(_ url: String, proxy: String? = nil, tls: TLSSettings = TLSSettings()) async throws -> RequestResult {
        let collection = try CollectionLoader.load("requests:\n  - name: One\n    GET: \"\(url)\"\n    expect: { body: { ok: true } }\n", file: "c.yaml")
        let settings = try proxy.flatMap { try ProxySettings.resolve(environmentProxy: $0, processEnvironment: [:]) }
        let transport = try TransportFactory.make(tls: tls, proxy: settings)
        let context = RunContext(transport: transport, redactor: Redactor(), observer: EventLog(), defaultTimeout: .seconds(5))
        let result = await CollectionRunner(context: context).run(collection, in: Environment(file: "e.yaml", name: "e"))
        await transport.shutdown()
        return try #require(result.results.first)
    }
}
