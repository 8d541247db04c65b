#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
import NIOSSL
import Synchronization
import VigilCore

/// Vigil's one ``HTTPTransport``, straight over SwiftNIO's HTTP/1.1 codec, for every request
/// of a run, direct or through a proxy: one kept-alive connection per route (origin, and proxy
/// if any) reused by requests in turn, one request in flight on each; a deadline per request
/// (connect, send and receive); one TLS configuration (``TLSSettings``) on every route;
/// `gzip` and `deflate` answers decoded (swift-nio-extras), within the body limit counted after
/// decoding; redirects never followed here (the runner does).
///
/// Through a proxy, `http` requests go to the proxy in absolute form and `https` ones through a
/// CONNECT tunnel (swift-nio-extras' `NIOHTTP1ProxyConnectHandler`), TLS end to end with the server.
///
/// Each transport has an event loop of its own (one thread), which nothing else uses: the
/// run that sends through it executes there too (``runExecutor``), so a request goes out and
/// its answer is taken in without a thread switch. Another run (another environment of a
/// matrix), the consumer of the run's events (console, reports) and an embedded server have
/// threads of their own and never wait for it (docs/architecture.md).
public final class NIOHTTP1Transport: HTTPTransport {
    /// The body limit unless told otherwise (64 MiB); a WebSocket message has the same.
    public static let defaultMaxBodyBytes = 64 * 1024 * 1024
    /// Bodies larger than this (after decoding) fail the request instead of exhausting memory.
    public let maxBodyBytes: Int
    /// At most this long to establish a connection, within the request's own timeout.
    public let connectTimeout: Duration
    /// The transport's own thread: every connection lives on its loop, and the run executes there.
    private let group: MultiThreadedEventLoopGroup
    private let loop: any EventLoop
    private let executor: EventLoopTaskExecutor
    private let tlsConfiguration: TLSConfiguration
    public let proxy: ProxySettings?
    private let sslContext = Mutex<NIOSSLContext?>(nil)
    private let pool = Mutex(Pool())

    /// Where a connection goes: the server's origin, and the proxy in between if any.
    struct Route: Hashable, Sendable {
        var origin: HTTPURL.Origin
        var proxy: ProxySettings.Server?
    }

    private struct Pool {
        var idle: [Route: [any Channel]] = [:]
        var closed = false
    }

    public init(
        tls: TLSSettings, proxy: ProxySettings? = nil, maxBodyBytes: Int = defaultMaxBodyBytes,
        connectTimeout: Duration = .seconds(10)
    ) throws(TransportError) {
        tlsConfiguration = try tls.clientConfiguration()
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
        executor = EventLoopTaskExecutor(loop: loop)
        self.proxy = proxy
        self.maxBodyBytes = maxBodyBytes
        self.connectTimeout = connectTimeout
    }

    public func send(_ request: PreparedRequest) async throws(TransportError) -> ReceivedResponse {
        try await send(request, pinned: nil)
    }

    /// Sends `request`; with `pinned`, over the connection it holds (taking a pooled or new one
    /// when it holds none) and keeping the connection there afterwards instead of in the pool.
    func send(_ request: PreparedRequest, pinned: PinnedChannel?) async throws(TransportError) -> ReceivedResponse {
        let clock = ContinuousClock()
        let start = clock.now
        let url = try HTTPURL(request.url)
        let route = Route(origin: url.origin, proxy: proxy?.server(for: url.origin))
        let deadline = NIODeadline.now() + TimeAmount(request.timeout)
        let head = Self.head(request, url, forwardProxy: url.origin.secure ? nil : route.proxy)
        let body = request.body.map { ByteBuffer(bytes: $0) }
        // A kept-alive connection the server closed meanwhile fails before any answer:
        // an idempotent request is then sent once more, on a fresh connection.
        var attempt = 0
        while true {
            try Self.checkCancellation()
            attempt += 1
            let channel: any Channel, reused: Bool
            if let held = pinned?.take(route) {
                (channel, reused) = (held, true)
            } else {
                (channel, reused) = try await connection(route, deadline: deadline, request: request)
            }
            let promise = channel.eventLoop.makePromise(of: HTTP1Answer.self)
            let exchange = HTTP1Exchange(
                head: head, body: body, stream: request.streamedBody, maxBodyBytes: maxBodyBytes, deadline: deadline,
                timeoutText: request.timeout.shortText, promise: promise)
            // A connection closed before the write reaches the handler fails the write, not the
            // exchange: pass that on, so the request never waits for an answer that cannot come.
            let written = channel.eventLoop.makePromise(of: Void.self)
            written.futureResult.whenFailure { promise.fail(HTTP1ExchangeHandler.describeWrite($0)) }
            channel.writeAndFlush(exchange, promise: written)
            do {
                // Ctrl-C cancels the task: the connection is closed and the request fails at once.
                let answer = try await withTaskCancellationHandler {
                    try await promise.futureResult.get()
                } onCancel: {
                    let waited = (ContinuousClock.now - start).shortText
                    promise.fail(TransportError(.cancelled, "interrupted: cancelled in flight, no answer after \(waited)"))
                    channel.close(promise: nil)
                }
                if answer.reusable {
                    if let pinned { pinned.keep(channel, route: route) } else { release(channel, route: route) }
                } else {
                    pinned?.drop()
                }
                // A forward proxy's own refusal, not the server's answer.
                if answer.status == 407, let proxy = route.proxy, !url.origin.secure {
                    throw Self.proxyRefusal(proxy, target: url.origin.hostAndPort)
                }
                return ReceivedResponse(status: answer.status, headers: answer.headers, body: answer.body, duration: clock.now - start)
            } catch let error as TransportError {
                if reused, attempt == 1, error.kind == .connectionClosed, !error.responseStarted,
                    error.notSent || Self.idempotent.contains(request.method)
                {
                    continue
                }
                throw error
            } catch {
                throw Self.describe(error, url: request.url, timeoutText: request.timeout.shortText, proxy: route.proxy)
            }
        }
    }

    public func shutdown() async {
        let channels = pool.withLock { p -> [any Channel] in
            p.closed = true
            defer { p.idle = [:] }
            return p.idle.values.flatMap { $0 }
        }
        for channel in channels { try? await channel.close() }
        try? await group.shutdownGracefully()
    }

    /// Runs a run's jobs on the transport's loop.
    public var runExecutor: (any TaskExecutor)? { executor }

    private static let idempotent: Set<String> = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]

    private static func checkCancellation() throws(TransportError) {
        if Task.isCancelled { throw TransportError(.cancelled, "interrupted: not sent") }
    }

    /// An idle connection for `route`, or a new one.
    private func connection(_ route: Route, deadline: NIODeadline, request: PreparedRequest) async throws(TransportError) -> (any Channel, Bool) {
        let idle = pool.withLock { p -> (any Channel)? in
            while let c = p.idle[route]?.popLast() {
                if c.isActive { return c }
            }
            return nil
        }
        if let idle { return (idle, true) }
        let timeout = min(connectTimeout, request.timeout)
        let ready = loop.makePromise(of: Void.self)
        do {
            let ssl = route.origin.secure ? try context() : nil
            let sni = ssl == nil || HTTPURL.isIPAddress(route.origin.host) ? nil : route.origin.host
            let limit = maxBodyBytes
            let origin = route.origin
            let tunnelDeadline = NIODeadline.now() + TimeAmount(timeout)
            // Only https goes through a tunnel; plain http is sent to the proxy in absolute form.
            let tunnel = ssl.flatMap { ssl in route.proxy.map { (proxy: $0, ssl: ssl) } }
            let bootstrap = ClientBootstrap(group: loop)
                .connectTimeout(TimeAmount(timeout))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        // A tunnel is set up once connected (below), so that a refused proxy is
                        // reported as refused, not as a broken tunnel.
                        guard tunnel == nil else { return }
                        let sync = channel.pipeline.syncOperations
                        if let ssl {
                            try sync.addHandler(NIOSSLClientHandler(context: ssl, serverHostname: sni))
                            try sync.addHandler(TLSHandshakeWaiter(ready: ready, host: origin.host))
                        }
                        try Self.addExchangeHandlers(sync, limit: limit)
                    }
                }
            // The connection is ready once connected (plain), once its TLS handshake is done, or
            // once the proxy's tunnel and the TLS over it stand. Waiting for that is cancelled by a
            // stop and ends at the request's deadline, whatever the peer does.
            let plain = ssl == nil
            let connecting = bootstrap.connect(host: route.proxy?.host ?? route.origin.host, port: route.proxy?.port ?? route.origin.port)
            connecting.whenComplete { result in
                switch result {
                case .success(let channel):
                    if plain {
                        ready.succeed()
                    } else if let tunnel {
                        Self.openTunnel(
                            channel, to: origin, through: tunnel.proxy, ssl: tunnel.ssl, sni: sni, limit: limit,
                            deadline: tunnelDeadline, ready: ready)
                    }
                case .failure(let error):
                    ready.fail(error)
                }
            }
            let peer = route.proxy.map { "the proxy \($0)" } ?? route.origin.hostAndPort
            let timeoutText = request.timeout.shortText
            let expiry = loop.scheduleTask(deadline: deadline) {
                ready.fail(TransportError(.timeout, "no answer within \(timeoutText) (timed out) while connecting to \(peer)"))
            }
            do {
                try await withTaskCancellationHandler {
                    try await ready.futureResult.get()
                } onCancel: {
                    ready.fail(TransportError(.cancelled, "interrupted: cancelled while connecting to \(peer)"))
                }
                expiry.cancel()
            } catch {
                expiry.cancel()
                connecting.whenSuccess { $0.close(promise: nil) }
                throw error
            }
            return (try await connecting.get(), false)
        } catch let error as TransportError {
            ready.fail(error)
            throw error
        } catch {
            ready.fail(error)
            throw Self.describe(error, url: request.url, timeoutText: request.timeout.shortText, proxy: route.proxy)
        }
    }

    /// On a connection to `proxy`: CONNECT to `origin`; once the proxy says yes, TLS and HTTP over
    /// the tunnel; `ready` completes when the TLS handshake is done. Runs on the channel's loop.
    private static func openTunnel(
        _ channel: any Channel, to origin: HTTPURL.Origin, through proxy: ProxySettings.Server,
        ssl: NIOSSLContext, sni: String?, limit: Int, deadline: NIODeadline,
        ready: EventLoopPromise<Void>
    ) {
        let sync = channel.pipeline.syncOperations
        let encoder = HTTPRequestEncoder()
        let decoder = ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .forwardBytes))
        let established = channel.eventLoop.makePromise(of: Void.self)
        var headers = HTTPHeaders([("Host", origin.hostAndPort)])
        if let auth = proxy.authorization { headers.add(name: "Proxy-Authorization", value: auth) }
        do {
            try sync.addHandler(encoder)
            try sync.addHandler(decoder)
            try sync.addHandler(
                NIOHTTP1ProxyConnectHandler(
                    targetHost: origin.host, targetPort: origin.port, headers: headers,
                    deadline: deadline, promise: established))
        } catch {
            established.fail(error)
            ready.fail(error)
            return
        }
        // The CONNECT handler leaves the pipeline by itself once the tunnel stands.
        established.futureResult.assumeIsolated().flatMap {
            sync.removeHandler(decoder)
        }.flatMap {
            sync.removeHandler(encoder)
        }.whenComplete { result in
            do {
                try result.get()
                try sync.addHandler(NIOSSLClientHandler(context: ssl, serverHostname: sni))
                try sync.addHandler(TLSHandshakeWaiter(ready: ready, host: origin.host))
                try addExchangeHandlers(sync, limit: limit)
            } catch {
                ready.fail(error)
            }
        }
    }

    /// The HTTP/1.1 codec, the response decompressor (limited to the body limit, counted after
    /// decoding, so a gzip bomb stops there) and the exchange handler.
    private static func addExchangeHandlers(_ sync: ChannelPipeline.SynchronousOperations, limit: Int) throws {
        try sync.addHTTPClientHandlers()
        try sync.addHandler(NIOHTTPResponseDecompressor(limit: .size(limit)))
        try sync.addHandler(HTTP1ExchangeHandler())
    }

    func release(_ channel: any Channel, route: Route) {
        let keep = pool.withLock { p -> Bool in
            guard !p.closed, p.idle[route, default: []].count < 8 else { return false }
            p.idle[route, default: []].append(channel)
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

    /// The request head. `forwardProxy`: an `http` request sent to this proxy, in absolute form
    /// and with the proxy's own credentials (they never go to the server).
    static func head(_ request: PreparedRequest, _ url: HTTPURL, forwardProxy: ProxySettings.Server? = nil) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headers.count + 3)
        if !request.headers.contains(where: { $0.name.caseInsensitiveEquals("Host") }) {
            headers.add(name: "Host", value: url.hostHeader)
        }
        for (name, value) in request.headers { headers.add(name: name, value: value) }
        if let auth = url.userinfo, !headers.contains(name: "Authorization") {
            headers.add(name: "Authorization", value: "Basic \(Base64.encode(Array(auth.utf8)))")
        }
        // Without `compressed: true` Vigil asks for no compression (the decompressor would
        // otherwise ask for it); an answer compressed all the same is still decoded.
        if !headers.contains(name: "Accept-Encoding") { headers.add(name: "Accept-Encoding", value: "identity") }
        if !headers.contains(name: "Content-Length"), !headers.contains(name: "Transfer-Encoding") {
            if let body = request.body {
                headers.add(name: "Content-Length", value: String(body.count))
            } else if let stream = request.streamedBody {
                headers.add(name: "Content-Length", value: String(stream.length))
            } else if bodyMethods.contains(request.method) {
                headers.add(name: "Content-Length", value: "0")
            }
        }
        if let auth = forwardProxy?.authorization { headers.add(name: "Proxy-Authorization", value: auth) }
        let uri = forwardProxy == nil ? url.path : url.absoluteForm
        return HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: uri, headers: headers)
    }

    /// A proxy's 407: it wants credentials, or refused the ones its URL gave.
    static func proxyRefusal(_ proxy: ProxySettings.Server, target: String) -> TransportError {
        if proxy.authorization == nil {
            return TransportError(
                .proxy, "the proxy \(proxy) asks for credentials (407) for \(target): give them in the proxy URL, http://user:password@host:port")
        }
        return TransportError(.proxy, "the proxy \(proxy) refused the credentials of its URL (407) for \(target)")
    }

    /// One line that says what went wrong, in the user's words where possible; classified by
    /// the error's type, never by its text.
    static func describe(_ error: any Error, url: String?, timeoutText: String?, proxy: ProxySettings.Server? = nil) -> TransportError {
        if let e = error as? TransportError { return e }
        let within = timeoutText.map { "no answer within \($0) (timed out)" } ?? "timed out"
        let host = url.map(HTTPURL.hostAndPort(of:)) ?? "the server"
        // Until the tunnel stands, connection errors are the proxy's.
        let peer = proxy.map { "the proxy \($0)" } ?? host
        if let e = error as? NIOConnectionError {
            if e.connectionErrors.contains(where: { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }) {
                return TransportError(.connectionRefused, "connection refused by \(peer) (is \(proxy == nil ? "the server" : "the proxy") running?)")
            }
            if e.connectionErrors.isEmpty, e.dnsAError != nil || e.dnsAAAAError != nil {
                return TransportError(.other, "cannot resolve the host of \(peer)")
            }
            if let first = e.connectionErrors.first {
                return TransportError(.other, "cannot connect to \(peer): \(first.error)")
            }
        }
        if case ChannelError.connectTimeout = error {
            return TransportError(.timeout, proxy == nil ? within : "\(within) connecting to \(peer)")
        }
        if let e = error as? IOError, e.errnoCode == ECONNREFUSED {
            return TransportError(.connectionRefused, "connection refused by \(peer) (is \(proxy == nil ? "the server" : "the proxy") running?)")
        }
        if let e = error as? IOError, e.errnoCode == ECONNRESET || e.errnoCode == EPIPE {
            return TransportError(.connectionClosed, "the connection was reset by the server")
        }
        if let e = error as? NIOHTTP1ProxyConnectHandler.Error {
            let via = proxy.map { "the proxy \($0)" } ?? "the proxy"
            if e == .proxyAuthenticationRequired() {
                return proxyRefusal(proxy ?? ProxySettings.Server(host: "?", port: 0), target: host)
            }
            if e == .httpProxyHandshakeTimeout() {
                return TransportError(.timeout, "\(via) did not open a tunnel to \(host) in time\(timeoutText.map { " (\($0))" } ?? "")")
            }
            if e == .invalidProxyResponseHead(HTTPResponseHead(version: .http1_1, status: .ok)) {
                return TransportError(.proxy, "\(via) refused the tunnel to \(host) (its answer to CONNECT was not 2xx)")
            }
            return TransportError(.proxy, "\(via) closed or broke the tunnel to \(host)")
        }
        if let e = error as? NIOHTTPDecompression.DecompressionError {
            switch e {
            case .limit: return TransportError(.bodyTooLarge, "response body larger than the limit once decompressed")
            case .inflationError(let code): return TransportError(.other, "the compressed response body is corrupt (zlib error \(code))")
            case .initializationError(let code): return TransportError(.other, "the response body could not be decompressed (zlib error \(code))")
            }
        }
        if let e = error as? NIOHTTPDecompression.ExtraDecompressionError {
            if e == .truncatedData {
                return TransportError(
                    .connectionClosed, "the compressed response body ended before its compressed stream did: the server sent a truncated gzip or deflate body",
                    responseStarted: true)
            }
            return TransportError(.other, "the compressed response body has bytes after its end")
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

/// A task executor that runs its jobs on one event loop (SwiftNIO has none for posix loops).
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
