import Foundation
import NIOCore
import NIOPosix

/// What ``RawHTTPServer`` does with one request.
enum RawReply: Sendable {
    /// Writes these bytes, then closes the connection when asked.
    case send(String, thenClose: Bool = false)
    /// Answers nothing (the client should time out).
    case silence
    /// Closes the connection at once.
    case close
}

/// A loopback HTTP/1.1 server that answers each request with scripted raw bytes, to test the
/// transport on what real servers do: keep-alive, closing, chunked bodies, silence.
final class RawHTTPServer: Sendable {
    private let channel: any Channel
    /// Connections accepted so far.
    let connections: Counter
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(channel: any Channel, connections: Counter) {
        self.channel = channel
        self.connections = connections
        port = channel.localAddress?.port ?? 0
    }

    /// Starts a server on a free port; `respond` gets each request's head and body as text.
    static func start(_ respond: @escaping @Sendable (String) -> RawReply) async throws -> RawHTTPServer {
        let connections = Counter()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    _ = connections.next()
                    try child.pipeline.syncOperations.addHandler(RawHandler(respond: respond))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return RawHTTPServer(channel: channel, connections: connections)
    }

    func stop() async {
        try? await channel.close()
    }
}

/// Splits the byte stream into requests (head, then a Content-Length body) and replies.
private final class RawHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let respond: @Sendable (String) -> RawReply
    private var pending: [UInt8] = []

    init(respond: @escaping @Sendable (String) -> RawReply) {
        self.respond = respond
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        pending.append(contentsOf: unwrapInboundIn(data).readableBytesView)
        while let request = nextRequest() {
            switch respond(request) {
            case .send(let text, let thenClose):
                let done = context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)))
                if thenClose { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
            case .silence:
                break
            case .close:
                context.close(promise: nil)
                return
            }
        }
    }

    private func nextRequest() -> String? {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = pending.indices.first(where: { pending[$0...].starts(with: separator) }) else { return nil }
        let head = String(decoding: pending[..<end], as: UTF8.self)
        let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        let total = end + 4 + length
        guard pending.count >= total else { return nil }
        let text = String(decoding: pending[..<total], as: UTF8.self)
        pending.removeFirst(total)
        return text
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// A response with a JSON body and a Content-Length.
func jsonResponse(_ body: String, status: String = "200 OK", extra: String = "") -> String {
    "HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\(extra)\r\n\(body)"
}
