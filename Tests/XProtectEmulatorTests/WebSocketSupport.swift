import Hummingbird
import HummingbirdWSClient
import Logging
import Synchronization
import Testing
import VigilJSON

@testable import XProtectEmulator

/// A WebSocket client a test drives one frame at a time: frames it receives are buffered, frames to
/// send are queued, and ``closed()`` gives the server's close frame once the connection has ended.
final class SocketProbe: Sendable {
    private final class Inbox: Sendable {
        let state = Mutex<(frames: [String], ended: Bool)>(([], false))
    }

    private let inbox = Inbox()
    private let outgoing: AsyncStream<String>.Continuation
    private let task: Task<WebSocketCloseFrame?, any Error>

    /// Connects to the emulator's Events and State WebSocket, with `token` as a bearer token if given.
    init(_ harness: Harness, token: String? = nil, path: String = EventsWebSocket.path) {
        let (toSend, outgoing) = AsyncStream<String>.makeStream()
        self.outgoing = outgoing
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let url = "ws://127.0.0.1:\(harness.emulator.port)\(path)"
        let inbox = self.inbox
        task = Task {
            defer { inbox.state.withLock { $0.ended = true } }
            return try await WebSocketClient.connect(
                url: url, configuration: .init(additionalHeaders: headers), logger: Logger(label: "SocketProbe")
            ) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            if case .text(let text) = message { inbox.state.withLock { $0.frames.append(text) } }
                        }
                    }
                    group.addTask {
                        for await text in toSend { try await outbound.write(.text(text)) }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    func send(_ text: String) { outgoing.yield(text) }

    /// The next frame received, as JSON; fails after `timeout` or when the connection ends first.
    func next(timeout: Duration = .seconds(5), sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let (frame, ended) = inbox.state.withLock { inbox -> (String?, Bool) in
                inbox.frames.isEmpty ? (nil, inbox.ended) : (inbox.frames.removeFirst(), false)
            }
            if let frame { return try JSONValue(parsing: frame) }
            if ended { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("no frame received", sourceLocation: sourceLocation)
        throw ProbeError.noFrame
    }

    /// Sends a command and returns the next frame (its answer, when nothing else is pushed meanwhile).
    func command(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        send(text)
        return try await next(sourceLocation: sourceLocation)
    }

    /// Frames received, without waiting.
    var pending: [String] { inbox.state.withLock { $0.frames } }

    /// Closes from the client side (if still open) and waits for the connection to end.
    @discardableResult
    func close() async -> Result<WebSocketCloseFrame?, any Error> {
        outgoing.finish()
        return await closed()
    }

    /// Waits for the connection to end: the server's close frame (`nil` without one), or the client's error.
    func closed() async -> Result<WebSocketCloseFrame?, any Error> { await task.result }

    enum ProbeError: Error { case noFrame }
}

extension Harness {
    /// A GET asking for a WebSocket upgrade, read as a plain HTTP answer (for refusals).
    func upgradeRequest(_ path: String = EventsWebSocket.path, token: String? = nil) async throws -> HTTPAnswer {
        try await request(
            .get, path, token: token,
            headers: [
                "Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
                "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            ])
    }

    /// Triggers an event through the Events REST API; returns its id.
    func trigger(_ type: String, token: String) async throws -> String {
        let answer = try await api(.post, "/events", body: #"{"type":"\#(type)"}"#, token: token)
        try #require(answer.status == 202, "\(answer.text)")
        return try #require(answer.string("data.id"))
    }
}

extension JSONValue {
    /// A member by dotted path (`events.0.id`).
    func at(_ path: String) -> JSONValue? {
        var current: JSONValue? = self
        for key in path.split(separator: ".") {
            if let index = Int(key) { current = current?[index] } else { current = current?[String(key)] }
        }
        return current
    }

    func string(_ path: String) -> String? { at(path)?.stringValue }
    func int(_ path: String) -> Int? { at(path)?.intValue.map { Int($0) } }
}
