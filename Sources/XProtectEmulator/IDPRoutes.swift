import Hummingbird
import VigilJSON

/// The identity provider's token endpoint (`/IDP/connect/token`, and `/API/IDP/connect/token` through
/// the gateway): the password, refresh token and client credentials grants, and Windows users by
/// `windows_credentials` with NTLM on `/IDP` itself (``windowsToken(_:form:client:)``).
extension EmulatorRoutes {
    static let knownClients: Set = ["GrantValidatorClient", "VmsAdminClient", "VmsClient"]
    static let idpHeaders: HTTPFields = [
        .cacheControl: "no-store, no-cache, max-age=0", HTTPFields.Element.Name("Pragma")!: "no-cache",
    ]

    func token(_ req: EmulatorRequest, viaGateway: Bool) async -> Reply {
        guard req.method == .post else { return .empty(.methodNotAllowed) }
        let form = Query(String(buffer: req.body))
        let grant = form.value("grant_type") ?? ""
        await state.tokens.countRequest(grant: grant)
        guard !grant.isEmpty else { return oauthError("invalid_request", nil) }
        if grant == "client_credentials" { return await serviceToken(req, form: form) }
        guard let client = form.value("client_id"), Self.knownClients.contains(client) else { return oauthError("invalid_client", nil) }
        switch grant {
        case "password":
            guard let username = form.value("username"), let password = form.value("password"),
                let expected = state.users[username], expected == password
            else {
                return oauthError("invalid_grant", "The username or password is incorrect.", code: "InvalidCredentials")
            }
            return await issue(req, user: username, client: client)
        case "refresh_token" where profile.hasRefreshTokens:
            guard let refresh = form.value("refresh_token"), let user = await state.tokens.redeemRefreshToken(refresh, clientID: client) else {
                return oauthError("invalid_grant", nil)
            }
            return await issue(req, user: user, client: client)
        case "windows_credentials" where profile.hasWindowsSignIn:
            // The gateway forwards the form but not the NTLM handshake (no pass-through).
            if viaGateway { return oauthError("invalid_grant", "Windows authentication failed.", code: "InvalidCredentials") }
            return await windowsToken(req, form: form, client: client)
        default:
            return oauthError("unsupported_grant_type", nil)
        }
    }

    /// The token answer; with `VmsClient` from 2025 R1 it carries a refresh token too.
    func issue(_ req: EmulatorRequest, user: String, client: String) async -> Reply {
        let token = await state.tokens.issue(user: user, host: req.host, clientID: client)
        var answer: JSONObject = [
            "access_token": .string(token), "expires_in": .int(Int64(state.tokens.expiresIn)),
            "token_type": .string("Bearer"), "scope": .string("managementserver"),
        ]
        if client == "VmsClient", profile.hasRefreshTokens {
            answer["refresh_token"] = .string(await state.tokens.issueRefreshToken(user: user, clientID: client))
            answer["scope"] = .string("managementserver offline_access")
        }
        return idp(.ok, .object(answer))
    }

    /// `client_credentials`: the one configured service client.
    private func serviceToken(_ req: EmulatorRequest, form: Query) async -> Reply {
        let service = state.serviceClient
        guard form.value("client_id") == service.id, form.value("client_secret") == service.secret else { return oauthError("invalid_client", nil) }
        if let scope = form.value("scope"), !scope.split(separator: " ").allSatisfy({ $0 == "managementserver" }) {
            return oauthError("invalid_scope", nil)
        }
        return await issue(req, user: service.id, client: service.id)
    }

    func oauthError(_ error: String, _ description: String?, code: String? = nil) -> Reply {
        var body: JSONObject = ["error": .string(error)]
        if let description { body["error_description"] = .string(description) }
        if let code { body["error_code"] = .string(code) }
        return idp(.badRequest, .object(body))
    }

    func idp(_ status: HTTPResponse.Status, _ value: JSONValue) -> Reply {
        var reply = Reply.json(status, value, style: .aspNetCompact)
        reply.headers = Self.idpHeaders
        reply.headers[.contentType] = "application/json; charset=UTF-8"
        return reply
    }
}
