import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOSSL
import NIOWebSocket
import Synchronization

/// One WebSocket connection of a collection run: frames received are kept until a step reads
/// them; frames to send are queued. The connection lives in a task of its own.
final class WebSocketConnection: Sendable {
    private struct State {
        var frames: [String] = []
        var connected = false
        /// Why the connection ended, once it has.
        var end: String?
    }

    private final class Inbox: Sendable {
        let state = Mutex(State())
    }

    private let inbox = Inbox()
    private let outgoing: AsyncStream<String>.Continuation
    private let task: Task<Void, Never>

    /// Starts connecting; ``waitOpen(timeout:)`` tells when the upgrade is done (or refused).
    /// `proxy`: an HTTP proxy the connection goes through (a CONNECT tunnel), with its credentials.
    init(url: String, headers: [(name: String, value: String)], tls: TLSConfiguration?, proxy: ProxySettings.Server? = nil, timeout: Duration = .seconds(30)) {
        let (toSend, outgoing) = AsyncStream<String>.makeStream()
        self.outgoing = outgoing
        var fields = HTTPFields()
        for h in headers {
            if let name = HTTPField.Name(h.name) { fields.append(HTTPField(name: name, value: h.value)) }
        }
        let inbox = self.inbox
        let refusal = Self.unsupported(url)
        task = Task {
            let end: String
            if let refusal {
                inbox.state.withLock { $0.end = $0.end ?? refusal }
                return
            }
            do {
                let handler: WebSocketDataHandler<WebSocketClient.Context> = { inbound, outbound, _ in
                    inbox.state.withLock { $0.connected = true }
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            do {
                                for try await message in inbound.messages(maxSize: Self.messageLimit) {
                                    let text: String =
                                        switch message {
                                        case .text(let t): t
                                        case .binary(let b): "(a binary message of \(b.readableBytes) bytes)"
                                        }
                                    inbox.state.withLock { $0.frames.append(text) }
                                }
                            } catch {
                                // The library closes the connection (1007, 1009) but does not tell why.
                                if let why = Self.failure(error) { inbox.state.withLock { $0.end = $0.end ?? why } }
                                throw error
                            }
                        }
                        group.addTask {
                            for await text in toSend { try await Self.write(text, to: outbound) }
                        }
                        try await group.next()
                        group.cancelAll()
                    }
                }
                // Frames up to the message limit; text checked as UTF-8 (RFC 6455 §8.1: close with 1007).
                let configuration = WebSocketClientConfiguration(maxFrameSize: Self.messageLimit, additionalHeaders: fields, validateUTF8: true)
                let logger = Logger(label: "vigil.ws")
                let frame: WebSocketCloseFrame?
                if let proxy {
                    var connect = HTTPFields()
                    if let auth = proxy.authorization { connect[.proxyAuthorization] = auth }
                    frame = try await WebSocketClient.connect(
                        url: url, configuration: configuration, tlsConfiguration: tls,
                        proxySettings: WebSocketProxySettings(host: proxy.host, port: proxy.port, type: .http(connectHeaders: connect), timeout: timeout),
                        logger: logger, handler: handler)
                } else {
                    frame = try await WebSocketClient.connect(url: url, configuration: configuration, tlsConfiguration: tls, logger: logger, handler: handler)
                }
                if let frame {
                    let reason = frame.reason.map { $0.isEmpty ? "" : " (\($0))" } ?? ""
                    end = "the server closed the connection: code \(Self.closeCode(frame.closeCode))\(reason)"
                } else {
                    // A frame over the limit ends it so too: NIO's decoder refuses it (sending 1009)
                    // and closes the connection before its error can reach the library.
                    end = "the connection closed without a close frame: the server closed it, or sent a frame over \(Self.limitText), which is refused"
                }
            } catch let error as WebSocketClientError where error == .webSocketUpgradeFailed {
                end = "upgrade refused"
            } catch {
                end = "the WebSocket connection failed: \(error)"
            }
            inbox.state.withLock { $0.end = $0.end ?? end }
        }
    }

    /// Frames sent are at most 16 KiB, the size servers take by default (NIO's, the emulator's):
    /// a longer message goes in fragments.
    static let sentFrameSize = 1 << 14

    /// Sends `text` as one message, in fragments of ``sentFrameSize`` bytes (the library's own
    /// splitting uses the frame size it receives, ``messageLimit``).
    static func write(_ text: String, to outbound: WebSocketOutboundWriter) async throws {
        var bytes = ByteBuffer(string: text)
        guard bytes.readableBytes > sentFrameSize else { return try await outbound.write(.text(text)) }
        try await outbound.withTextMessageWriter { fragment in
            while bytes.readableBytes > 0, let part = bytes.readSlice(length: min(sentFrameSize, bytes.readableBytes)) {
                try await fragment(part)
            }
        }
    }

    /// Why `url` cannot be connected to, before trying: the WebSocket client library sends the
    /// host as TLS SNI, which TLS forbids for an IP address.
    static func unsupported(_ url: String) -> String? {
        guard url.lowercased().hasPrefix("wss://") else { return nil }
        let authority = url.dropFirst(6).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.hasPrefix("[") ? String(authority.prefix { $0 != "]" }.dropFirst()) : String(authority.prefix { $0 != ":" })
        let isIPv4 = !host.isEmpty && host.allSatisfy { $0.isNumber || $0 == "." } && host.split(separator: ".").count == 4
        guard isIPv4 || authority.hasPrefix("[") else { return nil }
        return "wss:// to an IP address is not supported: write the server's host name (its certificate must name it)"
    }

    /// The largest message received, in one frame or several: the response body limit.
    static let messageLimit = NIOHTTP1Transport.defaultMaxBodyBytes

    static let limitText = "the \(messageLimit / 1_048_576) MiB limit (\(messageLimit) bytes)"

    /// Why a message ended the connection, for what the client library fails without saying: a
    /// message in fragments over ``messageLimit`` (closed with 1009), text that is not UTF-8
    /// (1007), frames out of order (1002).
    static func failure(_ error: any Error) -> String? {
        // The library's own error, `close(code)`, carries the code it closes with.
        guard let code = Mirror(reflecting: error).children.first?.value as? WebSocketErrorCode else { return nil }
        return switch code {
        case .messageTooLarge: "the server sent a message over \(limitText) in several frames; the connection was closed with 1009 message too large"
        case .dataInconsistentWithMessage: "the server sent a text message that is not valid UTF-8; the connection was closed with 1007 invalid data"
        default: "the server broke the WebSocket protocol; the connection was closed with \(closeCode(code))"
        }
    }

    static func closeCode(_ code: WebSocketErrorCode) -> String {
        let names: [UInt16: String] = [
            1000: "normal closure", 1001: "going away", 1002: "protocol error", 1003: "unacceptable data", 1007: "invalid data",
            1008: "policy violation", 1009: "message too large", 1011: "unexpected server error",
        ]
        let number = UInt16(webSocketErrorCode: code)
        return names[number].map { "\(number) \($0)" } ?? "\(number)"
    }

    enum Wait: Equatable {
        case ready
        /// The upgrade was refused (the caller finds out the status).
        case refused
        case ended(String)
        case timedOut
    }

    /// Waits until the upgrade is done, refused or failed.
    func waitOpen(timeout: Duration) async -> Wait {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (connected, end) = inbox.state.withLock { ($0.connected, $0.end) }
            if connected { return .ready }
            if let end { return end == "upgrade refused" ? .refused : .ended(end) }
            if ContinuousClock.now >= deadline || Task.isCancelled { return .timedOut }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    func send(_ text: String) { outgoing.yield(text) }

    /// The next message received, or why none came before `deadline`.
    func next(before deadline: ContinuousClock.Instant) async -> Result<String, WaitFailure> {
        while true {
            let (frame, end) = inbox.state.withLock { s -> (String?, String?) in
                s.frames.isEmpty ? (nil, s.end) : (s.frames.removeFirst(), nil)
            }
            if let frame { return .success(frame) }
            if let end { return .failure(.ended(end)) }
            if ContinuousClock.now >= deadline || Task.isCancelled { return .failure(.timedOut) }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    enum WaitFailure: Error {
        case ended(String)
        case timedOut
    }

    /// Closes from the client side and waits for the connection to end.
    func close() async {
        outgoing.finish()
        await task.value
    }
}

/// The connections a collection keeps open (`keepOpen:`), by name; closed at its end.
final class WebSocketConnections: Sendable {
    private let open = Mutex<[(name: String, connection: WebSocketConnection)]>([])

    func keep(_ connection: WebSocketConnection, as name: String) {
        let replaced = open.withLock { list -> WebSocketConnection? in
            let old = list.first { $0.name == name }?.connection
            list.removeAll { $0.name == name }
            list.append((name, connection))
            return old
        }
        if let replaced { Task { await replaced.close() } }
    }

    func connection(_ name: String) -> WebSocketConnection? { open.withLock { list in list.first { $0.name == name }?.connection } }

    func closeAll() async {
        let all = open.withLock { list in
            defer { list = [] }
            return list.map(\.connection)
        }
        for c in all { await c.close() }
    }
}
