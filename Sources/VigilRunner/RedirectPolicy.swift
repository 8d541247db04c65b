import VigilCore

/// What to send on the next hop of a redirect, as a value tested without I/O.
///
/// Credentials go only to the origin that owns them: on a hop to another scheme, host or port,
/// `Authorization`, `Proxy-Authorization`, `Cookie` and every header whose value holds a known
/// secret are dropped, and a 307/308 that would resend a body holding a secret is refused,
/// unless the request says `redirectCredentials: true`. A hop from https to http is refused
/// unless the request says `allowInsecureRedirect: true`.
struct RedirectPolicy: Sendable {
    var redirectCredentials = false
    var allowInsecureRedirect = false

    /// The request for the hop to `location` after `status`, or why it is refused.
    func next(
        after status: Int, location: String, from request: PreparedRequest, origin: HTTPURL.Origin,
        redactor: Redactor
    ) throws(TransportError) -> PreparedRequest {
        var next = request
        next.url = HTTPURL.resolve(location, against: request.url)
        // Credentials a server wrote into its Location (`http://u:pw@other/`) are not the user's:
        // they never become the next hop's Basic credentials.
        if Self.isAbsolute(location) { next.url = Self.withoutUserinfo(next.url) }
        let from = try HTTPURL(request.url)
        let to: HTTPURL
        do {
            to = try HTTPURL(next.url)
        } catch {
            throw TransportError(.invalidURL, "the server redirected to '\(location)', which Vigil does not follow: \(error.message)")
        }
        if from.origin.secure, !to.origin.secure, !allowInsecureRedirect {
            throw TransportError(
                .other,
                "refused a redirect from https to http (\(to.origin)): credentials and data would travel unencrypted; set allowInsecureRedirect: true to follow it"
            )
        }
        next.method = Self.method(after: status, request.method)
        if next.method != request.method || status == 303 {
            // The body is gone, and so are the headers that described it.
            next.body = nil
            next.streamedBody = nil
            next.bodyFile = nil
            next.headers.removeAll { Self.bodyHeaders.contains($0.name.lowercased()) }
        }
        // A `Host` header written for the first URL names its virtual host, not the next one's.
        if to.origin != from.origin { next.headers.removeAll { $0.name.caseInsensitiveEquals("Host") } }
        guard to.origin != origin, !redirectCredentials else { return next }
        next.headers.removeAll { h in
            Self.credentialHeaders.contains(h.name.lowercased()) || redactor.holdsSecret(h.value)
        }
        // The body as sent: in memory, or streamed (multipart parts, files included), in every
        // form the redactor masks, escapes decoded.
        if SecretScan(redactor: redactor).bodyHoldsSecret(next) {
            throw TransportError(
                .other,
                "refused to resend a body holding a secret to another origin (\(to.origin)) after a \(status); set redirectCredentials: true if it may go there"
            )
        }
        return next
    }

    /// Dropped on a hop to another origin: `Authorization`, `Proxy-Authorization`, `Cookie` and
    /// every header the redactor always masks (`X-Api-Key`…), whatever their value.
    static let credentialHeaders: Set<String> = Redactor.secretHeaders.union(["authorization", "proxy-authorization", "cookie"])

    /// Dropped when the method becomes GET: they described the body.
    static let bodyHeaders: Set<String> = ["content-type", "content-length", "content-encoding", "content-language", "content-location", "transfer-encoding"]

    /// The method of the hop after `status`: GET after a 303 (but for HEAD), and after a 301 or
    /// 302 answering a POST; otherwise unchanged.
    static func method(after status: Int, _ method: String) -> String {
        if status == 303, method != "HEAD", method != "GET" { return "GET" }
        if status == 301 || status == 302, method == "POST" { return "GET" }
        return method
    }

    /// Whether a `Location` names its own authority (`scheme://…` or `//…`).
    static func isAbsolute(_ location: String) -> Bool {
        location.hasPrefix("//") || location.contains("://")
    }

    /// `url` without the `user:password@` of its authority.
    static func withoutUserinfo(_ url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + url[url.index(after: at)...]
    }
}
