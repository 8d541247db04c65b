import Testing
import VigilCore
import VigilRunner
import VigilTestSupport
import XProtectEmulator

/// WebSocket steps against the embedded emulator's Events and State WebSocket.
@Suite(.serialized) struct WebSocketStepTests {
    static let startRecording = "85867627-b287-4439-9e55-a63701e1715b"

    static func wsURL(_ emulator: EmbeddedEmulator) -> String {
        "ws" + emulator.baseURL.dropFirst(4) + "/api/ws/events/v1"
    }

    static func withEmulator(faults: EmulatorFaults = EmulatorFaults(), _ body: (EmbeddedEmulator) async throws -> Void) async throws {
        var configuration = EmulatorConfiguration()
        configuration.faults = faults
        let emulator = try await EmbeddedEmulator.start(configuration)
        do { try await body(emulator) } catch {
            await emulator.shutdown()
            throw error
        }
        await emulator.shutdown()
    }

    /// A step that starts a session and subscribes to user-defined events, kept open as `events`.
    static func subscribe(_ emulator: EmbeddedEmulator, auth: String = "") -> String {
        """
          - name: Subscribe
            WS: "\(wsURL(emulator))"\(auth)
            send:
              - { command: startSession, commandId: 1, sessionId: "", eventId: "" }
              - { command: addSubscription, commandId: 2, filters: [ { modifier: include, resourceTypes: ["userDefinedEvents"], sourceIds: ["*"], eventTypes: ["*"] } ] }
            expect:
              - { commandId: 1, status: 201 }
              - { commandId: 2, status: 200 }
            capture:
              sessionId: { message: 1, path: sessionId }
            keepOpen: events
        """
    }

    @Test func opensSendsExpectsCapturesAndReceivesATriggeredEvent() async throws {
        try await Self.withEmulator { emulator in
            let yaml = """
                name: ws
                auth: xprotect
                requests:
                \(Self.subscribe(emulator))
                  - name: Trigger
                    POST: "{{api}}/events"
                    json: { type: "\(Self.startRecording)" }
                    expect: { status: 202 }
                  - name: The event arrives
                    receive: events
                    until: { "events[0].type": "\(Self.startRecording)" }
                    capture: { eventType: "events[0].type" }
                    timeout: 5s
                """
            let (result, log) = try await run(yaml, on: emulator)
            let results = log.results
            #expect(result.failed == 0 && result.errors == 0, "\(results.map { "\($0.ref.name): \($0.message ?? "") \($0.failures)" })")
            let open = try #require(results.first)
            #expect(open.outcome == .passed)
            #expect(open.checks.filter(\.passed).count >= 4)
            #expect(open.captures.first?.name == "sessionId")
            #expect(open.captures.first?.value.stringValue?.isEmpty == false)
            let sent = String(decoding: open.exchange?.request.body ?? [], as: UTF8.self)
            let received = String(decoding: open.exchange?.response?.body ?? [], as: UTF8.self)
            #expect(sent.contains("startSession"))
            #expect(received.contains("\"commandId\":2"))
            let arrived = try #require(results.last)
            #expect(arrived.outcome == .passed)
            #expect(arrived.captures.first?.value.stringValue == Self.startRecording)
        }
    }

    @Test func aFailedExpectationIsAFailedCheck() async throws {
        try await Self.withEmulator { emulator in
            let yaml = """
                auth: xprotect
                requests:
                  - WS: "\(Self.wsURL(emulator))"
                    send: [ { command: startSession, commandId: 1, sessionId: "", eventId: "" } ]
                    expect: [ { commandId: 1, status: 200 } ]
                """
            let (_, log) = try await run(yaml, on: emulator)
            let r = try #require(log.results.first)
            #expect(r.outcome == .failed)
            #expect(r.failures.first?.subject.contains("message 1") == true)
            #expect(r.failures.first?.actual == "201")
        }
    }

    @Test func receiveTimesOutWithAClearError() async throws {
        try await Self.withEmulator { emulator in
            let yaml = """
                auth: xprotect
                requests:
                \(Self.subscribe(emulator))
                  - name: Nothing comes
                    receive: events
                    until: { "events[0].type": "nope" }
                    timeout: 300ms
                finally:
                  - GET: "{{api}}/sites"
                """
            let (_, log) = try await run(yaml, on: emulator)
            let r = try #require(log.results.dropFirst().first)
            #expect(r.outcome == .error)
            #expect(r.message == "no message matching until within 300ms (0 received)", "\(r.message ?? "")")
            #expect(log.results.last?.outcome == .passed)
        }
    }

    @Test func aServerThatDropsTheConnectionGivesAClearErrorAndFinallyRuns() async throws {
        try await Self.withEmulator(faults: EmulatorFaults(webSocketDropAfterFrames: 1)) { emulator in
            let yaml = """
                auth: xprotect
                requests:
                \(Self.subscribe(emulator))
                finally:
                  - name: Cleanup
                    GET: "{{api}}/sites"
                """
            let (_, log) = try await run(yaml, on: emulator)
            let r = try #require(log.results.first)
            #expect(r.outcome == .error)
            #expect(r.message?.contains("after 1 message received") == true, "\(r.message ?? "")")
            #expect(log.results.last?.ref.name == "Cleanup")
            #expect(log.results.last?.outcome == .passed)
        }
    }

    @Test func aWrongTokenIsARefusedUpgrade() async throws {
        try await Self.withEmulator { emulator in
            let environment = try EnvironmentLoader.load(
                """
                name: test
                variables:
                  api: "{{baseUrl}}/api/rest/v1"
                auth:
                  wrong: { type: bearer, token: not-a-token }
                """, file: "env.yaml", processEnvironment: [:])
            let yaml = """
                auth: wrong
                requests:
                  - WS: "\(Self.wsURL(emulator))"
                    send: [ { command: startSession, commandId: 1, sessionId: "", eventId: "" } ]
                    expect: [ { status: 201 } ]
                """
            let (_, log) = try await run(yaml, on: emulator, environment: environment)
            let r = try #require(log.results.first)
            #expect(r.outcome == .error)
            #expect(r.message?.hasPrefix("the server refused the WebSocket upgrade: 401 Unauthorized") == true, "\(r.message ?? "")")
        }
    }

    /// wss:// to an emulator serving TLS with a test CA's certificate: the step trusts it through the
    /// environment's `tls.ca` (the same settings as https requests), and refuses it without.
    @Test func wssWithTheEnvironmentsCertificateAuthority() async throws {
        let certs = try TestCertificates.make()
        var configuration = EmulatorConfiguration()
        configuration.tls = EmulatorTLS(certificateChainFile: certs.serverCert, privateKeyFile: certs.serverKey)
        let emulator = try await EmbeddedEmulator.start(configuration)
        defer { Task { await emulator.shutdown() } }
        #expect(emulator.baseURL.hasPrefix("https://127.0.0.1:"))
        // By name: the WebSocket client library sends the host as SNI, which TLS forbids for an
        // IP address (a wss:// URL with one gets a clear error, below).
        let url = "wss://localhost:\(emulator.port)/api/ws/events/v1"
        let yaml = """
            name: wss
            auth: xprotect
            requests:
              - name: Subscribe
                WS: "{{events}}"
                send:
                  - { command: startSession, commandId: 1, sessionId: "", eventId: "" }
                expect:
                  - { commandId: 1, status: 201 }
            """
        // The environment names the WebSocket's URL: the token may go there.
        let base = """
            name: tls
            variables: { api: "{{baseUrl}}/api/rest/v1", events: "\(url)" }
            auth: { xprotect: { type: xprotect-basic, username: admin, password: admin } }
            """
        var trusted = try EnvironmentLoader.load(base, file: "env.yaml", processEnvironment: [:])
        trusted.tls.caFile = certs.caFile
        let (ok, _) = try await run(yaml, on: emulator, environment: trusted, transport: try TransportFactory.make(tls: trusted.tls))
        #expect(ok.passed == 1, "\(ok.results.map { $0.message ?? "" })")
        let untrusted = try EnvironmentLoader.load(base, file: "env.yaml", processEnvironment: [:])
        let (refused, log) = try await run(yaml, on: emulator, environment: untrusted)
        #expect(refused.passed == 0)
        #expect(log.results.first?.outcome == .error, "\(log.results.map { $0.message ?? "" })")
        var byAddress = try EnvironmentLoader.load(base.replacingOccurrences(of: "localhost", with: "127.0.0.1"), file: "env.yaml", processEnvironment: [:])
        byAddress.tls.caFile = certs.caFile
        let (_, addressLog) = try await run(yaml, on: emulator, environment: byAddress, transport: try TransportFactory.make(tls: byAddress.tls))
        #expect(
            addressLog.results.first?.message?.contains("wss:// to an IP address is not supported: write the server's host name") == true,
            "\(addressLog.results.map { $0.message ?? "" })")
    }

    /// Through the environment's HTTP proxy, like HTTP requests: a CONNECT tunnel, with the
    /// proxy's credentials sent to the proxy only.
    @Test func aStepGoesThroughTheProxy() async throws {
        try await Self.withEmulator { emulator in
            let proxy = try await LoopbackProxy.start(requireAuthorization: "Basic dTpw")
            defer { Task { await proxy.stop() } }
            let yaml = """
                name: proxied
                auth: xprotect
                requests:
                  - name: Subscribe
                    WS: "\(Self.wsURL(emulator))"
                    send:
                      - { command: startSession, commandId: 1, sessionId: "", eventId: "" }
                    expect:
                      - { commandId: 1, status: 201 }
                """
            let settings = try ProxySettings.resolve(environmentProxy: "http://u:p@127.0.0.1:\(proxy.port)", processEnvironment: [:])
            let (result, log) = try await run(yaml, on: emulator, transport: try TransportFactory.make(tls: TLSSettings(), proxy: settings))
            #expect(result.passed == 1, "\(log.results.map { $0.message ?? "" })")
            #expect(proxy.requestLines.contains("CONNECT 127.0.0.1:\(emulator.port) HTTP/1.1"), "\(proxy.requestLines)")
            #expect(proxy.authorizations.allSatisfy { $0 == "Basic dTpw" }, "\(proxy.authorizations)")
        }
    }
}
