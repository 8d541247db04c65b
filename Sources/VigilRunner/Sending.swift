#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore
import VigilJSON

/// The cookies of one exchange: the request as first sent (with the jar's `Cookie`), and every
/// `Set-Cookie` received on the way.
struct CookieExchange {
    var firstSent: PreparedRequest?
    var setCookies: [String] = []
}

/// What sending produced: the request as finally sent, and a response or a one-line error.
struct SendOutcome {
    var request: PreparedRequest
    var response: ReceivedResponse?
    var error: RequestError?
    /// A remark to show with failures (a 401 that renewing the token did not cure).
    var note: String?
    /// The redirects followed, in order (also when a later hop failed).
    var redirects: [RedirectHop] = []
    /// Every `Set-Cookie` value received, redirects included, in order.
    var setCookies: [String] = []
}

extension RequestExecution {
    /// Signs in, sends, follows redirects when asked, and renews the token once after a 401.
    func send(_ prepared: PreparedRequest, _ spec: RequestSpec) async -> SendOutcome {
        var request = prepared
        let auth: Authorizer?
        do {
            auth = try authorizer(for: spec)
        } catch {
            return SendOutcome(request: request, error: .authProfile(error.message))
        }
        // Credentials go only to the origins the environment names (its URLs, the token URL).
        // A `Host` header naming another host sends them there (``TargetOrigin``).
        if auth != nil, !credentialOrigins.isEmpty, let origin = try? TargetOrigin.of(request.url, headers: request.headers),
            !credentialOrigins.contains(origin)
        {
            let allowed = credentialOrigins.map(\.description).sorted().joined(separator: ", ")
            return SendOutcome(
                request: request,
                error: .authProfile("not sent: its credentials go only to the servers the environment names (\(allowed)), not to \(origin)"))
        }
        var hops: [RedirectHop] = []
        var exchange = CookieExchange()
        // The outcome shows the request as first sent: with the jar's cookies.
        func outcome(response: ReceivedResponse? = nil, error: RequestError? = nil, note: String? = nil) -> SendOutcome {
            var o = SendOutcome(request: exchange.firstSent ?? request, response: response, error: error, note: note, redirects: hops)
            o.setCookies = exchange.setCookies
            return o
        }
        do {
            if let auth { request.headers.append(("Authorization", try await auth.header(context, timeout: request.timeout))) }
            var response = try await sendFollowing(request, spec, hops: &hops, cookies: &exchange)
            if response.status == 401, let auth, auth.canRenew {
                let old = request.headers.last { $0.name == "Authorization" }?.value ?? ""
                await auth.invalidate(context, header: old)
                request.headers.removeAll { $0.name == "Authorization" }
                request.headers.append(("Authorization", try await auth.header(context, timeout: request.timeout)))
                hops = []
                exchange = CookieExchange()
                response = try await sendFollowing(request, spec, hops: &hops, cookies: &exchange)
                if response.status == 401 {
                    return outcome(
                        response: response, note: "401 again after renewing the token: the user may lack the rights, or the token is not accepted")
                }
            }
            return outcome(response: response)
        } catch let error as TransportError {
            return outcome(error: .transport(error.kind, error.message))
        } catch let error as AuthError {
            return outcome(error: .signIn(error.message))
        } catch {
            return outcome(error: .transport(.other, String(describing: error)))
        }
    }

    /// Sends one request (one hop): with the jar's cookies for its URL when the jar is on, and
    /// every cookie received registered as a secret, then stored.
    /// `jarCookies: false` (a hop of a redirect to another origin) sends none of the jar's cookies,
    /// though those it receives are stored.
    private func sendOne(
        _ request: PreparedRequest, useJar: Bool, jarCookies: Bool = true, cookies: inout CookieExchange
    ) async throws(TransportError) -> ReceivedResponse {
        var outgoing = request
        // The jar's cookies go by the URL: none to a virtual host a `Host` header names instead.
        if useJar, jarCookies, !TargetOrigin.hostDiffers(request.url, headers: request.headers), let jarHeader = jar.header(for: request.url) {
            if let i = outgoing.headers.firstIndex(where: { $0.name.caseInsensitiveEquals("Cookie") }) {
                outgoing.headers[i].value += "; " + jarHeader
            } else {
                outgoing.headers.append(("Cookie", jarHeader))
            }
        }
        if cookies.firstSent == nil { cookies.firstSent = outgoing }
        let response = try await context.transport.send(outgoing)
        let received = response.headerValues("Set-Cookie")
        if !received.isEmpty {
            // Cookie values are secrets for output: masked before anything is shown.
            for header in received {
                if let c = SetCookie(parsing: header, now: Date()) { context.redactor.add(c.value) }
            }
            cookies.setCookies += received
            if useJar { jar.store(received, from: request.url) }
        }
        return response
    }

    /// Sends, and follows redirects when the request asks, under the ``RedirectPolicy``; each
    /// hop is added to `hops` as it is taken.
    private func sendFollowing(
        _ request: PreparedRequest, _ spec: RequestSpec, hops: inout [RedirectHop], cookies: inout CookieExchange
    ) async throws(TransportError) -> ReceivedResponse {
        var current = request
        let useJar = spec.cookies ?? collection.cookies
        var response = try await sendOne(current, useJar: useJar, cookies: &cookies)
        guard spec.followRedirects ?? collection.defaults.followRedirects ?? environment.defaults.followRedirects ?? false else { return response }
        // The origin that owns the request's credentials: its URL's, or the one its `Host` names.
        let origin: HTTPURL.Origin
        do {
            origin = try TargetOrigin.of(request.url, headers: request.headers)
        } catch {
            throw TransportError(.invalidURL, "\(error)")
        }
        let policy = RedirectPolicy(
            redirectCredentials: spec.redirectCredentials ?? false,
            allowInsecureRedirect: spec.allowInsecureRedirect ?? false)
        while [301, 302, 303, 307, 308].contains(response.status), let location = response.header("Location") {
            if hops.count == 10 { throw TransportError(.other, "more than 10 redirects (a redirect loop?), last to \(location)") }
            var hop = RedirectHop(
                status: response.status, location: location, method: RedirectPolicy.method(after: response.status, current.method),
                url: RedirectPolicy.isAbsolute(location)
                    ? RedirectPolicy.withoutUserinfo(HTTPURL.resolve(location, against: current.url)) : HTTPURL.resolve(location, against: current.url))
            do {
                let next = try policy.next(after: response.status, location: location, from: current, origin: origin, redactor: context.redactor)
                hop.method = next.method
                hop.url = next.url
                // Headers that went with the body when the hop became a GET are not "not sent: another origin".
                let bodyGone = next.method != current.method || response.status == 303
                hop.droppedHeaders = current.headers.map(\.name).filter { name in
                    !next.headers.contains { $0.name == name } && !(bodyGone && RedirectPolicy.bodyHeaders.contains(name.lowercased()))
                }
                hops.append(hop)
                current = next
            } catch {
                hop.refused = true
                hops.append(hop)
                throw error
            }
            // The jar's cookies do not go on a hop to another origin either (the jar would send
            // a host's cookies to any port of it); a later request of the run sends them as RFC 6265 says.
            let sameOrigin = (try? HTTPURL(current.url).origin) == origin
            response = try await sendOne(current, useJar: useJar, jarCookies: sameOrigin || policy.redirectCredentials, cookies: &cookies)
        }
        return response
    }
}
