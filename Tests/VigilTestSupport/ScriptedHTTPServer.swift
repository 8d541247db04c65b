import NIOCore
import NIOPosix
import Synchronization

/// Loopback servers for tests, shared by the test targets (a test target cannot use another's
/// files). Not part of any product.

/// What a ``ScriptedHTTPServer`` does with one request, once its head and body are read.
public enum ScriptedReply: Sendable {
    /// Writes these bytes; closes the connection afterwards when asked.
    case send([UInt8], thenClose: Bool = false)
    /// Answers nothing and keeps the connection open (the client should time out).
    case silence
    /// Closes the connection at once.
    case close

    /// Writes this text.
    public static func send(_ text: String, thenClose: Bool = false) -> ScriptedReply {
        .send(Array(text.utf8), thenClose: thenClose)
    }
}

/// A loopback HTTP/1.1 server that answers each request with scripted raw bytes: for what real
/// servers do that the emulator does not (keep-alive and closing, chunked bodies, silence,
/// empty or huge bodies, redirect loops).
public final class ScriptedHTTPServer: Sendable {
    private let channel: any Channel
    private let tally: Tally
    public let port: Int
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// Connections accepted so far.
    public var connections: Int { tally.counts.withLock { $0.connections } }
    /// Requests read so far.
    public var requestCount: Int { tally.counts.withLock { $0.requests } }

    private init(channel: any Channel, tally: Tally) {
        self.channel = channel
        self.tally = tally
        port = channel.localAddress?.port ?? 0
    }

    /// Starts a server on a free port; `respond` gets each request's head and body as text.
    public static func start(_ respond: @escaping @Sendable (String) -> ScriptedReply) async throws -> ScriptedHTTPServer {
        try await start(raw: { head, body in respond(head + "\r\n\r\n" + String(decoding: body, as: UTF8.self)) })
    }

    /// Starts a server on a free port; `respond` gets each request's head (text) and body (bytes).
    public static func start(raw respond: @escaping @Sendable (String, [UInt8]) -> ScriptedReply) async throws -> ScriptedHTTPServer {
        let tally = Tally()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    tally.counts.withLock { $0.connections += 1 }
                    try child.pipeline.syncOperations.addHandler(
                        ScriptedHandler(respond: { head, body in
                            tally.counts.withLock { $0.requests += 1 }
                            return respond(head, body)
                        }))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return ScriptedHTTPServer(channel: channel, tally: tally)
    }

    public func stop() async {
        try? await channel.close()
    }

    private final class Tally: Sendable {
        let counts = Mutex((connections: 0, requests: 0))
    }
}

/// Splits the byte stream into requests (head, then a Content-Length body) and replies.
private final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let respond: @Sendable (String, [UInt8]) -> ScriptedReply
    private var pending: [UInt8] = []

    init(respond: @escaping @Sendable (String, [UInt8]) -> ScriptedReply) {
        self.respond = respond
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        pending.append(contentsOf: unwrapInboundIn(data).readableBytesView)
        while let (head, body) = takeRequest(from: &pending) {
            switch respond(head, body) {
            case .send(let bytes, let thenClose):
                let done = context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)))
                if thenClose { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
            case .silence:
                break
            case .close:
                context.close(promise: nil)
                return
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// One whole request taken from the front of `pending`: its head (without the blank line) and
/// its `Content-Length` body; nil while it is incomplete.
func takeRequest(from pending: inout [UInt8]) -> (head: String, body: [UInt8])? {
    let separator = Array("\r\n\r\n".utf8)
    guard pending.count >= 4,
        let end = (0...(pending.count - 4)).first(where: { pending[$0..<$0 + 4].elementsEqual(separator) })
    else { return nil }
    let head = String(decoding: pending[..<end], as: UTF8.self)
    let length =
        head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
        .flatMap { line in line.split(separator: ":").dropFirst().first.flatMap { Int($0.filter { $0 != " " && $0 != "\t" }) } } ?? 0
    guard pending.count >= end + 4 + length else { return nil }
    let body = Array(pending[(end + 4)..<(end + 4 + length)])
    pending.removeFirst(end + 4 + length)
    return (head, body)
}

/// A complete HTTP/1.1 response with a Content-Length.
public func httpResponse(
    _ body: [UInt8], status: String = "200 OK", contentType: String = "application/json",
    extra: String = ""
) -> [UInt8] {
    Array("HTTP/1.1 \(status)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n\(extra)\r\n".utf8) + body
}

/// A complete HTTP/1.1 response with a JSON (or other) text body.
public func httpResponse(_ body: String, status: String = "200 OK", extra: String = "") -> [UInt8] {
    httpResponse(Array(body.utf8), status: status, extra: extra)
}

/// The request line's path (`GET /a/b HTTP/1.1` → `/a/b`).
public func requestPath(_ request: String) -> String {
    let line = request.prefix { $0 != "\r" }
    let parts = line.split(separator: " ")
    return parts.count > 1 ? String(parts[1]) : ""
}
