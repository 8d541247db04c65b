import VigilCore
import VigilJSON

/// `type: xprotect-basic`: an XProtect basic user, by the OAuth2 password grant.
enum XProtectPasswordMethod: AuthMethod {
    static let type = AuthType.xprotectBasic

    static func authorizer(_ settings: AuthSettings, redactor: Redactor) throws(AuthError) -> Authorizer? {
        let key = TokenKey(grant: type.name, tokenURL: try settings("tokenUrl"), username: try settings("username"), clientID: try settings("clientId"))
        let password = try settings("password")
        redactor.add(password)
        return .token(key, FormGrant(key: key, credentials: .password(password), margin: settings.profile.renewMargin))
    }
}

/// `type: oauth2-client-credentials`: a service token, by the client credentials grant.
enum ClientCredentialsMethod: AuthMethod {
    static let type = AuthType.clientCredentials

    static func authorizer(_ settings: AuthSettings, redactor: Redactor) throws(AuthError) -> Authorizer? {
        let secret = try settings("clientSecret")
        redactor.add(secret)
        // The scope stands in the user's place in the key: another scope is another token.
        let key = TokenKey(grant: type.name, tokenURL: try settings("tokenUrl"), username: try settings("scope"), clientID: try settings("clientId"))
        return .token(key, FormGrant(key: key, credentials: .clientSecret(secret), margin: settings.profile.renewMargin))
    }
}

/// A token request that is one form POST (password or client credentials), renewed with the
/// refresh token when the IDP gave one. The form is made only when a token is fetched.
struct FormGrant: TokenGrant {
    enum Credentials: Sendable {
        /// The user's password (`key.username` is the user).
        case password(String)
        /// The client's secret (`key.username` is the scope).
        case clientSecret(String)
    }

    let key: TokenKey
    let credentials: Credentials
    let margin: Duration

    /// Who signs in, for messages.
    var who: String {
        switch credentials {
        case .password: "'\(key.username)'"
        case .clientSecret: "client '\(key.clientID)'"
        }
    }

    var form: [(String, String)] {
        switch credentials {
        case .password(let password):
            [("grant_type", "password"), ("username", key.username), ("password", password), ("client_id", key.clientID)]
        case .clientSecret(let secret):
            [("grant_type", "client_credentials"), ("client_id", key.clientID), ("client_secret", secret), ("scope", key.username)]
        }
    }

    func fetch(refreshToken: String?, transport: any HTTPTransport, redactor: Redactor, timeout: Duration) async throws -> CachedToken {
        if let refreshToken {
            let refresh = [("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", key.clientID)]
            // A refused refresh (expired, revoked) falls back to the credentials.
            if let token = try? await TokenRequest.post(refresh, to: key.tokenURL, who: who, margin: margin, transport: transport, timeout: timeout) {
                return token
            }
        }
        return try await TokenRequest.post(form, to: key.tokenURL, who: who, margin: margin, transport: transport, timeout: timeout)
    }
}

/// The token endpoint's side of every grant: the form POST and the answer.
enum TokenRequest {
    static func formBody(_ form: [(String, String)]) -> [UInt8] {
        Array(form.map { "\(FormEncoding.encode($0.0))=\(FormEncoding.encode($0.1))" }.joined(separator: "&").utf8)
    }

    static func request(_ form: [(String, String)], to url: String, timeout: Duration, authorization: String? = nil) -> PreparedRequest {
        var headers = [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")]
        if let authorization { headers.append(("Authorization", authorization)) }
        return PreparedRequest(method: "POST", url: url, headers: headers, body: formBody(form), timeout: timeout)
    }

    static func post(
        _ form: [(String, String)], to url: String, who: String, margin: Duration, transport: any HTTPTransport, timeout: Duration
    ) async throws(AuthError) -> CachedToken {
        let started = ContinuousClock.now
        let response: ReceivedResponse
        do {
            response = try await transport.send(request(form, to: url, timeout: timeout))
        } catch {
            throw AuthError(message: "sign-in at \(url) failed: \(error.message)")
        }
        return try token(from: response, who: who, url: url, started: started, margin: margin)
    }

    /// The token of a 200 answer; any other answer is an error quoting the IDP's reasons.
    static func token(
        from response: ReceivedResponse, who: String, url: String, started: ContinuousClock.Instant, margin: Duration
    ) throws(AuthError) -> CachedToken {
        let json = try? JSONValue(parsing: response.body)
        guard response.status == 200, let token = json?["access_token"]?.stringValue else {
            let detail = [json?["error"]?.stringValue, json?["error_description"]?.stringValue, json?["error_code"]?.stringValue]
                .compactMap { $0 }.joined(separator: ", ")
            throw AuthError(message: "sign-in as \(who) at \(url) answered \(response.status)\(detail.isEmpty ? "" : ": \(detail)")")
        }
        let lifetime = json?["expires_in"]?.doubleValue ?? 3600
        let usable = max(0, lifetime - Double(margin.components.seconds))
        // A lifetime shorter than the margin: use it for half its life.
        let seconds = usable > 0 ? usable : lifetime / 2
        return CachedToken(value: token, renewAt: started + .milliseconds(Int64(seconds * 1000)), refreshToken: json?["refresh_token"]?.stringValue)
    }
}
