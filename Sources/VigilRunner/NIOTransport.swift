#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
import VigilCore

/// ``HTTPTransport`` straight over SwiftNIO's HTTP/1.1 codec, for speed: one kept-alive
/// connection per scheme, host and port, reused by requests in turn, one request in flight on
/// each; a deadline per request (connect, send and receive); certificate verification on
/// unless the environment says otherwise; redirects never followed here (the runner does).
/// Responses are not decompressed: Vigil asks for no compression.
public final class NIOHTTP1Transport: HTTPTransport {
    /// Bodies larger than this fail the request instead of exhausting memory.
    public let maxBodyBytes: Int
    /// At most this long to establish a connection, within the request's own timeout.
    public let connectTimeout: Duration
    /// Every connection of this transport lives on this one event loop.
    private let loop: any EventLoop
    /// An `EventLoopTaskExecutor` on `loop` (typed loosely: the type needs macOS 15).
    private let executor: (any Sendable)?
    private let tlsConfiguration: TLSConfiguration
    private let sslContext = Mutex<NIOSSLContext?>(nil)
    private let pool = Mutex(Pool())

    struct Origin: Hashable, Sendable {
        var secure: Bool
        var host: String
        var port: Int
    }

    private struct Pool {
        var idle: [Origin: [any Channel]] = [:]
        var closed = false
    }

    public init(tls: TLSSettings, maxBodyBytes: Int = 64 * 1024 * 1024, connectTimeout: Duration = .seconds(10)) throws(TransportError) {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if tls.insecure { configuration.certificateVerification = .none }
        do {
            if let ca = tls.caFile {
                configuration.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(ca))]
            }
            if let cert = tls.certificateFile, let key = tls.keyFile {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            }
        } catch {
            throw TransportError(.tls, "could not read TLS files: \(error)")
        }
        tlsConfiguration = configuration
        loop = Self.clientGroup.next()
        if #available(macOS 15.0, *) { executor = EventLoopTaskExecutor(loop: loop) } else { executor = nil }
        self.maxBodyBytes = maxBodyBytes
        self.connectTimeout = connectTimeout
    }

    public func send(_ request: PreparedRequest) async throws(TransportError) -> ReceivedResponse {
        let clock = ContinuousClock()
        let start = clock.now
        let target = try RequestTarget(request.url)
        let deadline = NIODeadline.now() + TimeAmount(request.timeout)
        let head = Self.head(request, target)
        let body = request.body.map { ByteBuffer(bytes: $0) }
        // A kept-alive connection the server closed meanwhile fails before any answer:
        // an idempotent request is then sent once more, on a fresh connection.
        var attempt = 0
        while true {
            attempt += 1
            let (channel, reused) = try await connection(to: target.origin, deadline: deadline, request: request)
            let promise = channel.eventLoop.makePromise(of: HTTP1Answer.self)
            let exchange = HTTP1Exchange(head: head, body: body, maxBodyBytes: maxBodyBytes, deadline: deadline,
                                         timeoutText: request.timeout.shortText, promise: promise)
            channel.writeAndFlush(exchange, promise: nil)
            do {
                let answer = try await promise.futureResult.get()
                if answer.reusable { release(channel, origin: target.origin) }
                return ReceivedResponse(status: answer.status, headers: answer.headers, body: answer.body, duration: clock.now - start)
            } catch let error as TransportError {
                if reused, attempt == 1, error.kind == .connectionClosed, !error.responseStarted, Self.idempotent.contains(request.method) { continue }
                throw error
            } catch {
                throw Self.describe(error, url: request.url, timeoutText: request.timeout.shortText)
            }
        }
    }

    /// Runs tasks on the transport's event loop: a request then costs no thread switch.
    @available(macOS 15.0, *)
    public var taskExecutor: (any TaskExecutor)? { executor as? EventLoopTaskExecutor }

    public func shutdown() async {
        let channels = pool.withLock { p -> [any Channel] in
            p.closed = true
            defer { p.idle = [:] }
            return p.idle.values.flatMap { $0 }
        }
        for channel in channels { try? await channel.close() }
    }

    /// Vigil's client event loops, apart from NIO's singleton group: runs execute on them (see
    /// ``taskExecutor``), so an in-process server (the embedded emulator) keeps its loops free.
    private static let clientGroup = MultiThreadedEventLoopGroup(numberOfThreads: max(1, System.coreCount))

    private static let idempotent: Set<String> = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]

    /// An idle connection to `origin`, or a new one.
    private func connection(to origin: Origin, deadline: NIODeadline, request: PreparedRequest) async throws(TransportError) -> (any Channel, Bool) {
        let idle = pool.withLock { p -> (any Channel)? in
            while let c = p.idle[origin]?.popLast() {
                if c.isActive { return c }
            }
            return nil
        }
        if let idle { return (idle, true) }
        let timeout = min(connectTimeout, request.timeout)
        do {
            let ssl = origin.secure ? try context() : nil
            let sni = ssl == nil || RequestTarget.isIPAddress(origin.host) ? nil : origin.host
            let channel = try await ClientBootstrap(group: loop)
                .connectTimeout(TimeAmount(timeout))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        if let ssl { try sync.addHandler(NIOSSLClientHandler(context: ssl, serverHostname: sni)) }
                        try sync.addHTTPClientHandlers()
                        try sync.addHandler(HTTP1ExchangeHandler())
                    }
                }
                .connect(host: origin.host, port: origin.port).get()
            return (channel, false)
        } catch let error as TransportError {
            throw error
        } catch {
            throw Self.describe(error, url: request.url, timeoutText: request.timeout.shortText)
        }
    }

    private func release(_ channel: any Channel, origin: Origin) {
        let keep = pool.withLock { p -> Bool in
            guard !p.closed, p.idle[origin, default: []].count < 8 else { return false }
            p.idle[origin, default: []].append(channel)
            return true
        }
        if !keep { channel.close(promise: nil) }
    }

    /// The TLS context, made on first use (loading the system's trust store takes time).
    private func context() throws(TransportError) -> NIOSSLContext {
        do {
            return try sslContext.withLock { c in
                if let c { return c }
                let made = try NIOSSLContext(configuration: tlsConfiguration)
                c = made
                return made
            }
        } catch {
            throw TransportError(.tls, "TLS set-up failed: \(error)")
        }
    }

    private static let bodyMethods: Set<String> = ["POST", "PUT", "PATCH"]

    static func head(_ request: PreparedRequest, _ target: RequestTarget) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headers.count + 2)
        if !request.headers.contains(where: { $0.name.caseInsensitiveEquals("Host") }) {
            headers.add(name: "Host", value: target.hostHeader)
        }
        for (name, value) in request.headers { headers.add(name: name, value: value) }
        if let auth = target.userinfo, !headers.contains(name: "Authorization") {
            headers.add(name: "Authorization", value: "Basic \(Base64.encode(Array(auth.utf8)))")
        }
        if !headers.contains(name: "Content-Length"), !headers.contains(name: "Transfer-Encoding") {
            if let body = request.body {
                headers.add(name: "Content-Length", value: String(body.count))
            } else if bodyMethods.contains(request.method) {
                headers.add(name: "Content-Length", value: "0")
            }
        }
        return HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: target.path, headers: headers)
    }

    /// One line that says what went wrong, in the user's words where possible.
    static func describe(_ error: any Error, url: String?, timeoutText: String?) -> TransportError {
        if let e = error as? TransportError { return e }
        let within = timeoutText.map { "no answer within \($0) (timed out)" } ?? "timed out"
        let host = url.map(AsyncHTTPClientTransport.hostPort) ?? "the server"
        if let e = error as? NIOConnectionError {
            if e.connectionErrors.contains(where: { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }) {
                return TransportError(.connectionRefused, "connection refused by \(host) (is the server running?)")
            }
            if e.connectionErrors.isEmpty, e.dnsAError != nil || e.dnsAAAAError != nil {
                return TransportError(.other, "cannot resolve the host of \(host)")
            }
            if let first = e.connectionErrors.first {
                return TransportError(.other, "cannot connect to \(host): \(first.error)")
            }
        }
        if case ChannelError.connectTimeout = error {
            return TransportError(.timeout, within)
        }
        if let e = error as? IOError, e.errnoCode == ECONNREFUSED {
            return TransportError(.connectionRefused, "connection refused by \(host) (is the server running?)")
        }
        if let e = error as? IOError, e.errnoCode == ECONNRESET || e.errnoCode == EPIPE {
            return TransportError(.connectionClosed, "the connection was reset by the server")
        }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return TransportError(.tls, "TLS failed: \(error); to trust a private CA set tls.ca in the environment, or tls.insecure: true for a test server")
        }
        if let e = error as? HTTPParserError, e == .invalidEOFState {
            return TransportError(.connectionClosed, "the server closed the connection before the response was complete")
        }
        if error is HTTPParserError {
            return TransportError(.other, "the server's answer is not valid HTTP/1.1 (\(error))")
        }
        return TransportError(.other, String(describing: error))
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let c = duration.components
        self = .nanoseconds(c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000)
    }
}

/// A task executor that runs jobs on one event loop.
@available(macOS 15.0, *)
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
