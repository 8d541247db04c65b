import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#endif

/// A request body sent as it is read: bytes held in memory, and files read from disk a chunk
/// at a time (a 100 MB upload does not take 100 MB of memory). Used for `multipart:` bodies
/// with files.
public struct StreamedBody: Sendable {
    public enum Piece: Sendable {
        case bytes([UInt8])
        /// A file's path and its size when the request was prepared: fewer bytes when sent is an error.
        case file(path: String, size: Int)
    }

    public var pieces: [Piece]

    public init(pieces: [Piece]) { self.pieces = pieces }

    /// The body's length in bytes (its `Content-Length`).
    public var length: Int {
        pieces.reduce(0) {
            switch $1 {
            case .bytes(let b): $0 + b.count
            case .file(_, let size): $0 + size
            }
        }
    }
}

/// Writes a ``StreamedBody`` on a channel, one chunk in flight at a time: the next chunk is
/// read only once the last one is written, so memory stays at one chunk whatever the size.
final class BodyStreamWriter {
    static let chunk = 128 * 1024
    private let pieces: [StreamedBody.Piece]
    private var index = 0
    private var fd: Int32 = -1
    private var left = 0
    private let done: EventLoopPromise<Void>

    init(_ body: StreamedBody, done: EventLoopPromise<Void>) {
        pieces = body.pieces
        self.done = done
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Writes what comes next; calls itself again when a file chunk is written; ends the request.
    func pump(_ context: ChannelHandlerContext) {
        while index < pieces.count {
            switch pieces[index] {
            case .bytes(let b):
                index += 1
                if !b.isEmpty { context.write(NIOAny(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: b)))), promise: nil) }
            case .file(let path, let size):
                if fd < 0 {
                    fd = open(path, O_RDONLY | O_CLOEXEC)
                    guard fd >= 0 else { return fail("file '\(path)' cannot be read any more") }
                    left = size
                }
                guard left > 0 else {
                    close(fd)
                    fd = -1
                    index += 1
                    continue
                }
                let want = min(left, Self.chunk)
                var buffer = context.channel.allocator.buffer(capacity: want)
                var got = 0
                buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: want) { raw in
                    got = read(fd, raw.baseAddress, want)
                    return max(got, 0)
                }
                guard got > 0 else { return fail("file '\(path)' became shorter than its \(size) bytes while it was sent") }
                left -= got
                let written = context.eventLoop.makePromise(of: Void.self)
                context.writeAndFlush(NIOAny(HTTPClientRequestPart.body(.byteBuffer(buffer))), promise: written)
                // The next chunk from the event loop, not from this call: a write that completes
                // at once would otherwise nest calls that each keep their chunk alive.
                written.futureResult.assumeIsolated().whenComplete { result in
                    switch result {
                    case .success: context.eventLoop.assumeIsolated().execute { self.pump(context) }
                    case .failure(let error): self.done.fail(error)
                    }
                }
                return
            }
        }
        context.writeAndFlush(NIOAny(HTTPClientRequestPart.end(nil)), promise: done)
    }

    private func fail(_ message: String) {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
        done.fail(TransportError(.other, message))
    }
}
