import VigilJSON

/// Unauthenticated discovery documents: `/api/.well-known/uris` (2022 R1+), the IDP's
/// OpenID configuration and the emulator's OpenAPI description. URLs are built from the request's `Host`, with the request's scheme (http).
extension EmulatorRoutes {
    func wellKnownURIs(_ req: EmulatorRequest) -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        return .json(
            .ok,
            .object([
                "ProductVersion": .string(profile.productVersion),
                "UnsecureManagementServer": .string("http://\(req.host)/"),
                "SecureManagementServer": .string("https://\(req.host)/"),
                "IdentityProvider": .string("http://\(req.host)/IDP"),
                "ApiGateways": .array([.string("http://\(req.host)/API/")]),
            ]), style: .aspNetCompact)
    }

    /// `/api/rest/v1/openapi.json`: the emulator's own OpenAPI description for its profile
    /// (``EmulatorOpenAPI``), without sign-in and never faulted.
    func openAPIDescription(_ req: EmulatorRequest) -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        return .json(.ok, EmulatorOpenAPI.document(for: profile))
    }

    func openIDConfiguration(_ req: EmulatorRequest) -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        let idp = "http://\(req.host)/IDP"
        return .json(
            .ok,
            .object([
                "issuer": .string(idp),
                "jwks_uri": .string("\(idp)/.well-known/openid-configuration/jwks"),
                "authorization_endpoint": .string("\(idp)/connect/authorize"),
                "token_endpoint": .string("\(idp)/connect/token"),
                "userinfo_endpoint": .string("\(idp)/connect/userinfo"),
                "end_session_endpoint": .string("\(idp)/connect/endsession"),
                "revocation_endpoint": .string("\(idp)/connect/revocation"),
                "introspection_endpoint": .string("\(idp)/connect/introspect"),
                "scopes_supported": .array(["openid", "profile", "managementserver", "offline_access"].map(JSONValue.string)),
                "grant_types_supported": .array(
                    [
                        "authorization_code", "client_credentials", "refresh_token", "password",
                        "windows_credentials",
                    ].map(JSONValue.string)),
                "response_types_supported": .array([.string("code")]),
                "token_endpoint_auth_methods_supported": .array([.string("client_secret_post")]),
                "code_challenge_methods_supported": .array([.string("S256")]),
                "server_version": .string(profile.productVersion),
            ]), style: .aspNetCompact)
    }
}
