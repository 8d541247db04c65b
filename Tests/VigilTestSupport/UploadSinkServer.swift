import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A loopback HTTP server that takes request bodies of any size without keeping them in
/// memory: each is written to a file of its own, for tests of uploads too large to hold.
public final class UploadSinkServer: Sendable {
    /// One request's body as received: its `Content-Type`, byte count and the file holding it.
    public struct Received: Sendable {
        public var contentType: String?
        public var count: Int
        public var file: URL
    }

    private let channel: any Channel
    private let box: Box
    public let port: Int
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// Every request's body as received, in order.
    public var received: [Received] { box.seen.withLock { $0 } }

    private init(channel: any Channel, box: Box) {
        self.channel = channel
        self.box = box
        port = channel.localAddress?.port ?? 0
    }

    /// Starts a server on a free port that writes each body into `directory`.
    public static func start(savingTo directory: URL) async throws -> UploadSinkServer {
        let box = Box()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    try child.pipeline.syncOperations.addHandler(SinkHandler(directory: directory, record: { r in box.seen.withLock { $0.append(r) } }))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return UploadSinkServer(channel: channel, box: box)
    }

    public func stop() async { try? await channel.close() }

    private final class Box: Sendable {
        let seen = Mutex<[Received]>([])
    }
}

private final class SinkHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let directory: URL
    private let record: @Sendable (UploadSinkServer.Received) -> Void
    private var current: UploadSinkServer.Received?
    private var handle: FileHandle?

    init(directory: URL, record: @escaping @Sendable (UploadSinkServer.Received) -> Void) {
        self.directory = directory
        self.record = record
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            let file = directory.appendingPathComponent("received-\(UUID().uuidString).bin")
            _ = FileManager.default.createFile(atPath: file.path, contents: nil)
            handle = try? FileHandle(forWritingTo: file)
            current = .init(contentType: head.headers.first(name: "Content-Type"), count: 0, file: file)
        case .body(let part):
            current?.count += part.readableBytes
            part.withUnsafeReadableBytes { try? handle?.write(contentsOf: $0) }
        case .end:
            try? handle?.close()
            handle = nil
            if let current { record(current) }
            let body = "{\"size\": \(current?.count ?? 0)}"
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(body.utf8.count))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .created, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
