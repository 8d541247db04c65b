import VigilCore
import VigilJSON

/// What sending produced: the request as finally sent, and a response or a one-line error.
struct SendOutcome {
    var request: PreparedRequest
    var response: ReceivedResponse?
    var error: RequestError?
    /// A remark to show with failures (a 401 that renewing the token did not cure).
    var note: String?
    /// The redirects followed, in order (also when a later hop failed).
    var redirects: [RedirectHop] = []
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
        if auth != nil, !credentialOrigins.isEmpty, let origin = try? HTTPURL(request.url).origin, !credentialOrigins.contains(origin) {
            let allowed = credentialOrigins.map(\.description).sorted().joined(separator: ", ")
            return SendOutcome(
                request: request,
                error: .authProfile("not sent: its credentials go only to the servers the environment names (\(allowed)), not to \(origin)"))
        }
        var hops: [RedirectHop] = []
        do {
            if let auth { request.headers.append(("Authorization", try await auth.header(context, timeout: request.timeout))) }
            var response = try await sendFollowing(request, spec, hops: &hops)
            if response.status == 401, let auth, auth.canRenew {
                let old = request.headers.last { $0.name == "Authorization" }?.value ?? ""
                await auth.invalidate(context, header: old)
                request.headers.removeAll { $0.name == "Authorization" }
                request.headers.append(("Authorization", try await auth.header(context, timeout: request.timeout)))
                hops = []
                response = try await sendFollowing(request, spec, hops: &hops)
                if response.status == 401 {
                    return SendOutcome(
                        request: request, response: response,
                        note: "401 again after renewing the token: the user may lack the rights, or the token is not accepted", redirects: hops)
                }
            }
            return SendOutcome(request: request, response: response, redirects: hops)
        } catch let error as TransportError {
            return SendOutcome(request: request, error: .transport(error.kind, error.message), redirects: hops)
        } catch let error as AuthError {
            return SendOutcome(request: request, error: .signIn(error.message), redirects: hops)
        } catch {
            return SendOutcome(request: request, error: .transport(.other, String(describing: error)), redirects: hops)
        }
    }

    /// Sends, and follows redirects when the request asks, under the ``RedirectPolicy``; each
    /// hop is added to `hops` as it is taken.
    private func sendFollowing(
        _ request: PreparedRequest, _ spec: RequestSpec, hops: inout [RedirectHop]
    ) async throws(TransportError) -> ReceivedResponse {
        var current = request
        var response = try await context.transport.send(current)
        guard spec.followRedirects ?? collection.defaults.followRedirects ?? environment.defaults.followRedirects ?? false else { return response }
        let origin = try HTTPURL(request.url).origin
        let policy = RedirectPolicy(
            redirectCredentials: spec.redirectCredentials ?? false,
            allowInsecureRedirect: spec.allowInsecureRedirect ?? false)
        while [301, 302, 303, 307, 308].contains(response.status), let location = response.header("Location") {
            if hops.count == 10 { throw TransportError(.other, "more than 10 redirects (a redirect loop?), last to \(location)") }
            var hop = RedirectHop(status: response.status, location: location, method: current.method, url: HTTPURL.resolve(location, against: current.url))
            do {
                let next = try policy.next(after: response.status, location: location, from: current, origin: origin, redactor: context.redactor)
                hop.method = next.method
                hop.url = next.url
                hop.droppedHeaders = current.headers.map(\.name).filter { name in !next.headers.contains { $0.name == name } }
                hops.append(hop)
                current = next
            } catch {
                hop.refused = true
                hops.append(hop)
                throw error
            }
            response = try await context.transport.send(current)
        }
        return response
    }
}
