import Testing
import VigilCore
import VigilRunner
import VigilTestSupport

/// A header sent several times keeps every value, in order: each can be checked and captured.
@Suite struct HeaderValuesTests {
    static let twoCookies =
        "Set-Cookie: session=abc123; Path=/; HttpOnly\r\nSet-Cookie: theme=dark; Path=/\r\nX-Trace: one\r\nX-Trace: two\r\n"

    static func run(_ requests: String, redactor: Redactor = Redactor()) async throws -> (CollectionResult, EventLog) {
        let server = try await ScriptedHTTPServer.start { _ in .send(httpResponse(#"{"ok":true}"#, extra: twoCookies)) }
        defer { Task { await server.stop() } }
        let collection = try CollectionLoader.load("variables: { base: \"\(server.baseURL)\" }\nrequests:\n" + requests, file: "c.yaml")
        let log = EventLog()
        let transport = try TransportFactory.make(tls: TLSSettings())
        let context = RunContext(transport: transport, redactor: redactor, observer: log, defaultTimeout: .seconds(5))
        let result = await CollectionRunner(context: context).run(collection, in: Environment(file: "e.yaml", name: "e"))
        await transport.shutdown()
        return (result, log)
    }

    @Test func bothSetCookieValuesCanBeCheckedAndCaptured() async throws {
        let (result, log) = try await Self.run(
            """
              - name: Cookies
                GET: "{{base}}/login"
                expect:
                  headers:
                    Set-Cookie: { startsWith: "session=" }
                    Set-Cookie[last]: { startsWith: "theme=" }
                    Set-Cookie[1]: { contains: dark }
                    Set-Cookie[any]: { startsWith: "theme=" }
                    Set-Cookie[*]: { length: 2 }
                capture:
                  session: { header: Set-Cookie, regex: "session=([^;]+)" }
                  theme: { header: "Set-Cookie[any]", regex: "theme=([^;]+)" }
                  cookies: { header: "Set-Cookie[*]", regex: "^([^=]+)=" }
                  second: { header: "Set-Cookie[-1]" }
            """)
        let r = try #require(log.results.first)
        #expect(r.outcome == .passed, "\(r.failures)")
        #expect(result.passed == 1)
        let captured = Dictionary(uniqueKeysWithValues: r.captures.map { ($0.name, $0.value) })
        #expect(captured["session"] == "abc123")
        #expect(captured["theme"] == "dark")
        #expect(captured["cookies"] == ["session", "theme"])
        #expect(captured["second"] == "theme=dark; Path=/")
    }

    @Test func aFailedAnyCheckShowsEveryValue() async throws {
        let (_, log) = try await Self.run(
            """
              - name: Traces
                GET: "{{base}}/login"
                expect:
                  headers:
                    X-Trace[any]: { startsWith: "three" }
            """)
        let r = try #require(log.results.first)
        #expect(r.outcome == .failed)
        #expect(r.failures.map(\.subject) == ["header X-Trace[any]"])
        #expect(r.failures.first?.actual == #"none of the 2 values: ["one","two"]"#, "\(r.failures)")
    }

    /// Cookies are credentials: a check never shows them, and a captured one is masked from then on.
    @Test func cookieValuesAreNeverShownAndCapturedOnesBecomeSecrets() async throws {
        let redactor = Redactor()
        let (_, log) = try await Self.run(
            """
              - name: Cookies
                GET: "{{base}}/login"
                capture:
                  session: { header: "Set-Cookie[any]", regex: "session=([^;]+)" }
              - name: Wrong cookie
                GET: "{{base}}/login"
                expect:
                  headers:
                    Set-Cookie[any]: { startsWith: "lang=" }
            """, redactor: redactor)
        #expect(log.results.first?.outcome == .passed)
        let r = try #require(log.results.last)
        #expect(r.outcome == .failed)
        #expect(r.failures.first?.actual == Redactor.mask)
        #expect(redactor.redact("Cookie: session=abc123") == "Cookie: session=\(Redactor.mask)")
    }

    @Test func aPositionPastTheLastValueIsAbsent() async throws {
        let (_, log) = try await Self.run(
            """
              - name: Cookies
                GET: "{{base}}/login"
                expect:
                  headers:
                    Set-Cookie[2]: { exists: false }
                capture:
                  third: { header: "Set-Cookie[2]" }
            """)
        let r = try #require(log.results.first)
        #expect(r.outcome == .failed)
        #expect(r.failures.map(\.subject) == ["capture third"])
        #expect(r.failures.first?.actual == "2 values")
    }
}
