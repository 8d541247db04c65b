import Hummingbird
import HummingbirdWebSocket
import NIOCore
import NIOHTTP1
import NIOWebSocket
import VigilJSON

/// The Events and State WebSocket at `/api/ws/events/v1` (2023 R3+): the upgrade decision, and the
/// connections it accepts (see ``EventsSocketConnection``). Releases before 2023 R3 serve plain HTTP.
struct EventsWebSocket: Sendable {
    static let path = "/api/ws/events/v1"
    typealias Handler = WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>
    let state: EmulatorState

    /// Decides on a request asking for a WebSocket. A refusal is answered here, as the rest of the
    /// emulator would answer (404 for another path, an injected 5xx, 401), and the connection closed.
    func shouldUpgrade(_ head: HTTPRequest, channel: any Channel) async throws -> ShouldUpgradeResult<Handler> {
        var path = String((head.path ?? "").prefix { $0 != "?" }).percentDecoded.lowercased()
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        guard path == Self.path else {
            let first = path.split(separator: "/").first.map(String.init)
            await Self.refuse(first == "api" || first == "idp" ? .empty(.notFound) : .iisNotFound, channel: channel)
            return .dontUpgrade
        }
        let faults = state.faults
        if !faults.isEmpty {
            if faults.latency > .zero { try await Task.sleep(for: faults.latency) }
            if case .serverError(let code) = await state.scheduler.next() {
                await Self.refuse(.error(code, FaultInjectionMiddleware.serverErrorText(code)), channel: channel)
                return .dontUpgrade
            }
        }
        var authenticated = false
        if head.headerFields[.authorization] != nil || !state.profile.hasEventsWebSocketAuthentication {
            guard let token = head.headerFields.bearerToken, await state.tokens.isValid(token) else {
                await Self.refuse(.unauthorized, channel: channel)
                return .dontUpgrade
            }
            authenticated = true
        }
        let connection = EventsSocketConnection(state: state, channel: channel)
        let isAuthenticated = authenticated
        let handler: Handler = { inbound, outbound, _ in
            await connection.run(inbound: inbound, outbound: outbound, authenticated: isAuthenticated)
        }
        return .upgrade([:], handler)
    }

    /// Writes `reply` as the HTTP answer to the upgrade request, then closes the connection.
    static func refuse(_ reply: Reply, channel: any Channel) async {
        var headers = HTTPHeaders()
        for field in reply.allHeaders { headers.add(name: field.name.rawName, value: field.value) }
        headers.replaceOrAdd(name: "Content-Length", value: String(reply.body.readableBytes))
        headers.replaceOrAdd(name: "Connection", value: "close")
        headers.replaceOrAdd(name: "Server", value: "Microsoft-IIS/10.0")
        let head = HTTPResponseHead(version: .http1_1, status: .init(statusCode: Int(reply.status.code)), headers: headers)
        try? await channel.writeAndFlush(HTTPServerResponsePart.head(head))
        if reply.body.readableBytes > 0 { try? await channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(reply.body))) }
        try? await channel.writeAndFlush(HTTPServerResponsePart.end(nil))
        try? await channel.close()
    }
}

extension EmulatorRoutes {
    /// `/api/ws/events/v1` without a WebSocket upgrade: 401 without a valid token, else 400.
    func eventsWebSocketWithoutUpgrade(_ req: EmulatorRequest) async -> Reply {
        guard let token = req.headers.bearerToken, await state.tokens.isValid(token) else { return .unauthorized }
        return .badRequest("Bad Request - a WebSocket upgrade request is expected")
    }
}

/// One accepted Events and State WebSocket: commands are read and answered in order; answers and
/// the hub's pushed events share one outbox, written by a second task (which also applies `ws-drop`).
struct EventsSocketConnection: Sendable {
    let state: EmulatorState
    let channel: any Channel

    /// Close codes (chosen; see docs/emulator.md).
    static let malformedClose: UInt16 = 1008
    static let binaryClose: UInt16 = 1003

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, authenticated: Bool) async {
        let hub = state.store.hub
        let (outbox, continuation) = AsyncStream<SocketOutput>.makeStream()
        let connection = hub.connect(continuation)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await write(outbox, to: outbound) }
            group.addTask {
                var commands = EventsCommands(state: state, connection: connection, authenticated: authenticated)
                do {
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        let (answer, close) = await commands.handle(message)
                        if let answer { continuation.yield(.text(answer)) }
                        if let close {
                            continuation.yield(close)
                            break
                        }
                    }
                } catch {}
                hub.disconnect(connection)
                continuation.finish()
            }
        }
    }

    /// Writes the outbox in order; after `ws-drop` frames, closes the TCP connection without a close frame.
    private func write(_ outbox: AsyncStream<SocketOutput>, to outbound: WebSocketOutboundWriter) async {
        var sent = 0
        for await item in outbox {
            switch item {
            case .text(let text):
                do { try await outbound.writeTextMessage(text) } catch { return }
                sent += 1
                if let limit = state.faults.webSocketDropAfterFrames, sent >= limit {
                    try? await channel.close()
                    return
                }
            case .close(let code, let reason):
                try? await outbound.close(WebSocketErrorCode(codeNumber: Int(code)), reason: reason)
                return
            }
        }
    }
}
