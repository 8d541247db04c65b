import VigilCore
import VigilJSON

/// Identifies one token: who asked, where, as which client.
public struct TokenKey: Sendable, Hashable {
    public var tokenURL: String
    public var username: String
    public var clientID: String

    public init(tokenURL: String, username: String, clientID: String) {
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
}

/// Bearer tokens for the whole run, shared by every collection: fetched once per key,
/// renewed before they expire, renewed on demand after a 401, with one fetch in flight per
/// key however many requests wait for it.
public actor TokenCache {
    private var tokens: [TokenKey: CachedToken] = [:]
    private var inFlight: [TokenKey: Task<CachedToken, any Error>] = [:]

    public init() {}

    /// A valid token for `key`, fetching one with `fetch` when there is none or it is due for renewal.
    public func token(for key: TokenKey, fetch: @escaping @Sendable () async throws -> CachedToken) async throws -> String {
        if let t = tokens[key], ContinuousClock.now < t.renewAt { return t.value }
        if let task = inFlight[key] { return try await Self.wait(for: task).value }
        let task = Task { try await fetch() }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        let t = try await Self.wait(for: task)
        tokens[key] = t
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

/// OAuth2 password grant against the XProtect identity provider.
enum XProtectSignIn {
    static func fetch(
        url: String, username: String, password: String, clientID: String, margin: Duration,
        transport: any HTTPTransport, timeout: Duration
    ) async throws -> CachedToken {
        let form = [("grant_type", "password"), ("username", username), ("password", password), ("client_id", clientID)]
            .map { "\(FormEncoding.encode($0.0))=\(FormEncoding.encode($0.1))" }.joined(separator: "&")
        let request = PreparedRequest(
            method: "POST", url: url,
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: Array(form.utf8), timeout: timeout)
        let started = ContinuousClock.now
        let response: ReceivedResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw AuthError(message: "sign-in at \(url) failed: \(error.message)")
        }
        let json = try? JSONValue(parsing: response.body)
        guard response.status == 200, let token = json?["access_token"]?.stringValue else {
            let detail = [json?["error"]?.stringValue, json?["error_description"]?.stringValue, json?["error_code"]?.stringValue]
                .compactMap { $0 }.joined(separator: ", ")
            throw AuthError(message: "sign-in as '\(username)' at \(url) answered \(response.status)\(detail.isEmpty ? "" : ": \(detail)")")
        }
        let lifetime = json?["expires_in"]?.doubleValue ?? 3600
        let usable = max(0, lifetime - Double(margin.components.seconds))
        // A lifetime shorter than the margin: use it for half its life.
        let seconds = usable > 0 ? usable : lifetime / 2
        return CachedToken(value: token, renewAt: started + .milliseconds(Int64(seconds * 1000)))
    }
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
