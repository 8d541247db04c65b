import Hummingbird
import NIOCore

/// Thrown inside a response body writer to drop the connection mid-response.
struct InjectedConnectionReset: Error {}

extension EmulatorResponder {
    /// Runs a REST or IDP handler under the configured faults: latency first, then either a 5xx answer
    /// (the handler does not run), or the handler's answer reset, truncated or made invalid.
    func faulted(_ req: EmulatorRequest, _ handler: () async -> Reply) async throws -> Response {
        if state.faults.isEmpty { return finish(await handler()) }
        if state.faults.latency > .zero { try await Task.sleep(for: state.faults.latency) }
        let decision = await state.scheduler.next()
        if case .serverError(let code) = decision {
            return finish(.error(code, Self.serverErrorText(code)))
        }
        let reply = await handler()
        switch decision {
        case .none, .serverError: return finish(reply)
        case .truncate:
            var reply = reply
            reply.body = reply.body.getSlice(at: reply.body.readerIndex, length: reply.body.readableBytes / 2) ?? ByteBuffer()
            return finish(reply)
        case .invalidJSON:
            var reply = reply
            var bytes = Array(reply.body.readableBytesView)
            let junk = Array("  \"vigilInjectedFault\" : undefined,".utf8)
            if bytes.first == UInt8(ascii: "{") { bytes.insert(contentsOf: junk, at: 1) } else { bytes = Array("undefined".utf8) + bytes }
            reply.body = ByteBuffer(bytes: bytes)
            return finish(reply)
        case .reset:
            let full = reply.body
            let half = full.getSlice(at: full.readerIndex, length: full.readableBytes / 2) ?? ByteBuffer()
            let body = ResponseBody(contentLength: full.readableBytes) { writer in
                if half.readableBytes > 0 { try await writer.write(half) }
                throw InjectedConnectionReset()
            }
            return Response(status: reply.status, headers: headers(for: reply), body: body)
        }
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
}
