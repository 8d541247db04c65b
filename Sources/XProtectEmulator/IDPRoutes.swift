import Hummingbird
import VigilJSON

/// The identity provider's token endpoint (`/IDP/connect/token`, and `/API/IDP/connect/token` through
/// the gateway): OAuth 2.0 password grant for basic users.
extension EmulatorRoutes {
    static let knownClients: Set = ["GrantValidatorClient", "VmsAdminClient", "VmsClient"]
    static let idpHeaders: HTTPFields = [
        .cacheControl: "no-store, no-cache, max-age=0", HTTPFields.Element.Name("Pragma")!: "no-cache",
    ]

    func token(_ req: EmulatorRequest) async -> Reply {
        guard req.method == .post else { return .empty(.methodNotAllowed) }
        await state.tokens.countRequest()
        let form = Query(String(buffer: req.body))
        guard let grant = form.value("grant_type"), !grant.isEmpty else { return oauthError("invalid_request", nil) }
        guard let client = form.value("client_id"), Self.knownClients.contains(client) else { return oauthError("invalid_client", nil) }
        guard grant == "password" else { return oauthError("unsupported_grant_type", nil) }
        guard let username = form.value("username"), let password = form.value("password"),
            let expected = state.users[username], expected == password
        else {
            return oauthError("invalid_grant", "The username or password is incorrect.", code: "InvalidCredentials")
        }
        let token = await state.tokens.issue(user: username, host: req.host, clientID: client)
        let answer = JSONValue.object([
            "access_token": .string(token), "expires_in": .int(Int64(state.tokens.expiresIn)),
            "token_type": .string("Bearer"), "scope": .string("managementserver"),
        ])
        return idp(.ok, answer)
    }

    private func oauthError(_ error: String, _ description: String?, code: String? = nil) -> Reply {
        var body: JSONObject = ["error": .string(error)]
        if let description { body["error_description"] = .string(description) }
        if let code { body["error_code"] = .string(code) }
        return idp(.badRequest, .object(body))
    }

    private func idp(_ status: HTTPResponse.Status, _ value: JSONValue) -> Reply {
        var reply = Reply.json(status, value, style: .aspNetCompact)
        reply.headers = Self.idpHeaders
        reply.headers[.contentType] = "application/json; charset=UTF-8"
        return reply
    }
}
