import Synchronization

/// A small loopback web site for tests of what is not JSON: it sets and expects cookies,
/// redirects, serves HTML, text (in Latin-1) and XML (with namespaces), and takes a
/// `multipart/form-data` upload whose parts it keeps for the test to check.
///
/// - `GET /` an HTML login page (title, a CSRF field, a list)
/// - `POST /login` 302 to `/home`, setting `session` (random, HttpOnly) and `theme` (Max-Age)
/// - `GET /home` 200 with the session cookie, 401 without
/// - `GET /logout` deletes the session cookie (Max-Age=0)
/// - `GET /text` `text/plain; charset=iso-8859-1`; `GET /soap` an XML answer with namespaces
/// - `POST /upload` keeps the parts, answers with their names and sizes (JSON)
/// - `GET /away?to=URL` 302 to URL; `GET /echo` answers the request's `Cookie` header
public final class WebAppServer: Sendable {
    public let server: ScriptedHTTPServer
    private let state: State

    /// The session cookie's value the last login set.
    public var session: String? { state.values.withLock { $0.session } }
    /// Every session cookie value set, in order.
    public var sessions: [String] { state.values.withLock { $0.sessions } }
    /// The parts of every upload, in order: their headers (text) and bytes.
    public var uploads: [[MultipartPartSeen]] { state.values.withLock { $0.uploads } }
    /// The `Cookie` header of every request, by path, in order (nil: none sent).
    public var cookiesSent: [(path: String, cookie: String?)] { state.values.withLock { $0.cookiesSent } }
    public var baseURL: String { server.baseURL }
    public var port: Int { server.port }

    private init(server: ScriptedHTTPServer, state: State) {
        self.server = server
        self.state = state
    }

    public static func start() async throws -> WebAppServer {
        let state = State()
        let server = try await ScriptedHTTPServer.start(raw: { head, body in .send(state.respond(head, body)) })
        return WebAppServer(server: server, state: state)
    }

    public func stop() async { await server.stop() }

    public struct MultipartPartSeen: Sendable {
        public var headers: String
        public var bytes: [UInt8]
    }

    private final class State: Sendable {
        struct Values {
            var session: String?
            var sessions: [String] = []
            var uploads: [[MultipartPartSeen]] = []
            var cookiesSent: [(path: String, cookie: String?)] = []
        }

        let values = Mutex(Values())

        static let page = """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>Login</title></head>
            <body><h1>Welcome to Vigil's test site</h1>
            <form method="post" action="/login"><input type="hidden" name="csrf" value="csrf-7f3a9c">
            <ul><li>one<li>two<li>three</ul></form>
            <p>Build 4711 &amp; counting</body></html>
            """

        static let soap = """
            <?xml version="1.0" encoding="UTF-8"?>
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
              <s:Body><v:Status xmlns:v="urn:vigil:status"><v:Service name="recorder">Running</v:Service><v:Service name="mobile">Stopped</v:Service></v:Status></s:Body>
            </s:Envelope>
            """

        func respond(_ head: String, _ body: [UInt8]) -> [UInt8] {
            let path = requestPath(head)
            let cookie = headerValue("Cookie", in: head)
            values.withLock { $0.cookiesSent.append((String(path.prefix { $0 != "?" }), cookie)) }
            let method = head.prefix { $0 != " " }
            switch (method, path.prefix { $0 != "?" }) {
            case ("GET", "/"):
                return httpResponse(Array(Self.page.utf8), contentType: "text/html; charset=utf-8")
            case ("POST", "/login"):
                let session = "s3ss10n-" + (0..<16).map { _ in String("abcdefghijklmnopqrstuvwxyz0123456789".randomElement()!) }.joined()
                values.withLock {
                    $0.session = session
                    $0.sessions.append(session)
                }
                return httpResponse(
                    [], status: "302 Found", contentType: "text/plain",
                    extra:
                        "Location: /home\r\nSet-Cookie: session=\(session); Path=/; HttpOnly; SameSite=Lax\r\nSet-Cookie: theme=dark; Path=/; Max-Age=3600\r\n")
            case ("GET", "/home"):
                let session = values.withLock { $0.session }
                guard let session, let cookie, cookie.split(separator: ";").contains(where: { $0.trimmingPrefix(" ") == "session=\(session)" }) else {
                    return httpResponse(Array("not signed in".utf8), status: "401 Unauthorized", contentType: "text/plain")
                }
                return httpResponse(
                    Array("<html><head><title>Home</title></head><body><p class=greeting>Hello, signed in</p></body></html>".utf8), contentType: "text/html")
            case ("GET", "/logout"):
                return httpResponse(Array("bye".utf8), contentType: "text/plain", extra: "Set-Cookie: session=; Path=/; Max-Age=0\r\n")
            case ("GET", "/text"):
                // "Café: build 4711" in Latin-1: é is the single byte 0xE9.
                return httpResponse(Array("Caf".utf8) + [0xE9] + Array(": build 4711\n".utf8), contentType: "text/plain; charset=iso-8859-1")
            case ("GET", "/soap"):
                return httpResponse(Array(Self.soap.utf8), contentType: "text/xml; charset=utf-8")
            case ("POST", "/upload"):
                let type = headerValue("Content-Type", in: head) ?? ""
                guard let b = type.split(separator: "boundary=").last, type.hasPrefix("multipart/form-data") else {
                    return httpResponse(Array("not multipart".utf8), status: "400 Bad Request", contentType: "text/plain")
                }
                let parts = Self.parts(body, boundary: String(b))
                values.withLock { $0.uploads.append(parts) }
                let listed = parts.map { "{\"size\":\($0.bytes.count)}" }.joined(separator: ",")
                return httpResponse(Array("{\"parts\":[\(listed)]}".utf8), status: "201 Created")
            case ("GET", "/away"):
                let to = path.split(separator: "to=").last.map(String.init) ?? "/"
                return httpResponse([], status: "302 Found", contentType: "text/plain", extra: "Location: \(to)\r\n")
            case ("GET", "/echo"):
                return httpResponse(Array("cookie: \(cookie ?? "(none)")".utf8), contentType: "text/plain")
            default:
                return httpResponse(Array("no such page".utf8), status: "404 Not Found", contentType: "text/plain")
            }
        }

        /// The parts of a multipart body: between boundary lines, headers then a blank line then bytes.
        static func parts(_ body: [UInt8], boundary: String) -> [MultipartPartSeen] {
            let delimiter = Array("--\(boundary)".utf8)
            var starts: [Int] = []
            var i = 0
            while i + delimiter.count <= body.count {
                if body[i..<(i + delimiter.count)].elementsEqual(delimiter) {
                    starts.append(i)
                    i += delimiter.count
                } else {
                    i += 1
                }
            }
            var out: [MultipartPartSeen] = []
            for (a, b) in zip(starts, starts.dropFirst()) {
                let part = Array(body[(a + delimiter.count + 2)..<(b - 2)])  // after "--boundary\r\n", before "\r\n--boundary"
                let sep = Array("\r\n\r\n".utf8)
                guard let end = (0...(max(part.count - 4, 0))).first(where: { part.count >= $0 + 4 && part[$0..<($0 + 4)].elementsEqual(sep) }) else {
                    continue
                }
                out.append(MultipartPartSeen(headers: String(decoding: part[..<end], as: UTF8.self), bytes: Array(part[(end + 4)...])))
            }
            return out
        }
    }
}

/// A header's value in a request head (case-insensitive name), or nil.
func headerValue(_ name: String, in head: String) -> String? {
    for line in head.split(separator: "\r\n").dropFirst() {
        guard let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == name.lowercased() else { continue }
        return line[line.index(after: colon)...].trimmingPrefix(" ").description
    }
    return nil
}
