import NIOCore
import NIOPosix
import Synchronization

/// A loopback HTTP proxy for tests, as corporate proxies behave: `CONNECT host:port` opens a
/// raw tunnel; a request in absolute form (`GET http://host:port/path`) is forwarded in origin
/// form without the `Proxy-Authorization` header. Optionally it demands credentials (407).
/// It records the request line and `Proxy-Authorization` of every request it is given.
public final class LoopbackProxy: Sendable {
    private let channel: any Channel
    private let seen: Seen
    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)" }
    /// The request lines the proxy was sent, in order (`CONNECT h:p HTTP/1.1`, `GET http://… HTTP/1.1`).
    public var requestLines: [String] { seen.lines.withLock { $0.map(\.line) } }
    /// The `Proxy-Authorization` value of each of those requests (nil where absent).
    public var authorizations: [String?] { seen.lines.withLock { $0.map(\.authorization) } }

    private init(channel: any Channel, seen: Seen) {
        self.channel = channel
        self.seen = seen
        port = channel.localAddress?.port ?? 0
    }

    /// `requireAuthorization`: the exact `Proxy-Authorization` value to demand (`Basic …`).
    public static func start(requireAuthorization: String? = nil) async throws -> LoopbackProxy {
        let seen = Seen()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(ProxyFrontHandler(seen: seen, required: requireAuthorization))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return LoopbackProxy(channel: channel, seen: seen)
    }

    public func stop() async {
        try? await channel.close()
    }

    final class Seen: Sendable {
        let lines = Mutex<[(line: String, authorization: String?)]>([])
    }
}

/// The client side of one proxy connection.
private final class ProxyFrontHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let seen: LoopbackProxy.Seen
    private let required: String?
    private var pending: [UInt8] = []
    private var peer: EventLoopFuture<any Channel>?
    private var tunnelling = false

    init(seen: LoopbackProxy.Seen, required: String?) {
        self.seen = seen
        self.required = required
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        if tunnelling {
            forward(bytes)
            return
        }
        pending.append(contentsOf: bytes.readableBytesView)
        while !tunnelling, let (head, body) = nextRequest() {
            var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
            let requestLine = lines.removeFirst()
            let authorization = lines.first { $0.lowercased().hasPrefix("proxy-authorization:") }
                .map { String($0.drop { $0 != ":" }.dropFirst().drop { $0 == " " }) }
            seen.lines.withLock { $0.append((requestLine, authorization)) }
            if let required, authorization != required {
                let answer =
                    "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: answer))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
                return
            }
            let parts = requestLine.split(separator: " ")
            guard parts.count == 3 else { context.close(promise: nil); return }
            if parts[0] == "CONNECT" {
                let (host, port) = Self.hostPort(String(parts[1]), defaultPort: 443)
                connect(context: context, host: host, port: port).assumeIsolated().whenComplete { result in
                    switch result {
                    case .success:
                        context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(string: "HTTP/1.1 200 Connection established\r\n\r\n")), promise: nil)
                    case .failure:
                        context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(string: "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")), promise: nil)
                        context.close(promise: nil)
                    }
                }
                tunnelling = true
                if !pending.isEmpty { forward(ByteBuffer(bytes: pending)) }
                pending = []
                return
            }
            // Absolute form: forward in origin form, without the proxy's own header.
            let target = String(parts[1])
            guard let schemeEnd = target.firstRange(of: "://") else { context.close(promise: nil); return }
            let rest = target[schemeEnd.upperBound...]
            let authority = String(rest.prefix { $0 != "/" && $0 != "?" })
            let path = rest.dropFirst(authority.count)
            let (host, port) = Self.hostPort(authority, defaultPort: 80)
            if peer == nil { _ = connect(context: context, host: host, port: port) }
            let kept = lines.filter { !$0.lowercased().hasPrefix("proxy-authorization:") }
            let rewritten = (["\(parts[0]) \(path.isEmpty ? "/" : path) \(parts[2])"] + kept).joined(separator: "\r\n")
            forward(ByteBuffer(bytes: Array(rewritten.utf8) + Array("\r\n\r\n".utf8) + body))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        peer?.whenSuccess { $0.close(promise: nil) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func connect(context: ChannelHandlerContext, host: String, port: Int) -> EventLoopFuture<any Channel> {
        let front = context.channel
        let future = ClientBootstrap(group: context.eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(RelayHandler(to: front)) }
            }
            .connect(host: host, port: port)
        peer = future
        return future
    }

    private func forward(_ bytes: ByteBuffer) {
        peer?.whenSuccess { $0.writeAndFlush(bytes, promise: nil) }
    }

    private static func hostPort(_ text: String, defaultPort: Int) -> (String, Int) {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            return (host, rest.hasPrefix(":") ? Int(rest.dropFirst()) ?? defaultPort : defaultPort)
        }
        guard let colon = text.lastIndex(of: ":") else { return (text, defaultPort) }
        return (String(text[..<colon]), Int(text[text.index(after: colon)...]) ?? defaultPort)
    }

    /// One whole request from `pending`: its head (without the blank line) and its body.
    private func nextRequest() -> (String, [UInt8])? { takeRequest(from: &pending) }
}

/// The server side of one proxy connection: whatever the server sends goes back raw.
private final class RelayHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let front: any Channel

    init(to front: any Channel) {
        self.front = front
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        front.writeAndFlush(unwrapInboundIn(data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        front.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
