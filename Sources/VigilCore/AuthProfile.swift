/// How requests sign in: one `auth:` profile of an environment, as settings by key.
///
/// What a profile may say is its ``AuthType``'s business; how it signs in is the runner's
/// (one `AuthMethod` per type). A new way to sign in is one ``AuthType`` here and one file there.
public struct AuthProfile: Sendable, Hashable {
    public var type: AuthType
    /// Every setting, with the type's defaults filled in (`tokenUrl`, `clientId`, …).
    public var settings: [String: Template]
    /// Renew tokens this long before `expires_in` runs out (token-fetching types).
    public var renewMargin: Duration

    public init(type: AuthType, settings: [String: Template] = [:], renewMargin: Duration = .seconds(60)) {
        self.type = type
        self.settings = settings
        self.renewMargin = renewMargin
    }

    public subscript(key: String) -> Template? { settings[key] }

    /// Every template of the profile, in key order.
    public var templates: [Template] { settings.keys.sorted().compactMap { settings[$0] } }

    /// The templates whose values are secrets (passwords, client secrets, given tokens).
    public var secretTemplates: [Template] { type.secrets.compactMap { settings[$0] } }

    /// Where the profile fetches tokens, when it does.
    public var tokenURL: Template? { settings["tokenUrl"] }

    public static let none = AuthProfile(type: .none)
}

/// One kind of `auth:` profile: the keys it needs, the ones it may have (with their defaults)
/// and the ones that are secrets.
public struct AuthType: Sendable, Hashable {
    public let name: String
    public let required: [String]
    public let optional: [String]
    /// Template text of the optional keys left out.
    public let defaults: [String: String]
    public let secrets: [String]
    /// Fetches tokens (and so takes `renewBefore`).
    public let fetchesTokens: Bool

    public var keys: [String] { ["type"] + required + optional + (fetchesTokens ? ["renewBefore"] : []) }

    /// XProtect basic user: OAuth2 password grant, through the API Gateway by default.
    public static let xprotectBasic = AuthType(
        name: "xprotect-basic", required: ["username", "password"], optional: ["tokenUrl", "clientId"],
        defaults: ["tokenUrl": "{{baseUrl}}/API/IDP/connect/token", "clientId": "GrantValidatorClient"], secrets: ["password"],
        fetchesTokens: true)
    /// XProtect Windows user: `windows_credentials` with an NTLM handshake, on the IDP itself.
    public static let xprotectWindows = AuthType(
        name: "xprotect-windows", required: ["username", "password"], optional: ["domain", "workstation", "tokenUrl", "clientId"],
        defaults: ["tokenUrl": "{{baseUrl}}/IDP/connect/token", "clientId": "GrantValidatorClient"], secrets: ["password"],
        fetchesTokens: true)
    /// OAuth2 client credentials (an XProtect service token).
    public static let clientCredentials = AuthType(
        name: "oauth2-client-credentials", required: ["clientId", "clientSecret"], optional: ["scope", "tokenUrl"],
        defaults: ["tokenUrl": "{{baseUrl}}/API/IDP/connect/token", "scope": "managementserver"], secrets: ["clientSecret"],
        fetchesTokens: true)
    /// A given bearer token.
    public static let bearer = AuthType(name: "bearer", required: ["token"], optional: [], defaults: [:], secrets: ["token"], fetchesTokens: false)
    /// HTTP Basic.
    public static let basic = AuthType(
        name: "basic", required: ["username", "password"], optional: [], defaults: [:], secrets: ["password"], fetchesTokens: false)
    /// No Authorization header.
    public static let none = AuthType(name: "none", required: [], optional: [], defaults: [:], secrets: [], fetchesTokens: false)

    /// Every type an environment may name.
    public static let all: [AuthType] = [.xprotectBasic, .xprotectWindows, .clientCredentials, .bearer, .basic, .none]
}
