import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Synchronization

/// One frame a ``ScriptedWebSocketServer`` sends, as it is: any payload (valid UTF-8 or not),
/// FIN set or not.
public struct ScriptedFrame: Sendable {
    public enum Kind: Sendable {
        case text, binary, continuation
    }

    let kind: Kind
    let fin: Bool
    let payload: Payload

    enum Payload {
        case bytes([UInt8])
        case repeated(UInt8, count: Int)
    }

    /// A frame carrying `bytes`; `fin: false` when more fragments of the message follow.
    public static func frame(_ kind: Kind, _ bytes: [UInt8], fin: Bool = true) -> ScriptedFrame {
        ScriptedFrame(kind: kind, fin: fin, payload: .bytes(bytes))
    }

    /// A frame carrying `text` as UTF-8.
    public static func frame(_ kind: Kind, _ text: String, fin: Bool = true) -> ScriptedFrame {
        ScriptedFrame(kind: kind, fin: fin, payload: .bytes(Array(text.utf8)))
    }

    /// A frame carrying `count` times `byte` (large frames without building them twice).
    public static func frame(_ kind: Kind, repeating byte: UInt8, count: Int, fin: Bool = true) -> ScriptedFrame {
        ScriptedFrame(kind: kind, fin: fin, payload: .repeated(byte, count: count))
    }

    var webSocketFrame: WebSocketFrame {
        let opcode: WebSocketOpcode =
            switch kind {
            case .text: .text
            case .binary: .binary
            case .continuation: .continuation
            }
        let data =
            switch payload {
            case .bytes(let b): ByteBuffer(bytes: b)
            case .repeated(let byte, let count): ByteBuffer(repeating: byte, count: count)
            }
        return WebSocketFrame(fin: fin, opcode: opcode, data: data)
    }
}

/// A loopback WebSocket server that sends scripted frames once the upgrade is done (whatever
/// the client sends), answers a close frame with one, and records the close codes clients send:
/// for frames real servers may send that the emulator never does.
public final class ScriptedWebSocketServer: Sendable {
    private let channel: any Channel
    private let box: Box
    public let port: Int
    public var url: String { "ws://127.0.0.1:\(port)" }
    /// The close codes clients sent, in order.
    public var closeCodes: [UInt16] { box.codes.withLock { $0 } }

    private init(channel: any Channel, box: Box) {
        self.channel = channel
        self.box = box
        port = channel.localAddress?.port ?? 0
    }

    /// Starts a server on a free port; `frames` gets the upgrade request's path.
    public static func start(_ frames: @escaping @Sendable (String) -> [ScriptedFrame]) async throws -> ScriptedWebSocketServer {
        let box = Box()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                let upgrader = NIOWebSocketServerUpgrader(
                    maxFrameSize: 1 << 20,
                    shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
                    upgradePipelineHandler: { channel, head in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                ScriptedWebSocketHandler(frames: frames(head.uri), closed: { code in box.codes.withLock { $0.append(code) } }))
                        }
                    })
                return child.pipeline.configureHTTPServerPipeline(withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return ScriptedWebSocketServer(channel: channel, box: box)
    }

    public func stop() async {
        try? await channel.close()
    }

    private final class Box: Sendable {
        let codes = Mutex<[UInt16]>([])
    }
}

/// Writes the scripted frames as soon as it is added; answers a close frame with one.
private final class ScriptedWebSocketHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let frames: [ScriptedFrame]
    private let closed: @Sendable (UInt16) -> Void

    init(frames: [ScriptedFrame], closed: @escaping @Sendable (UInt16) -> Void) {
        self.frames = frames
        self.closed = closed
    }

    func handlerAdded(context: ChannelHandlerContext) {
        for frame in frames { context.write(wrapOutboundOut(frame.webSocketFrame), promise: nil) }
        context.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard frame.opcode == .connectionClose else { return }
        var payload = frame.unmaskedData
        closed(payload.readInteger(as: UInt16.self) ?? 1005)
        let reply = WebSocketFrame(fin: true, opcode: .connectionClose, data: frame.unmaskedData)
        context.writeAndFlush(wrapOutboundOut(reply)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
