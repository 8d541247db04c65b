#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilJSON

/// Issued bearer tokens and their expiry. Tokens are opaque JWT-shaped strings.
actor TokenStore {
    private struct Entry {
        var user: String
        var expires: ContinuousClock.Instant
    }

    private var tokens: [String: Entry] = [:]
    private var generator: SplitMix64
    private(set) var tokenRequests = 0
    private var grantRequests: [String: Int] = [:]
    /// Refresh token → who it signs in, as which client. Each is used once (rotated).
    private var refreshTokens: [String: (user: String, clientID: String)] = [:]
    let lifetime: Duration

    init(lifetime: Duration, seed: UInt64 = 0x5EED_7011) {
        self.lifetime = lifetime
        self.generator = SplitMix64(seed: seed)
    }

    /// `expires_in`: the lifetime in whole seconds, rounded up, at least 1.
    nonisolated var expiresIn: Int {
        let (seconds, atto) = lifetime.components
        return max(1, Int(seconds) + (atto > 0 ? 1 : 0))
    }

    func countRequest(grant: String) {
        tokenRequests += 1
        grantRequests[grant, default: 0] += 1
    }

    func requests(grant: String) -> Int { grantRequests[grant] ?? 0 }

    /// A new refresh token for `user` (`VmsClient`, 2025 R1 on).
    func issueRefreshToken(user: String, clientID: String) -> String {
        var bytes = [UInt8]()
        for _ in 0..<4 { withUnsafeBytes(of: generator.next()) { bytes.append(contentsOf: $0) } }
        let token = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined()
        refreshTokens[token] = (user, clientID)
        return token
    }

    /// The user a refresh token signs in, spending it; nil when unknown, spent or another client's.
    func redeemRefreshToken(_ token: String, clientID: String) -> String? {
        guard let entry = refreshTokens[token], entry.clientID == clientID else { return nil }
        refreshTokens[token] = nil
        return entry.user
    }

    func issue(user: String, host: String, clientID: String) -> String {
        let now = Date()
        let iat = Int64(now.timeIntervalSince1970)
        let jti = String(generator.next(), radix: 16, uppercase: true)
        let header = #"{"alg":"RS256","kid":"VIGIL-EMULATOR","typ":"JWT"}"#
        let claims = JSONValue.object([
            "iss": .string("http://\(host)/IDP"),
            "nbf": .int(iat), "iat": .int(iat), "exp": .int(iat + Int64(expiresIn)),
            "aud": .array([.string("managementserver"), .string("http://\(host)/IDP/resources")]),
            "scope": .array([.string("managementserver")]), "amr": .array([.string("pwd")]),
            "client_id": .string(clientID), "sub": .string(UUIDGenerator.uuid(from: &generator).uppercased()),
            "auth_time": .int(iat), "idp": .string("local"), "name": .string(user), "jti": .string(jti),
        ])
        var signature = [UInt8]()
        for _ in 0..<4 { withUnsafeBytes(of: generator.next()) { signature.append(contentsOf: $0) } }
        let token = [Array(header.utf8), claims.serializedBytes(.aspNetCompact), signature].map(Self.base64URL).joined(separator: ".")
        tokens[token] = Entry(user: user, expires: .now + lifetime)
        return token
    }

    /// True when the token was issued here, is not revoked and has not expired.
    func isValid(_ token: String) -> Bool {
        guard let entry = tokens[token] else { return false }
        if entry.expires <= .now {
            tokens[token] = nil
            return false
        }
        return true
    }

    func revokeAll() {
        tokens.removeAll()
        refreshTokens.removeAll()
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacing("+", with: "-")
            .replacing("/", with: "_")
            .replacing("=", with: "")
    }
}

/// A small seeded generator, so ids and tokens are reproducible from run to run.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum UUIDGenerator {
    /// A version-4-shaped, lower-case GUID drawn from a seeded generator.
    static func uuid(from generator: inout SplitMix64) -> String {
        var bytes = [UInt8]()
        withUnsafeBytes(of: generator.next()) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: generator.next()) { bytes.append(contentsOf: $0) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String($0, radix: 16).leftPadded(2) }.joined()
        let c = Array(hex)
        return [c[0..<8], c[8..<12], c[12..<16], c[16..<20], c[20..<32]].map { String($0) }.joined(separator: "-")
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
