import VigilCore

/// One way of signing requests in, for one ``AuthType``: from a profile (its settings rendered
/// for the request) to an ``Authorizer``. A new way to sign in is one ``AuthType`` in VigilCore,
/// one file with one of these, and one line in ``AuthMethods/all``.
protocol AuthMethod: Sendable {
    static var type: AuthType { get }
    /// The authorizer for `settings`' profile; nil sends no Authorization header. Secrets the
    /// method derives go to `redactor` before they can reach any output.
    static func authorizer(_ settings: AuthSettings, redactor: Redactor) throws(AuthError) -> Authorizer?
}

enum AuthMethods {
    /// Every method, by auth type name.
    static let all: [String: any AuthMethod.Type] = Dictionary(
        uniqueKeysWithValues: ([
            XProtectPasswordMethod.self, XProtectWindowsMethod.self, ClientCredentialsMethod.self, BearerMethod.self, BasicMethod.self, NoAuthMethod.self,
        ] as [any AuthMethod.Type])
        .map { ($0.type.name, $0) })
}

/// A profile's settings as one request sees them: templates rendered with the auth store.
struct AuthSettings {
    let profile: AuthProfile
    let store: VariableStore

    /// A setting the type requires (or defaults).
    func callAsFunction(_ key: String) throws(AuthError) -> String {
        guard let value = try optional(key) else { throw AuthError(message: "'\(key)' is not set") }
        return value
    }

    /// A setting that may be left out.
    func optional(_ key: String) throws(AuthError) -> String? {
        guard let t = profile[key] else { return nil }
        do {
            return try t.render(store)
        } catch {
            throw AuthError(message: error.description)
        }
    }
}

/// Produces the Authorization header of a request.
enum Authorizer {
    /// The same header every time (bearer, HTTP Basic).
    case fixed(String)
    /// A bearer token from the run's ``TokenCache``, fetched by `grant` when due.
    case token(TokenKey, any TokenGrant)

    var canRenew: Bool { if case .token = self { true } else { false } }

    /// The sign-in, when there is one, gets `timeout`: the timeout of the request it is for.
    func header(_ context: RunContext, timeout: Duration) async throws -> String {
        switch self {
        case .fixed(let h):
            return h
        case .token(let key, let grant):
            let transport = context.transport
            let redactor = context.redactor
            let token = try await context.tokens.token(for: key) { refreshToken in
                let t = try await grant.fetch(refreshToken: refreshToken, transport: transport, redactor: redactor, timeout: timeout)
                redactor.add(t.value)
                if let r = t.refreshToken { redactor.add(r) }
                return t
            }
            return "Bearer \(token)"
        }
    }

    func invalidate(_ context: RunContext, header: String) async {
        guard case .token(let key, _) = self else { return }
        await context.tokens.invalidate(key, value: String(header.dropFirst("Bearer ".count)))
    }
}

/// Fetches a bearer token from an identity provider.
protocol TokenGrant: Sendable {
    /// A new token; with `refreshToken`, by the refresh grant first, then (when the IDP refuses
    /// it) by the credentials.
    func fetch(refreshToken: String?, transport: any HTTPTransport, redactor: Redactor, timeout: Duration) async throws -> CachedToken
}

extension RequestExecution {
    /// The authorizer for `spec`'s auth profile (its own, or its collection's), or nil for none.
    func authorizer(for spec: RequestSpec) throws(AuthError) -> Authorizer? {
        var choice = spec.auth
        if choice == .inherit { choice = collection.auth }
        guard case .profile(let name, _) = choice else { return nil }
        guard let profile = environment.auth[name] else {
            let known = environment.auth.keys.sorted()
            throw AuthError(
                message: "auth profile '\(name)' is not defined in environment '\(environment.name)'"
                    + (known.isEmpty ? " (it defines none)" : " (it defines \(known.joined(separator: ", ")))"))
        }
        guard let method = AuthMethods.all[profile.type.name] else {
            throw AuthError(message: "auth profile '\(name)': Vigil cannot sign in as \(profile.type.name)")
        }
        do {
            return try method.authorizer(AuthSettings(profile: profile, store: authStore), redactor: context.redactor)
        } catch {
            throw AuthError(message: "auth profile '\(name)': \(error.message)")
        }
    }
}
