import Testing
import VigilCore
import VigilRunner
import XProtectEmulator

/// Sign-in and the token cache against the real emulator over loopback.
@Suite struct SignInTests {
    @Test func aShortLivedTokenIsRenewedMidRunAndNoRequestFails() async throws {
        var config = EmulatorConfiguration()
        config.tokenLifetime = .seconds(1)
        let emulator = try await EmbeddedEmulator.start(config)
        defer { Task { await emulator.shutdown() } }
        let yaml =
            "auth: xprotect\nrequests:\n"
            + (1...8).map { i in
                "  - name: Step \(i)\n    GET: \"{{api}}/cameras\"\n    expect: { status: 200 }\n  - name: Pause \(i)\n    GET: \"{{api}}/sites\"\n    retry: { until: { status: 599 }, interval: 100ms, timeout: 300ms }\n    expect: { status: 200 }\n"
            }.joined()
        let collection = try CollectionLoader.load(yaml, file: "c.yaml")
        // The pauses fail by design (status never 599); check only the real steps.
        let log = EventLog()
        let transport = try TransportFactory.make(tls: TLSSettings())
        let tokens = TokenCache()
        let context = RunContext(transport: transport, tokens: tokens, redactor: Redactor(), observer: log)
        let runner = CollectionRunner(context: context)
        var failures = 0
        for spec in collection.requests where spec.name.hasPrefix("Step") {
            let single = CollectionFile(file: "c.yaml", name: "one", auth: collection.auth, requests: [spec])
            let r = await runner.run(single, in: try emulatorEnvironment(), provided: [("baseUrl", .string(emulator.baseURL))])
            failures += r.failed + r.errors
            try await Task.sleep(for: .milliseconds(300))
        }
        await transport.shutdown()
        #expect(failures == 0)
        let fetched = await emulator.tokenRequestCount
        #expect(fetched >= 3, "2.4 s of requests with a 1 s token should renew it at least twice, fetched \(fetched)")
        #expect(log.results.allSatisfy { $0.status == 200 })
    }

    @Test func tokensAreSharedAndFetchedOnceForARun() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let (result, _) = try await run(
            "auth: xprotect\nrequests:\n  - GET: \"{{api}}/cameras\"\n  - GET: \"{{api}}/sites\"\n  - GET: \"{{api}}/tasks\"\n", on: emulator)
        #expect(result.passed == 3)
        #expect(await emulator.tokenRequestCount == 1)
    }

    @Test func a401MidRunIsRecoveredOnce() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let calls = Counter()
        let transport = HookedTransport(inner: try TransportFactory.make(tls: TLSSettings())) { request in
            // Revoke every token just before the third REST request.
            if request.url.contains("/api/rest/"), calls.next() == 3 { await emulator.revokeAllTokens() }
        }
        let yaml = "auth: xprotect\nrequests:\n" + (1...4).map { "  - name: R\($0)\n    GET: \"{{api}}/cameras\"\n    expect: { status: 200 }\n" }.joined()
        let (result, _) = try await run(yaml, on: emulator, transport: transport)
        #expect(result.passed == 4, "\(result.results.map { ($0.ref.name, $0.failures) })")
        #expect(await emulator.tokenRequestCount == 2)
    }

    @Test func aSecond401FailsClearly() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let transport = HookedTransport(inner: try TransportFactory.make(tls: TLSSettings())) { request in
            if request.url.contains("/api/rest/") { await emulator.revokeAllTokens() }
        }
        let (result, _) = try await run(
            "auth: xprotect\nrequests:\n  - name: Cameras\n    GET: \"{{api}}/cameras\"\n    expect: { status: 200 }\n",
            on: emulator, transport: transport)
        let r = try #require(result.results.first)
        #expect(r.outcome == .failed)
        #expect(r.status == 401)
        #expect(r.message?.contains("401 again after renewing the token") == true)
        #expect(await emulator.tokenRequestCount == 2)
    }

    @Test func wrongCredentialsAreARuntimeErrorThatNamesTheUserNotThePassword() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let redactor = Redactor()
        let (result, _) = try await run(
            "auth: xprotect\nrequests:\n  - GET: \"{{api}}/cameras\"\n", on: emulator,
            environment: try emulatorEnvironment(password: "wrong-password-123"), redactor: redactor)
        let r = try #require(result.results.first)
        #expect(r.outcome == .error)
        let message = try #require(r.message)
        #expect(message.contains("sign-in as 'admin'"))
        #expect(message.contains("400"))
        #expect(message.contains("InvalidCredentials"))
        #expect(!message.contains("wrong-password-123"))
        #expect(redactor.redact("x wrong-password-123 y") == "x •••• y")
    }
}
