import Foundation
import Synchronization
import Testing
import VigilCore
@testable import VigilRunner
import VigilTestSupport

/// Issue 20, point 1: a 307/308 does not carry a secret to another origin in whatever form the
/// body holds it.
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
}
