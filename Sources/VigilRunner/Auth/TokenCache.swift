import VigilCore
import VigilJSON

/// Identifies one token: how, who asked, where, as which client.
public struct TokenKey: Sendable, Hashable {
    /// The auth type (`xprotect-basic`, `xprotect-windows`, …).
    public var grant: String
    public var tokenURL: String
    public var username: String
    public var clientID: String

    public init(grant: String = AuthType.xprotectBasic.name, tokenURL: String, username: String, clientID: String) {
        self.grant = grant
        self.tokenURL = tokenURL
        self.username = username
        self.clientID = clientID
    }
}

/// A bearer token and when it stops being used.
public struct CachedToken: Sendable {
    public var value: String
    /// Renew at this instant (expiry less the margin).
    public var renewAt: ContinuousClock.Instant
    /// The IDP's refresh token, when it gave one (`VmsClient`): renewing uses it first.
    public var refreshToken: String?

    public init(value: String, renewAt: ContinuousClock.Instant, refreshToken: String? = nil) {
        self.value = value
        self.renewAt = renewAt
        self.refreshToken = refreshToken
    }
}

/// Bearer tokens for the whole run, shared by every collection: fetched once per key,
/// renewed before they expire, renewed on demand after a 401, with one fetch in flight per
/// key however many requests wait for it.
public actor TokenCache {
    private var tokens: [TokenKey: CachedToken] = [:]
    private var inFlight: [TokenKey: Task<CachedToken, any Error>] = [:]
    /// The latest refresh token per key; kept when a 401 drops the access token.
    private var refreshTokens: [TokenKey: String] = [:]

    public init() {}

    /// A valid token for `key`, fetching one with `fetch` when there is none or it is due for
    /// renewal; `fetch` gets the refresh token of the previous fetch, when there was one.
    public func token(for key: TokenKey, fetch: @escaping @Sendable (_ refreshToken: String?) async throws -> CachedToken) async throws -> String {
        if let t = tokens[key], ContinuousClock.now < t.renewAt { return t.value }
        if let task = inFlight[key] { return try await Self.wait(for: task).value }
        let refresh = refreshTokens[key]
        let task = Task { try await fetch(refresh) }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        let t = try await Self.wait(for: task)
        tokens[key] = t
        refreshTokens[key] = t.refreshToken
        return t.value
    }

    /// The fetch's result; a stop (task cancellation) of a waiter cancels the fetch too, so a
    /// sign-in that hangs never holds up Ctrl-C.
    private static func wait(for task: Task<CachedToken, any Error>) async throws -> CachedToken {
        try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }

    /// Drops `value` for `key` (after a 401), unless a newer token replaced it already.
    public func invalidate(_ key: TokenKey, value: String) {
        if tokens[key]?.value == value { tokens[key] = nil }
    }
}

/// Why signing in failed.
public struct AuthError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// `application/x-www-form-urlencoded` and URL query encoding.
public enum FormEncoding {
    private static let unreserved: Set<UInt8> = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8))

    /// Percent-encodes everything but unreserved characters.
    public static func encode(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            if unreserved.contains(b) {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%"
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(b >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(b & 15)]))
            }
        }
        return out
    }
}
