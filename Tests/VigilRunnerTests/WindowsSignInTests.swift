import Testing
import VigilCore
import VigilRunner
import VigilTestSupport
import XProtectEmulator

/// Windows users (NTLM), refresh tokens and service tokens, against the emulator over loopback.
@Suite struct WindowsSignInTests {
    static func environment(_ auth: String) throws -> Environment {
        try EnvironmentLoader.load(
            """
            name: test
            variables:
              api: "{{baseUrl}}/api/rest/v1"
            auth:
              xprotect:
            \(auth.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            """, file: "env.yaml", processEnvironment: [:])
    }

    static let windows = "type: xprotect-windows\nusername: 'EMULATOR\\qa'\npassword: qa"
    static let cameras = "auth: xprotect\nrequests:\n  - GET: \"{{api}}/cameras\"\n    expect: { status: 200 }\n  - GET: \"{{api}}/sites\"\n"

    @Test func aWindowsUserSignsInOverOneConnectionAndTheTokenIsShared() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let redactor = Redactor()
        let (result, _) = try await run(Self.cameras, on: emulator, environment: try Self.environment(Self.windows), redactor: redactor)
        #expect(result.passed == 2, "\(result.results.map { ($0.ref.name, $0.message ?? "") })")
        // Three legs, one token for both requests.
        #expect(await emulator.tokenRequests(grant: "windows_credentials") == 3)
        #expect(await emulator.tokenRequestCount == 3)
        #expect(redactor.redact("x qa y") == "x qa y", "two-letter secrets are not masked (documented)")
    }

    @Test func aWrongWindowsPasswordIsASignInErrorNamingTheUser() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let (result, _) = try await run(
            Self.cameras, on: emulator, environment: try Self.environment("type: xprotect-windows\nusername: 'EMULATOR\\qa'\npassword: not-the-password"))
        let r = try #require(result.results.first)
        #expect(r.outcome == .error)
        let message = try #require(r.message)
        #expect(message.contains("sign-in as 'EMULATOR\\qa'"), "\(message)")
        #expect(message.contains("InvalidCredentials"), "\(message)")
        #expect(!message.contains("not-the-password"))
    }

    @Test func throughTheGatewayTheWindowsSignInFailsAsTheGatewayDoes() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let (result, _) = try await run(
            Self.cameras, on: emulator,
            environment: try Self.environment(Self.windows + "\ntokenUrl: \"{{baseUrl}}/API/IDP/connect/token\""))
        let r = try #require(result.results.first)
        #expect(r.outcome == .error)
        #expect(r.message?.contains("400") == true, "\(r.message ?? "")")
    }

    @Test func aServerOfferingOnlyKerberosIsAClearError() async throws {
        // Offers Kerberos by name; then a server that answers NTLM-in-Negotiate without a challenge.
        for (offer, expected) in [("Kerberos", "Kerberos only"), ("Negotiate", "no NTLM challenge")] {
            let server = try await ScriptedHTTPServer.start { _ in
                .send("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: \(offer)\r\nContent-Length: 0\r\n\r\n")
            }
            let environment = try Self.environment(Self.windows + "\ntokenUrl: \(server.baseURL)/IDP/connect/token")
            let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
            let (result, _) = try await run(Self.cameras, on: emulator, environment: environment)
            await emulator.shutdown()
            await server.stop()
            let r = try #require(result.results.first)
            #expect(r.outcome == .error)
            #expect(r.message?.contains(expected) == true, "\(r.message ?? "")")
        }
    }

    @Test func aVmsClientTokenRenewsThroughTheRefreshToken() async throws {
        var config = EmulatorConfiguration()
        config.tokenLifetime = .seconds(2)
        let emulator = try await EmbeddedEmulator.start(config)
        defer { Task { await emulator.shutdown() } }
        let environment = try Self.environment("type: xprotect-basic\nusername: admin\npassword: admin\nclientId: VmsClient")
        let transport = try TransportFactory.make(tls: TLSSettings())
        let tokens = TokenCache()
        let redactor = Redactor()
        let runner = CollectionRunner(context: RunContext(transport: transport, tokens: tokens, redactor: redactor, observer: EventLog()))
        let collection = try CollectionLoader.load(Self.cameras, file: "c.yaml")
        var passed = 0
        for _ in 0..<4 {
            passed += await runner.run(collection, in: environment, provided: [("baseUrl", .string(emulator.baseURL))]).passed
            try await Task.sleep(for: .milliseconds(1100))
        }
        await transport.shutdown()
        #expect(passed == 8)
        #expect(await emulator.tokenRequests(grant: "password") == 1)
        #expect(await emulator.tokenRequests(grant: "refresh_token") >= 2)
    }

    @Test func aRefusedRefreshFallsBackToThePassword() async throws {
        var config = EmulatorConfiguration()
        config.tokenLifetime = .seconds(1)
        let emulator = try await EmbeddedEmulator.start(config)
        defer { Task { await emulator.shutdown() } }
        let environment = try Self.environment("type: xprotect-basic\nusername: admin\npassword: admin\nclientId: VmsClient")
        let transport = try TransportFactory.make(tls: TLSSettings())
        let runner = CollectionRunner(context: RunContext(transport: transport, tokens: TokenCache(), redactor: Redactor(), observer: EventLog()))
        let collection = try CollectionLoader.load(Self.cameras, file: "c.yaml")
        var passed = await runner.run(collection, in: environment, provided: [("baseUrl", .string(emulator.baseURL))]).passed
        await emulator.revokeAllTokens()  // the refresh token too
        try await Task.sleep(for: .milliseconds(700))
        passed += await runner.run(collection, in: environment, provided: [("baseUrl", .string(emulator.baseURL))]).passed
        await transport.shutdown()
        #expect(passed == 4)
        #expect(await emulator.tokenRequests(grant: "refresh_token") == 1)
        #expect(await emulator.tokenRequests(grant: "password") == 2)
    }

    @Test func aServiceClientGetsAServiceToken() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let redactor = Redactor()
        let (result, _) = try await run(
            Self.cameras, on: emulator,
            environment: try Self.environment("type: oauth2-client-credentials\nclientId: vigil-service\nclientSecret: vigil-service-secret"),
            redactor: redactor)
        #expect(result.passed == 2)
        #expect(await emulator.tokenRequests(grant: "client_credentials") == 1)
        #expect(redactor.redact("x vigil-service-secret y") == "x •••• y")
    }
}
