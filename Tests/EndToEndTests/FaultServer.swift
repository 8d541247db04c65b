import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// What ``FaultServer`` does with one request (after reading its head and body).
enum FaultReply: Sendable {
    /// Writes these bytes; closes the connection afterwards when asked.
    case send([UInt8], thenClose: Bool = false)
    /// Reads the request and never answers, keeping the connection open.
    case silence
}

/// A loopback HTTP/1.1 server for the faults the emulator cannot make: empty bodies, huge
/// bodies, redirect loops, silence. Each request's head (and body) is given to `respond` as text.
/// Adapted from Tests/VigilRunnerTests/RawHTTPServer.swift (test targets cannot share files).
final class FaultServer: Sendable {
    private let channel: any Channel
    private let served = Mutex(0)
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }
    /// Requests read so far.
    var requestCount: Int { served.withLock { $0 } }

    private init(channel: any Channel) {
        self.channel = channel
        port = channel.localAddress?.port ?? 0
    }

    static func start(_ respond: @escaping @Sendable (String) -> FaultReply) async throws -> FaultServer {
        let box = Mutex<FaultServer?>(nil)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(FaultHandler(respond: { request in
                        box.withLock { $0 }?.served.withLock { $0 += 1 }
                        return respond(request)
                    }))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = FaultServer(channel: channel)
        box.withLock { $0 = server }
        return server
    }

    func stop() async {
        try? await channel.close()
    }
}

/// Splits the byte stream into requests (head, then a Content-Length body) and replies.
private final class FaultHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let respond: @Sendable (String) -> FaultReply
    private var pending: [UInt8] = []

    init(respond: @escaping @Sendable (String) -> FaultReply) {
        self.respond = respond
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        pending.append(contentsOf: unwrapInboundIn(data).readableBytesView)
        while let request = nextRequest() {
            switch respond(request) {
            case .send(let bytes, let thenClose):
                let done = context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)))
                if thenClose { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
            case .silence:
                break
            }
        }
    }

    private func nextRequest() -> String? {
        let separator = Array("\r\n\r\n".utf8)
        guard pending.count >= 4,
              let end = (0...(pending.count - 4)).first(where: { pending[$0..<$0 + 4].elementsEqual(separator) }) else { return nil }
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

/// A complete HTTP/1.1 response with a Content-Length.
func httpResponse(_ body: [UInt8], status: String = "200 OK", contentType: String = "application/json",
                  extra: String = "") -> [UInt8] {
    Array("HTTP/1.1 \(status)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n\(extra)\r\n".utf8) + body
}

func httpResponse(_ body: String, status: String = "200 OK", extra: String = "") -> [UInt8] {
    httpResponse(Array(body.utf8), status: status, extra: extra)
}

/// The request line's path (`GET /a/b HTTP/1.1` → `/a/b`).
func requestPath(_ request: String) -> String {
    let line = request.prefix { $0 != "\r" }
    let parts = line.split(separator: " ")
    return parts.count > 1 ? String(parts[1]) : ""
}
