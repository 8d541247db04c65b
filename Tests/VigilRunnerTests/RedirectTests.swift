import Synchronization
import Testing
import VigilCore
@testable import VigilRunner
import VigilTestSupport
import XProtectEmulator

/// Credentials go only to the origin that owns them, whatever the redirects.
@Suite struct RedirectTests {
    static let origin = HTTPURL.Origin(secure: true, host: "vms.example", port: 443)

    static func request(_ url: String = "https://vms.example/api/a", method: String = "GET", body: String? = nil) -> PreparedRequest {
        PreparedRequest(
            method: method, url: url,
            headers: [("Authorization", "Bearer tok-secret-1"), ("Cookie", "s=1"), ("X-Api-Key", "key-secret-2"), ("Accept", "application/json")],
            body: body.map { Array($0.utf8) })
    }

    static let redactor = Redactor(secrets: ["tok-secret-1", "key-secret-2"])

    @Test func sameOriginKeepsEverything() throws {
        let next = try RedirectPolicy().next(after: 302, location: "/api/b", from: Self.request(), origin: Self.origin, redactor: Self.redactor)
        #expect(next.url == "https://vms.example/api/b")
        #expect(next.headers.map(\.name) == ["Authorization", "Cookie", "X-Api-Key", "Accept"])
    }

    @Test(arguments: ["https://elsewhere.example/b", "https://vms.example:8443/b", "//elsewhere.example/b"])
    func anotherOriginGetsNoCredentials(location: String) throws {
        let next = try RedirectPolicy().next(after: 302, location: location, from: Self.request(), origin: Self.origin, redactor: Self.redactor)
        #expect(next.headers.map(\.name) == ["Accept"], "\(next.headers)")
        let kept = try RedirectPolicy(redirectCredentials: true).next(
            after: 302, location: location, from: Self.request(), origin: Self.origin,
            redactor: Self.redactor)
        #expect(kept.headers.count == 4)
    }

    @Test func httpsToHTTPIsRefusedUnlessAllowed() throws {
        #expect(throws: TransportError.self) {
            try RedirectPolicy().next(after: 302, location: "http://vms.example/b", from: Self.request(), origin: Self.origin, redactor: Self.redactor)
        }
        let next = try RedirectPolicy(allowInsecureRedirect: true).next(
            after: 302, location: "http://vms.example/b", from: Self.request(), origin: Self.origin, redactor: Self.redactor)
        #expect(next.url == "http://vms.example/b")
        #expect(next.headers.map(\.name) == ["Accept"], "another origin (scheme) too")
    }

    @Test func aBodyHoldingASecretIsNotResentElsewhere() throws {
        let post = Self.request(method: "POST", body: #"{"password":"tok-secret-1"}"#)
        #expect(throws: TransportError.self) {
            try RedirectPolicy().next(after: 307, location: "https://elsewhere.example/b", from: post, origin: Self.origin, redactor: Self.redactor)
        }
        let sameOrigin = try RedirectPolicy().next(after: 307, location: "/b", from: post, origin: Self.origin, redactor: Self.redactor)
        #expect(sameOrigin.body != nil && sameOrigin.method == "POST")
        let seeOther = try RedirectPolicy().next(
            after: 303, location: "https://elsewhere.example/b", from: post, origin: Self.origin,
            redactor: Self.redactor)
        #expect(seeOther.method == "GET" && seeOther.body == nil)
    }

    /// Through the runner, with two loopback origins: the second never sees the bearer token.
    @Test func aRedirectToAnotherOriginDropsTheBearerToken() async throws {
        let seen = Mutex<[String]>([])
        let target = try await ScriptedHTTPServer.start { request in
            seen.withLock { $0.append(request) }
            return .send(httpResponse(#"{"ok":true}"#))
        }
        let first = try await ScriptedHTTPServer.start { _ in
            .send(httpResponse("", status: "302 Found", extra: "Location: \(target.baseURL)/landing\r\n"))
        }
        defer {
            Task {
                await target.stop(); await first.stop()
            }
        }
        let environment = try EnvironmentLoader.load(
            "name: e\nauth:\n  api:\n    type: bearer\n    token: tok-Redirect-7f3a\n", file: "e.yaml", processEnvironment: [:])
        for (credentials, expected) in [(false, false), (true, true)] {
            let collection = try CollectionLoader.load(
                """
                auth: api
                requests:
                  - GET: "\(first.baseURL)/start"
                    followRedirects: true
                    redirectCredentials: \(credentials)
                    expect: { body: { ok: true } }
                """, file: "c.yaml")
            let transport = try TransportFactory.make(tls: TLSSettings())
            let log = EventLog()
            let context = RunContext(transport: transport, redactor: Redactor(), observer: log, defaultTimeout: .seconds(5))
            let result = await CollectionRunner(context: context).run(collection, in: environment)
            await transport.shutdown()
            #expect(result.passed == 1)
            // The hop is recorded for the console and the reports, with what it left behind.
            let hops = log.results.first?.exchange?.redirects
            #expect(
                hops == [
                    RedirectHop(
                        status: 302, location: "\(target.baseURL)/landing", method: "GET", url: "\(target.baseURL)/landing",
                        droppedHeaders: credentials ? [] : ["Authorization"])
                ])
            let landed = try #require(seen.withLock { $0.last })
            #expect(landed.contains("tok-Redirect-7f3a") == expected, "redirectCredentials: \(credentials)\n\(landed)")
        }
    }

    /// Credentials go only to the servers the environment names: a request with auth to any
    /// other origin is not sent, and that server sees nothing.
    @Test func credentialsAreNotSentToAnOriginTheEnvironmentDoesNotName() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        let elsewhere = try await ScriptedHTTPServer.start { _ in .send(httpResponse(#"{"ok":true}"#)) }
        defer {
            Task {
                await emulator.shutdown(); await elsewhere.stop()
            }
        }
        let (result, _) = try await run(
            """
            auth: xprotect
            requests:
              - name: Cameras
                GET: "{{api}}/cameras"
            finally:
              - name: Elsewhere with credentials
                GET: "\(elsewhere.baseURL)/steal"
              - name: Elsewhere without
                GET: "\(elsewhere.baseURL)/public"
                auth: none
            """, on: emulator)
        #expect(result.results.map(\.outcome) == [.passed, .error, .passed], "\(result.results.map { $0.message ?? "" })")
        #expect(result.results[1].message?.contains("not sent: its credentials go only to the servers the environment names") == true)
        #expect(elsewhere.requestCount == 1, "only the request without credentials reached it")
    }
}
