#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore
import VigilNTLM

/// `type: xprotect-windows`: an XProtect Windows (Active Directory) user, by the
/// `windows_credentials` grant with an HTTP NTLM handshake on the IDP itself (the API Gateway
/// does not pass NTLM through). Kerberos is out of scope.
enum XProtectWindowsMethod: AuthMethod {
    static let type = AuthType.xprotectWindows

    static func authorizer(_ settings: AuthSettings, redactor: Redactor) throws(AuthError) -> Authorizer? {
        let username = try settings("username"), password = try settings("password")
        redactor.add(password)
        let credentials = NTLM.Credentials(
            username: username, password: password, domain: try settings.optional("domain"), workstation: try settings.optional("workstation") ?? "")
        let user = credentials.domain.isEmpty ? credentials.user : "\(credentials.domain)\\\(credentials.user)"
        let key = TokenKey(grant: type.name, tokenURL: try settings("tokenUrl"), username: user, clientID: try settings("clientId"))
        return .token(key, WindowsGrant(key: key, credentials: credentials, margin: settings.profile.renewMargin))
    }
}

/// The NTLM handshake over one kept-alive connection: the token request, its 401 naming NTLM
/// (or Negotiate), the request again with a NEGOTIATE, the 401 with the CHALLENGE, and the
/// request with the AUTHENTICATE, answered with the token.
struct WindowsGrant: TokenGrant {
    let key: TokenKey
    let credentials: NTLM.Credentials
    let margin: Duration
    var who: String { "'\(key.username)'" }

    func fetch(refreshToken: String?, transport: any HTTPTransport, redactor: Redactor, timeout: Duration) async throws -> CachedToken {
        if let refreshToken {
            let refresh = [("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", key.clientID)]
            if let token = try? await TokenRequest.post(refresh, to: key.tokenURL, who: who, margin: margin, transport: transport, timeout: timeout) {
                return token
            }
        }
        let session = transport.connectionSession()
        defer { session.close() }
        return try await handshake(session, redactor: redactor, timeout: timeout)
    }

    private func handshake(_ session: any ConnectionSession, redactor: Redactor, timeout: Duration) async throws(AuthError) -> CachedToken {
        let form = [("grant_type", "windows_credentials"), ("client_id", key.clientID)]
        let url = key.tokenURL
        let started = ContinuousClock.now
        func send(_ authorization: String?) async throws(AuthError) -> ReceivedResponse {
            do {
                return try await session.send(TokenRequest.request(form, to: url, timeout: timeout, authorization: authorization))
            } catch {
                throw AuthError(message: "Windows sign-in at \(url) failed: \(error.message)")
            }
        }
        let first = try await send(nil)
        guard first.status == 401 else { return try TokenRequest.token(from: first, who: who, url: url, started: started, margin: margin) }
        let scheme = try Self.scheme(offered: first.headerValues("WWW-Authenticate"), url: url)

        let client = NTLM.Client(credentials)
        let negotiate = Base64.encode(client.negotiate)
        redactor.add(message: client.negotiate)
        let second = try await send("\(scheme) \(negotiate)")
        guard second.status == 401, let challengeText = Self.token(of: scheme, in: second.headerValues("WWW-Authenticate")),
            let challenge = Base64.decode(challengeText), challenge.starts(with: Array("NTLMSSP".utf8))
        else {
            if second.status == 401 {
                throw AuthError(
                    message: "Windows sign-in at \(url): the server sent no NTLM challenge for \(scheme) (it may accept Kerberos only, "
                        + "which Vigil does not do; sign in as an XProtect basic user instead)")
            }
            return try TokenRequest.token(from: second, who: who, url: url, started: started, margin: margin)
        }
        redactor.add(challengeText)
        redactor.add(message: challenge)
        let authenticate: [UInt8]
        do {
            var clientChallenge = [UInt8](repeating: 0, count: 8)
            var random = SystemRandomNumberGenerator()
            for i in clientChallenge.indices { clientChallenge[i] = random.next() }
            let now = NTLM.fileTime(unixSeconds: Date().timeIntervalSince1970)
            authenticate = try client.authenticate(challenge, clientChallenge: clientChallenge, now: now)
        } catch {
            throw AuthError(message: "Windows sign-in at \(url): the server's NTLM challenge is not usable: \(error.message)")
        }
        let authenticateText = Base64.encode(authenticate)
        redactor.add(message: authenticate)
        let third = try await send("\(scheme) \(authenticateText)")
        if third.status == 401 {
            throw AuthError(message: "Windows sign-in as \(who) at \(url) was refused (401 after NTLM): wrong user name, domain or password?")
        }
        return try TokenRequest.token(from: third, who: who, url: url, started: started, margin: margin)
    }

    /// `NTLM` when offered, else `Negotiate` (with NTLM inside); Kerberos alone is an error.
    static func scheme(offered: [String], url: String) throws(AuthError) -> String {
        let schemes = offered.flatMap { $0.split(separator: ",") }.compactMap {
            $0.trimmingWhitespace().split(separator: " ").first.map { String($0).lowercased() }
        }
        if schemes.contains("ntlm") { return "NTLM" }
        if schemes.contains("negotiate") { return "Negotiate" }
        let named = offered.isEmpty ? "no WWW-Authenticate" : "WWW-Authenticate: \(offered.joined(separator: ", "))"
        if schemes.contains("kerberos") {
            throw AuthError(message: "Windows sign-in at \(url): the server offers Kerberos only (\(named)), which Vigil does not do")
        }
        throw AuthError(message: "Windows sign-in at \(url) answered 401 with \(named): neither NTLM nor Negotiate is offered")
    }

    /// The token after `scheme` in a WWW-Authenticate value (`NTLM TlRMTVNT…`).
    static func token(of scheme: String, in values: [String]) -> String? {
        for value in values {
            let parts = value.trimmingWhitespace().split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == scheme.lowercased() { return parts[1].trimmingWhitespace() }
        }
        return nil
    }
}
