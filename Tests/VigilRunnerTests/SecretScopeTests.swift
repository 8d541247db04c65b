import Foundation
import Synchronization
import Testing
import VigilCore
@testable import VigilRunner
import VigilTestSupport

/// Issue 20, point 1: a secret goes only where the user's environment says, in a request's URL,
/// headers or body, and through a 307/308 in whatever form the body holds it.
@Suite struct SecretScopeTests {
    static let secret = "KEY_SECRET_p@ss w+rd&x=1"

    /// Runs `yaml` (written to a scratch folder with `files`) in `environment` with `redactor`.
    func run(
        _ yaml: String, _ environment: String, files: [String: String] = [:], processEnvironment: [String: String] = [:]
    ) async throws
        -> CollectionResult
    {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-scope-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let collection = try CollectionLoader.load(yaml, file: dir.appendingPathComponent("c.yaml").path)
        let env = try EnvironmentLoader.load(environment, file: dir.appendingPathComponent("env.yaml").path, processEnvironment: processEnvironment)
        let transport = try TransportFactory.make(tls: TLSSettings())
        let context = RunContext(transport: transport, redactor: Redactor(), observer: EventLog(), defaultTimeout: .seconds(5))
        let result = await CollectionRunner(context: context).run(collection, in: env)
        await transport.shutdown()
        return result
    }

    /// A 307 to another origin does not resend a body holding the secret JSON-escaped
    /// (`\u0040`), nor a multipart body whose file part holds it; a file without it goes.
    @Test func aRedirectDoesNotResendASecretInAnyFormOfTheBody() async throws {
        let received = Mutex<[String]>([])
        let target = try await ScriptedHTTPServer.start { request in
            received.withLock { $0.append(request) }
            return .send(httpResponse("{}"))
        }
        let redirector = try await ScriptedHTTPServer.start { request in
            .send(httpResponse("", status: "307 Temporary Redirect", extra: "Location: \(target.baseURL)\(requestPath(request))\r\n"))
        }
        defer {
            Task {
                await target.stop(); await redirector.stop()
            }
        }
        let result = try await run(
            #"""
            name: r307
            continueOnFailure: true
            requests:
              - name: JSON-escaped
                POST: "{{baseUrl}}/escaped"
                followRedirects: true
                headers: { Content-Type: application/json }
                body: '{"k":"KEY_SECRET_p\u0040ss w+rd\u0026x=1"}'
              - name: Multipart file holding it
                POST: "{{baseUrl}}/multipart"
                followRedirects: true
                multipart: { note: plain, f: { file: secret.txt } }
              - name: Multipart file without it
                POST: "{{baseUrl}}/harmless"
                followRedirects: true
                multipart: { f: { file: other.txt } }
            """#,
            "name: R\nvariables:\n  baseUrl: \(redirector.baseURL)\n  apiKey: '\(Self.secret)'\nsecrets: [apiKey]\n",
            files: ["secret.txt": "token: \(Self.secret)\n", "other.txt": "nothing to hide\n"])
        #expect(result.results.map(\.outcome) == [.error, .error, .passed], "\(result.results.map { $0.message ?? "" })")
        for r in result.results.prefix(2) {
            #expect(r.message?.contains("refused to resend a body holding a secret to another origin") == true, "\(r.message ?? "")")
        }
        #expect(received.withLock { $0.map(requestPath) } == ["/harmless"])
    }

    static let environment = """
        name: Mine
        variables:
          baseUrl: BASE
          password: "{{$env.XPROTECT_PASSWORD}}"
          apiKey: 'KEY_SECRET_p@ss w+rd&x=1'
        secrets: [apiKey]
        auth:
          xprotect:
            type: xprotect-basic
            username: admin
            password: "{{password}}"
        """

    /// A shared collection cannot send the environment's password or `secrets:` to a server
    /// the environment does not name, in a URL, a header, a query or a JSON body.
    @Test func aSecretIsNotSentToAnOriginTheEnvironmentDoesNotName() async throws {
        let elsewhere = try await ScriptedHTTPServer.start { _ in .send(httpResponse("{}")) }
        let mine = try await ScriptedHTTPServer.start { _ in .send(httpResponse("{}")) }
        defer {
            Task {
                await elsewhere.stop(); await mine.stop()
            }
        }
        let collection = """
            name: Innocent
            continueOnFailure: true
            requests:
              - name: Health check
                GET: "\(elsewhere.baseURL)/health?p={{password}}"
              - name: Header
                GET: "\(elsewhere.baseURL)/h"
                headers: { X-Key: "{{apiKey}}" }
              - name: Query
                GET: "\(elsewhere.baseURL)/q"
                query: { k: "{{apiKey}}" }
              - name: JSON
                POST: "\(elsewhere.baseURL)/j"
                json: { k: "{{apiKey}}" }
              - name: Nothing secret
                GET: "\(elsewhere.baseURL)/public"
              - name: To the server the environment names
                GET: "{{baseUrl}}/health?p={{password}}"
                headers: { X-Key: "{{apiKey}}" }
            """
        let env = Self.environment.replacingOccurrences(of: "BASE", with: mine.baseURL)
        let pw = ["XPROTECT_PASSWORD": "S3cret-Admin-PW"]
        let result = try await run(collection, env, processEnvironment: pw)
        #expect(result.results.map(\.outcome) == [.failed, .failed, .failed, .failed, .passed, .passed], "\(result.results.map { $0.message ?? "" })")
        let origin = elsewhere.baseURL
        #expect(
            result.results[0].message?.contains("not sent: it holds the secret 'password' and would go to \(origin)") == true,
            "\(result.results[0].message ?? "")")
        for r in result.results[1...3] {
            #expect(r.message?.contains("the secret 'apiKey'") == true && r.message?.contains("secretOrigins") == true, "\(r.message ?? "")")
        }
        #expect(elsewhere.requestCount == 1, "only the request holding no secret reached it")
        #expect(mine.requestCount == 1)

        // The environment may grant the origin.
        let granted = env + "\nsecretOrigins: [\"\(origin)\"]\n"
        let again = try await run(collection, granted, processEnvironment: pw)
        #expect(again.results.allSatisfy { $0.outcome == .passed }, "\(again.results.map { $0.message ?? "" })")
        #expect(elsewhere.requestCount == 6)
    }

    @Test func secretOriginsMustBeOrigins() {
        for bad in [
            "vms.example", "ftp://vms.example", "https://", "'{{baseUrl}}'", "'http://*'", "'https://*.example'", "'http://u:pw@vms.example'",
            "'http://vms.example:99999'", "'http://vms.example:'", "'http://[::1'", "'http://a b'", "'http://?x'",
        ] {
            #expect(throws: LoadError.self, "\(bad)") {
                try EnvironmentLoader.load("name: e\nsecretOrigins: [\(bad)]\n", file: "e.yaml", processEnvironment: [:])
            }
        }
        let ok = try? EnvironmentLoader.load(
            "name: e\nsecretOrigins: [https://idp.example, 'http://127.0.0.1:8080', 'http://[::1]:81/path']\n", file: "e.yaml", processEnvironment: [:])
        #expect(ok?.secretOrigins == ["https://idp.example", "http://127.0.0.1:8080", "http://[::1]:81/path"])
        do {
            _ = try EnvironmentLoader.load("name: e\nsecretOrigins:\n  - 'http://*'\n", file: "e.yaml", processEnvironment: [:])
            Issue.record("a wildcard was accepted")
        } catch {
            #expect("\(error)".contains("e.yaml:3:5: secretOrigins: 'http://*' is not an origin"), "\(error)")
        }
    }
}
