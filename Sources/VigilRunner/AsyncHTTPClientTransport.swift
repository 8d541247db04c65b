import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL
import VigilCore

/// ``HTTPTransport`` over AsyncHTTPClient: one client per run, kept-alive connections,
/// a timeout per request, certificate verification on unless the environment says otherwise,
/// redirects never followed here (the runner follows them when a request asks).
public final class AsyncHTTPClientTransport: HTTPTransport {
    private let client: HTTPClient
    /// Bodies larger than this fail the request instead of exhausting memory.
    public let maxBodyBytes: Int

    /// `proxy`: send every request through this HTTP proxy.
    public init(tls: TLSSettings, maxBodyBytes: Int = 64 * 1024 * 1024, proxy: ProxySettings.Server? = nil) throws(TransportError) {
        var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
        if tls.insecure {
            tlsConfiguration.certificateVerification = .none
        }
        do {
            if let ca = tls.caFile {
                let certificates = try NIOSSLCertificate.fromPEMFile(ca)
                tlsConfiguration.trustRoots = .certificates(certificates)
            }
            if let cert = tls.certificateFile, let key = tls.keyFile {
                tlsConfiguration.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
                tlsConfiguration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            }
        } catch {
            throw TransportError(.tls, "could not read TLS files: \(error)")
        }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tlsConfiguration,
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10)),
            decompression: .enabled(limit: .ratio(100))
        )
        configuration.httpVersion = .http1Only
        if let proxy { configuration.proxy = .server(host: proxy.host, port: proxy.port) }
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 8
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.maxBodyBytes = maxBodyBytes
    }

    public func send(_ request: PreparedRequest) async throws(TransportError) -> ReceivedResponse {
        var r = HTTPClientRequest(url: request.url)
        r.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { r.headers.add(name: name, value: value) }
        if let body = request.body { r.body = .bytes(ByteBuffer(bytes: body)) }
        let clock = ContinuousClock()
        let start = clock.now
        let timeout = TimeAmount.nanoseconds(Int64(request.timeout.components.seconds) * 1_000_000_000 + request.timeout.components.attoseconds / 1_000_000_000)
        do {
            let response = try await client.execute(r, timeout: timeout)
            var buffer = try await response.body.collect(upTo: maxBodyBytes)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            let headers = response.headers.map { (name: $0.name, value: $0.value) }
            return ReceivedResponse(status: Int(response.status.code), headers: headers, body: bytes, duration: clock.now - start)
        } catch {
            throw Self.describe(error, request: request, elapsed: clock.now - start)
        }
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// One line that says what went wrong, in the user's words where possible.
    static func describe(_ error: any Error, request: PreparedRequest, elapsed: Duration) -> TransportError {
        let text = String(describing: error)
        if let e = error as? HTTPClientError {
            switch e {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                return TransportError(.timeout, "no answer within \(request.timeout.shortText) (timed out)")
            case .invalidURL, .emptyHost, .emptyScheme:
                return TransportError(.invalidURL, "invalid URL '\(request.url)': \(text)")
            case .remoteConnectionClosed:
                return TransportError(.connectionClosed, "the server closed the connection before the response was complete")
            default:
                break
            }
        }
        if text.contains("unsupportedScheme") {
            return TransportError(.invalidURL, "invalid URL '\(request.url)': only http and https are supported")
        }
        if error is NIOTooManyBytesError {
            return TransportError(.bodyTooLarge, "response body larger than the limit")
        }
        if let e = error as? NIOSSLError {
            return TransportError(.tls, "TLS failed: \(e); to trust a private CA set tls.ca in the environment, or tls.insecure: true for a test server")
        }
        if let e = error as? BoringSSLError {
            return TransportError(.tls, "TLS failed: \(e); to trust a private CA set tls.ca in the environment, or tls.insecure: true for a test server")
        }
        if text.contains("certificate") || text.contains("handshake") {
            return TransportError(.tls, "TLS failed: \(text); to trust a private CA set tls.ca in the environment, or tls.insecure: true for a test server")
        }
        if text.contains("connectionRefused") || text.contains("Connection refused") || text.contains("ECONNREFUSED") || text.contains("connect(descriptor:") {
            return TransportError(.connectionRefused, "connection refused by \(hostPort(request.url)) (is the server running?)")
        }
        if error is ChannelError || text.contains("ioOnClosedChannel") || text.contains("Connection reset") {
            return TransportError(.connectionClosed, "the connection was closed or reset: \(text)")
        }
        return TransportError(.other, text)
    }

    static func hostPort(_ url: String) -> String {
        var s = Substring(url)
        if let r = s.firstRange(of: "://") { s = s[r.upperBound...] }
        return String(s.prefix { $0 != "/" && $0 != "?" })
    }
}

extension Duration {
    /// `250ms`, `1.5s`.
    public var shortText: String {
        let ms = Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
        if ms < 1000 { return "\(Int(ms.rounded()))ms" }
        let s = ms / 1000
        return s == s.rounded() ? "\(Int(s))s" : "\((s * 10).rounded() / 10)s"
    }

    /// Milliseconds as a double.
    public var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
