import Hummingbird
import NIOCore

/// Thrown inside a response body writer to drop the connection mid-response.
struct InjectedConnectionReset: Error {}

/// Applies the configured ``EmulatorFaults`` to the routes below it (the Config API and the token
/// endpoint): latency first, then either a 5xx answer (nothing below runs), or the answer from below
/// reset, truncated or made invalid JSON. With no faults configured it passes requests straight on.
struct FaultInjectionMiddleware: RouterMiddleware {
    typealias Context = EmulatorContext
    let faults: EmulatorFaults
    let scheduler: FaultScheduler

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if faults.isEmpty { return try await next(request, context) }
        if faults.latency > .zero { try await Task.sleep(for: faults.latency) }
        let decision = await scheduler.next()
        if case .serverError(let code) = decision {
            return Reply.error(code, Self.serverErrorText(code)).response
        }
        var response = try await next(request, context)
        switch decision {
        case .none, .serverError: return response
        case .truncate:
            let body = try await Self.collect(response.body)
            response.body = ResponseBody(byteBuffer: body.getSlice(at: body.readerIndex, length: body.readableBytes / 2) ?? ByteBuffer())
        case .invalidJSON:
            var bytes = Array(try await Self.collect(response.body).readableBytesView)
            let junk = Array("  \"vigilInjectedFault\" : undefined,".utf8)
            if bytes.first == UInt8(ascii: "{") { bytes.insert(contentsOf: junk, at: 1) } else { bytes = Array("undefined".utf8) + bytes }
            response.body = ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        case .reset:
            let full = try await Self.collect(response.body)
            let half = full.getSlice(at: full.readerIndex, length: full.readableBytes / 2) ?? ByteBuffer()
            // Same length as the whole answer: the client sees the connection close mid-body.
            response.body = ResponseBody(contentLength: full.readableBytes) { writer in
                if half.readableBytes > 0 { try await writer.write(half) }
                throw InjectedConnectionReset()
            }
        }
        return response
    }

    static func serverErrorText(_ code: Int) -> String {
        switch code {
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Server Error"
        }
    }

    /// The whole body of an answer from below (the emulator's answers are in memory).
    static func collect(_ body: ResponseBody) async throws -> ByteBuffer {
        let collector = BodyCollector()
        try await body.write(collector)
        return collector.buffer
    }
}

/// A response body writer that keeps what is written.
private final class BodyCollector: ResponseBodyWriter {
    var buffer = ByteBuffer()

    func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        self.buffer.writeBuffer(&buffer)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

/// The Config API's authentication: a valid bearer token (issued here, not revoked, not expired), or
/// 401 with the error envelope and `WWW-Authenticate: Bearer`. It runs before the resource, so an
/// unknown resource without a token is 401.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = EmulatorContext
    let tokens: TokenStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.headers.bearerToken, await tokens.isValid(token) else { return Reply.unauthorized.response }
        return try await next(request, context)
    }
}

/// Answers the router's "no route" like the gateway's IIS: an empty 404 below `/api` and `/IDP`, the
/// IIS "404 - File or directory not found." page anywhere else.
struct IISNotFoundMiddleware: RouterMiddleware {
    typealias Context = EmulatorContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let first = request.uri.path.split(separator: "/", omittingEmptySubsequences: true).first.map { String($0).percentDecoded.lowercased() }
            return (first == "api" || first == "idp" ? Reply.empty(.notFound) : Reply.iisNotFound).response
        }
    }
}
