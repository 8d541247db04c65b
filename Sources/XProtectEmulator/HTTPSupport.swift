import Hummingbird
import NIOCore
import VigilJSON

/// An incoming request, reduced to what the routes need: the router's captures percent-decoded,
/// query names matched case-insensitively (as IIS does); ids keep their original spelling.
struct EmulatorRequest: Sendable {
    var method: HTTPRequest.Method
    /// The `:id` capture (the resource's id), or "" when the route has none.
    var id: String
    /// The `:preset` capture below a camera, or "".
    var presetID: String
    /// The path segments a `**` route caught, e.g. `["child"]` for `/cameras/{id}/child`.
    var remainder: [String]
    var query: Query
    var headers: HTTPFields
    var body: ByteBuffer
    /// The `Host` header (or authority), used to build discovery URLs.
    var host: String
    /// The connection it came on (NTLM authenticates a connection).
    var channel: (any Channel)?

    /// Reads the whole body (at most 8 MiB).
    init(_ request: Request, context: EmulatorContext) async throws {
        let parameters = context.parameters
        self.init(
            method: request.method, id: parameters.get("id")?.percentDecoded ?? "",
            presetID: parameters.get("preset")?.percentDecoded ?? "",
            remainder: parameters.getCatchAll().map { String($0).percentDecoded }, query: request.uri.query,
            headers: request.headers, authority: request.head.authority,
            body: try await request.body.collect(upTo: 8 * 1024 * 1024))
        channel = context.channel
    }

    init(
        method: HTTPRequest.Method, id: String = "", presetID: String = "", remainder: [String] = [], query: String?,
        headers: HTTPFields, authority: String?, body: ByteBuffer
    ) {
        self.method = method
        self.id = id
        self.presetID = presetID
        self.remainder = remainder
        self.query = Query(query ?? "")
        self.headers = headers
        self.body = body
        self.host = authority ?? "localhost"
    }

    /// The body as JSON; an empty body is `nil`. `Content-Type` is ignored, as the real server does.
    func jsonBody() throws(JSONParseError) -> JSONValue? {
        let view = body.readableBytesView
        if view.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return nil }
        // A JSON string body such as `""` (sent by the .NET sample for TaskCleanup) counts as empty.
        let value = try JSONValue(parsing: view)
        if case .string(let s) = value, s.utf8Count == 0 { return nil }
        return value
    }

}

extension HTTPFields {
    /// The token of an `Authorization: Bearer …` header.
    var bearerToken: String? {
        guard let value = self[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingSpaces
    }
}

/// Query parameters with case-insensitive names; value-less flags (`?tasks&noData`) have a `nil` value.
struct Query: Sendable {
    private var items: [(name: String, value: String?)] = []

    init(_ raw: String) {
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0]).formDecoded.lowercased()
            let value = pair.count > 1 ? String(pair[1]).formDecoded : nil
            items.append((name, value))
        }
    }

    /// True when the flag is present, with or without a value (`?disabled`, `?disabled=true`),
    /// unless its value is `false`.
    func flag(_ name: String) -> Bool {
        guard let item = items.first(where: { $0.name == name.lowercased() }) else { return false }
        return item.value?.lowercased() != "false"
    }

    func value(_ name: String) -> String? {
        items.first(where: { $0.name == name.lowercased() })?.value
    }

    func has(_ name: String) -> Bool { items.contains { $0.name == name.lowercased() } }
}

/// A finished answer, before faults and common headers are applied.
struct Reply: Sendable {
    enum Kind: Sendable { case json, html, empty }
    var status: HTTPResponse.Status
    var headers: HTTPFields = [:]
    var body: ByteBuffer
    var kind: Kind

    init(status: HTTPResponse.Status, headers: HTTPFields = [:], body: ByteBuffer, kind: Kind) {
        self.status = status
        self.headers = headers
        self.body = body
        self.kind = kind
    }

    /// A Config API JSON answer in the real server's spacing.
    static func json(_ status: HTTPResponse.Status = .ok, _ value: JSONValue, style: JSONStyle = .aspNet) -> Reply {
        Reply(status: status, body: ByteBuffer(bytes: value.serializedBytes(style)), kind: .json)
    }

    static func json(_ status: HTTPResponse.Status = .ok, bytes: ByteBuffer) -> Reply {
        Reply(status: status, body: bytes, kind: .json)
    }

    static func empty(_ status: HTTPResponse.Status) -> Reply {
        Reply(status: status, body: ByteBuffer(), kind: .empty)
    }
}

// MARK: - Common headers

extension Reply: ResponseGenerator {
    static let restHeaders: HTTPFields = [
        .contentType: "application/json; charset=utf-8", .cacheControl: "no-cache",
        HTTPFields.Element.Name("Pragma")!: "no-cache", .expires: "-1",
        HTTPFields.Element.Name("X-AspNet-Version")!: "4.0.30319", HTTPFields.Element.Name("X-Powered-By")!: "ASP.NET",
        HTTPFields.Element.Name("X-Frame-Options")!: "SAMEORIGIN",
    ]
    static let htmlHeaders: HTTPFields = [.contentType: "text/html", HTTPFields.Element.Name("X-Powered-By")!: "ASP.NET"]

    /// The kind's common headers, then the reply's own.
    var allHeaders: HTTPFields {
        var headers: HTTPFields
        switch kind {
        case .json: headers = Self.restHeaders
        case .html: headers = Self.htmlHeaders
        case .empty: return self.headers  // as set, repeated fields (WWW-Authenticate) included
        }
        for field in self.headers { headers[field.name] = field.value }
        return headers
    }

    var response: Response {
        Response(status: status, headers: allHeaders, body: ResponseBody(byteBuffer: body))
    }

    func response(from request: Request, context: some RequestContext) -> Response { response }
}

extension String {
    var percentDecoded: String {
        guard contains("%") else { return self }
        var out: [UInt8] = []
        var bytes = Array(utf8)[...]
        while let b = bytes.popFirst() {
            if b == UInt8(ascii: "%"), bytes.count >= 2,
                let v = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16)
            {
                out.append(v)
                bytes.removeFirst(2)
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `application/x-www-form-urlencoded` decoding: `+` is a space.
    var formDecoded: String {
        (contains("+") ? replacingPlus : self).percentDecoded
    }

    private var replacingPlus: String { String(map { $0 == "+" ? " " : $0 }) }
}

extension ByteBuffer {
    init(bytes: [UInt8]) {
        self = ByteBufferAllocator().buffer(capacity: bytes.count)
        self.writeBytes(bytes)
    }
}
