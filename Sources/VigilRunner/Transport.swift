/// The HTTP side of a run: a small protocol so the runner never depends on one client.
///
/// ``NIOHTTP1Transport`` implements it for every route (direct and proxied); tests drive it
/// over loopback and wrap it to observe or disturb requests.

import Synchronization
import VigilJSON

/// A request ready to send: every template resolved.
public struct PreparedRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// Where the body was read from, for a `file:` body: reports show its name and size only.
    public var bodyFile: String?
    /// A body read from disk as it is sent (a `multipart:` body with files), instead of `body`.
    public var streamedBody: StreamedBody?
    public var timeout: Duration

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil, timeout: Duration = .seconds(30)) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// A response as received.
public struct ReceivedResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8] { didSet { parsedBody = ParsedBody(body) } }
    /// From sending the request to the last byte of the body.
    public var duration: Duration
    /// The body parsed as JSON once, by whoever asks first: the checks, the console, the
    /// reports and the recorder share it.
    public private(set) var parsedBody: ParsedBody

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8], duration: Duration) {
        self.status = status
        self.headers = headers
        self.body = body
        self.duration = duration
        parsedBody = ParsedBody(body)
    }

    /// The body as JSON (parsed on first use, then kept).
    public var json: Result<JSONValue, JSONParseError> { parsedBody.json }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// Every value of a header, in the order received (`Set-Cookie` twice is two values).
    public func headerValues(_ name: String) -> [String] {
        headers.compactMap { $0.name.caseInsensitiveEquals(name) ? $0.value : nil }
    }
}

/// Why a request got no response: one line, no stack trace.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case invalidURL, connectionRefused, timeout, tls, connectionClosed, bodyTooLarge
        /// The proxy refused, failed or asked for credentials.
        case proxy
        /// The run was interrupted while the request was in flight.
        case cancelled
        case other
    }

    public var kind: Kind
    public var message: String
    /// Part of the response had arrived: the server had the request, so it is not resent silently.
    public var responseStarted = false
    /// Nothing of the request was written: sending it again is safe whatever its method.
    public var notSent = false

    public init(_ kind: Kind, _ message: String, responseStarted: Bool = false, notSent: Bool = false) {
        self.kind = kind
        self.message = message
        self.responseStarted = responseStarted
        self.notSent = notSent
    }

    public var description: String { message }
}

/// Sends prepared requests. One transport serves a whole run and reuses its connections.
public protocol HTTPTransport: Sendable {
    func send(_ request: PreparedRequest) async throws(TransportError) -> ReceivedResponse
    func shutdown() async
    /// Where a run that sends through this transport should execute so that a request costs no
    /// thread switch (the transport's own I/O thread), or nil for Swift's global pool.
    var runExecutor: (any TaskExecutor)? { get }
    /// The proxy requests go through (WebSocket steps use it too); nil when none.
    var proxy: ProxySettings? { get }
    /// Requests in turn over one kept-alive connection, for handshakes that authenticate the
    /// connection rather than a request (NTLM). The default sends as ``send(_:)`` does.
    func connectionSession() -> any ConnectionSession
}

extension HTTPTransport {
    public var runExecutor: (any TaskExecutor)? { nil }
    public var proxy: ProxySettings? { nil }
    public func connectionSession() -> any ConnectionSession { SharedConnectionSession(transport: self) }
}

/// Requests sent in turn over one connection; ``close()`` gives the connection back.
public protocol ConnectionSession: Sendable {
    func send(_ request: PreparedRequest) async throws(TransportError) -> ReceivedResponse
    func close()
}

/// A session for a transport that cannot pin a connection: its requests go as any other.
struct SharedConnectionSession: ConnectionSession {
    let transport: any HTTPTransport
    func send(_ request: PreparedRequest) async throws(TransportError) -> ReceivedResponse { try await transport.send(request) }
    func close() {}
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.count == other.utf8.count && lowercased() == other.lowercased()
    }
}

/// A response body parsed as JSON on first use and kept, so that the same body is never parsed
/// twice, whichever of the runner and the reporters asks first (from any thread).
public final class ParsedBody: Sendable {
    private let bytes: [UInt8]
    private let parsed = Mutex<Result<JSONValue, JSONParseError>?>(nil)

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var json: Result<JSONValue, JSONParseError> {
        parsed.withLock { cached in
            if let cached { return cached }
            let r: Result<JSONValue, JSONParseError>
            do throws(JSONParseError) { r = .success(try JSONValue(parsing: bytes)) } catch { r = .failure(error) }
            cached = r
            return r
        }
    }
}
