import Testing
import VigilCore
import VigilRunner

/// HTTPS against a server whose certificate comes from a CA made at test time.
@Suite struct TLSTests {
    static func get(_ url: String, tls: TLSSettings) async throws -> RequestResult {
        let collection = try CollectionLoader.load("requests:\n  - name: Secure\n    GET: \"\(url)/x\"\n    expect: { body: { ok: true } }\n", file: "c.yaml")
        let transport = try TransportFactory.make(tls: tls)
        let context = RunContext(transport: transport, redactor: Redactor(), observer: EventLog(), defaultTimeout: .seconds(5))
        let result = await CollectionRunner(context: context).run(collection, in: Environment(file: "e.yaml", name: "e"))
        await transport.shutdown()
        return try #require(result.results.first)
    }

    @Test func verificationFailsByDefaultAndSuggestsTlsCa() async throws {
        let certs = try TestCertificates.make()
        let server = try await TLSServer.start(certs)
        defer { Task { await server.stop() } }
        let r = try await Self.get(server.baseURL, tls: TLSSettings())
        #expect(r.outcome == .error)
        #expect(r.message?.contains("tls.ca") == true, "\(r.message ?? "")")
        #expect(r.message?.contains("\n") == false)
    }

    @Test func aCertificateForAnotherAddressSaysWhichNamesItHolds() async throws {
        let certs = try TestCertificates.make(names: "DNS:camera.example,IP:10.9.8.7")
        let server = try await TLSServer.start(certs)
        defer { Task { await server.stop() } }
        var tls = TLSSettings()
        tls.caFile = certs.caFile
        let r = try await Self.get(server.baseURL, tls: tls)
        #expect(r.outcome == .error)
        #expect(
            r.message
                == "TLS failed: the server's certificate is for camera.example, 10.9.8.7, not 127.0.0.1; use a URL with one of its names, or have a certificate made for 127.0.0.1"
        )
    }

    @Test func trustingTheTestCAPasses() async throws {
        let certs = try TestCertificates.make()
        let server = try await TLSServer.start(certs)
        defer { Task { await server.stop() } }
        var tls = TLSSettings()
        tls.caFile = certs.caFile
        let r = try await Self.get(server.baseURL, tls: tls)
        #expect(r.outcome == .passed, "\(r.message ?? "")")
    }

    @Test func insecureSkipsVerification() async throws {
        let certs = try TestCertificates.make()
        let server = try await TLSServer.start(certs)
        defer { Task { await server.stop() } }
        var tls = TLSSettings()
        tls.insecure = true
        let r = try await Self.get(server.baseURL, tls: tls)
        #expect(r.outcome == .passed, "\(r.message ?? "")")
    }

    @Test func aClientCertificateIsPresentedWhenTheServerAsks() async throws {
        let certs = try TestCertificates.make()
        let server = try await TLSServer.start(certs, requireClientCertificate: true)
        defer { Task { await server.stop() } }
        var tls = TLSSettings()
        tls.caFile = certs.caFile
        let without = try await Self.get(server.baseURL, tls: tls)
        #expect(without.outcome == .error)
        tls.certificateFile = certs.clientCert
        tls.keyFile = certs.clientKey
        let with = try await Self.get(server.baseURL, tls: tls)
        #expect(with.outcome == .passed, "\(with.message ?? "")")
    }

    @Test func anUnreadableCAFileIsAClearError() throws {
        var tls = TLSSettings()
        tls.caFile = "/nonexistent/ca.pem"
        #expect(throws: TransportError.self) { try TransportFactory.make(tls: tls) }
    }
}
