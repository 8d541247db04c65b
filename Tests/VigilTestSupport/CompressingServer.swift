import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix

/// A loopback HTTP/1.1 server answering every request with one body, compressed with gzip or
/// deflate as the request's `Accept-Encoding` asks (swift-nio-extras' response compressor).
public final class CompressingServer: Sendable {
    private let channel: any Channel
    public let port: Int
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(channel: any Channel) {
        self.channel = channel
        port = channel.localAddress?.port ?? 0
    }

    /// `body` is sent (before compression) with `extraHeaders` to every request.
    public static func start(
        body: [UInt8], contentType: String = "application/json",
        extraHeaders: [(String, String)] = []
    ) async throws -> CompressingServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    let sync = child.pipeline.syncOperations
                    try sync.configureHTTPServerPipeline()
                    try sync.addHandler(HTTPResponseCompressor())
                    try sync.addHandler(FixedBodyHandler(body: body, contentType: contentType, extraHeaders: extraHeaders))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return CompressingServer(channel: channel)
    }

    public func stop() async {
        try? await channel.close()
    }
}

private final class FixedBodyHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let body: [UInt8]
    let contentType: String
    let extraHeaders: [(String, String)]

    init(body: [UInt8], contentType: String, extraHeaders: [(String, String)]) {
        self.body = body
        self.contentType = contentType
        self.extraHeaders = extraHeaders
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        var headers = HTTPHeaders([("Content-Type", contentType)])
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
