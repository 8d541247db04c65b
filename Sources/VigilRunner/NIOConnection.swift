#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOSSL
import NIOTLS

/// One request for an ``HTTP1ExchangeHandler``: written to the channel from any thread.
struct HTTP1Exchange: Sendable {
    var head: HTTPRequestHead
    var body: ByteBuffer?
    /// A body read as it is sent (instead of `body`).
    var stream: StreamedBody?
    var maxBodyBytes: Int
    var deadline: NIODeadline
    var timeoutText: String
    var promise: EventLoopPromise<HTTP1Answer>
}

/// A complete response, and whether its connection may carry another request.
struct HTTP1Answer: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    var reusable: Bool
}

/// The last handler of a client connection: takes ``HTTP1Exchange``s, one at a time, writes
/// their request and completes their promise with the whole response, or with a
/// ``TransportError`` on timeout, close, reset or an oversized body.
final class HTTP1ExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTP1Exchange
    typealias OutboundOut = HTTPClientRequestPart

    private var promise: EventLoopPromise<HTTP1Answer>?
    private var timeout: Scheduled<Void>?
    private var head: HTTPResponseHead?
    /// The body so far, gathered straight into the array the response will hold (no second
    /// copy of a large body), its capacity reserved from `Content-Length` when there is one.
    private var body: [UInt8]?
    private var limit = 0
    private var closeAfter = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise writePromise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        guard self.promise == nil else {
            exchange.promise.fail(TransportError(.other, "internal error: two requests on one connection"))
            return
        }
        self.promise = exchange.promise
        head = nil
        body = nil
        limit = exchange.maxBodyBytes
        closeAfter = !exchange.head.isKeepAlive
        let text = exchange.timeoutText
        timeout = context.eventLoop.assumeIsolated().scheduleTask(deadline: exchange.deadline) { [weak self] in
            guard let self else { return }
            self.fail(self.timedOut(after: text), context: context)
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolated().whenFailure { [weak self] error in
            self?.fail(Self.describeWrite(error), context: context)
        }
        written.futureResult.cascade(to: writePromise)
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        if let b = exchange.body, b.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(b))), promise: nil)
        }
        if let stream = exchange.stream {
            BodyStreamWriter(stream, done: written).pump(context)
            return
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard promise != nil else { return }
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            if h.headers.first(name: "Content-Encoding") == nil, let length = h.headers.first(name: "Content-Length").flatMap(Int.init), length > 0 {
                body = []
                body!.reserveCapacity(min(length, limit))
            }
            // The decompressor decodes gzip and deflate; anything else would reach the checks
            // (and the terminal) as raw bytes.
            if let encoding = h.headers.first(name: "Content-Encoding")?.lowercased().trimmingWhitespace(),
                !["gzip", "deflate", "identity", ""].contains(encoding)
            {
                fail(
                    TransportError(.other, "the answer is encoded as '\(encoding)', which Vigil cannot decode (it decodes gzip and deflate)"),
                    context: context)
            }
        case .body(let part):
            let have = body?.count ?? 0
            if have + part.readableBytes > limit {
                fail(TransportError(.bodyTooLarge, "response body larger than the limit (\(limit) bytes)"), context: context)
                return
            }
            if body == nil { body = Array(part.readableBytesView) } else { body!.append(contentsOf: part.readableBytesView) }
        case .end:
            finish(context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(TransportError(.connectionClosed, "the server closed the connection before the response was complete"), context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let e = error as? NIOHTTPDecompression.DecompressionError, e == .limit {
            fail(TransportError(.bodyTooLarge, "response body larger than the limit (\(limit) bytes) once decompressed"), context: context)
            return
        }
        fail(NIOHTTP1Transport.describe(error, url: nil, timeoutText: nil), context: context)
    }

    private func finish(context: ChannelHandlerContext) {
        guard let promise, let head else {
            fail(TransportError(.other, "the server sent a response without a status line"), context: context)
            return
        }
        self.promise = nil
        timeout?.cancel()
        timeout = nil
        let reusable = head.isKeepAlive && !closeAfter
        let bytes = body ?? []
        body = nil
        self.head = nil
        let headers = head.headers.map { (name: $0.name, value: $0.value) }
        if !reusable { context.close(promise: nil) }
        promise.succeed(HTTP1Answer(status: Int(head.status.code), headers: headers, body: bytes, reusable: reusable))
    }

    /// The timeout error: no answer at all, or an answer whose body stalled after its headers.
    private func timedOut(after text: String) -> TransportError {
        guard let head else { return TransportError(.timeout, "no answer within \(text) (timed out)") }
        let received = body?.count ?? 0
        let expected = head.headers.first(name: "Content-Length").map { " of \($0)" } ?? ""
        return TransportError(
            .timeout,
            "the response body stalled: the server sent its headers (\(head.status.code)) and \(received)\(expected) body bytes, then nothing until the \(text) timeout",
            responseStarted: true)
    }

    /// Fails the request in flight, if any, and closes the connection: it is not reusable.
    private func fail(_ error: TransportError, context: ChannelHandlerContext) {
        guard let promise else { return }
        var error = error
        // (An error that already says what broke in the answer, such as a truncated gzip
        // stream, keeps its words.)
        if let head, error.kind == .connectionClosed, !error.responseStarted {
            // Part of the answer came: the server had the request, so the transport does not
            // resend it (it resends only what got nothing back on a reused connection).
            let received = body?.count ?? 0
            let expected = head.headers.first(name: "Content-Length").map { " of \($0)" } ?? ""
            error = TransportError(
                .connectionClosed, "the connection closed in the middle of the response (\(head.status.code), \(received)\(expected) body bytes received)",
                responseStarted: true)
        }
        self.promise = nil
        timeout?.cancel()
        timeout = nil
        body = nil
        head = nil
        context.close(promise: nil)
        promise.fail(error)
    }

    static func describeWrite(_ error: any Error) -> TransportError {
        if let e = error as? ChannelError, e == .ioOnClosedChannel || e == .alreadyClosed {
            return TransportError(.connectionClosed, "the server closed the connection before the request was sent", notSent: true)
        }
        return NIOHTTP1Transport.describe(error, url: nil, timeoutText: nil)
    }
}

/// Completes a connection's `ready` promise once its TLS handshake is done, or fails it with the
/// handshake's error, so a certificate problem is reported as such before any request is
/// written; then leaves the pipeline.
final class TLSHandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let ready: EventLoopPromise<Void>
    /// The name or address asked for, to say what the certificate holds instead.
    private let host: String

    init(ready: EventLoopPromise<Void>, host: String) {
        self.ready = ready
        self.host = host
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            ready.succeed()
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let e = error as? NIOSSLExtraError, e == .failedToValidateHostname,
            let certificate = try? context.pipeline.syncOperations.nioSSL_peerCertificate()
        {
            let names = Self.names(in: certificate)
            let holds = names.isEmpty ? "names no host" : "is for \(names.joined(separator: ", "))"
            ready.fail(
                TransportError(
                    .tls,
                    "TLS failed: the server's certificate \(holds), not \(host); use a URL with one of its names, or have a certificate made for \(host)"
                ))
        } else {
            ready.fail(error)
        }
        context.fireErrorCaught(error)
    }

    /// The DNS names and IP addresses a certificate is for (subjectAltName; else its common name).
    static func names(in certificate: NIOSSLCertificate) -> [String] {
        var names: [String] = []
        for name in certificate._subjectAlternativeNames() {
            let bytes = Array(name.contents)
            switch name.nameType {
            case .dnsName: names.append(String(decoding: bytes, as: UTF8.self))
            case .ipAddress where bytes.count == 4: names.append(bytes.map(String.init).joined(separator: "."))
            case .ipAddress where bytes.count == 16:
                var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                let formatted = bytes.withUnsafeBytes { inet_ntop(AF_INET6, $0.baseAddress, &text, socklen_t(text.count)) }
                if formatted != nil { names.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)) }
            default: break
            }
        }
        // NIOSSL shows the common name only in its description.
        if names.isEmpty, let common = certificate.description.firstMatch(of: /common_name=([^;>]+)/) { names.append(String(common.1)) }
        return names
    }

    func channelInactive(context: ChannelHandlerContext) {
        ready.fail(TransportError(.connectionClosed, "the server closed the connection during the TLS handshake"))
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        ready.fail(TransportError(.connectionClosed, "the connection closed during the TLS handshake"))
    }
}
