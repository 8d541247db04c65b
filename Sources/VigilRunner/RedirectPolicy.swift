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
        if status == 303 || ((status == 301 || status == 302) && request.method == "POST") {
            next.method = "GET"
            next.body = nil
            next.streamedBody = nil
        }
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

    static let credentialHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie"]
}
