#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Hummingbird
import NIOCore
import VigilNTLM

/// NTLM handshakes in progress, by connection: the NEGOTIATE and the CHALLENGE sent for it.
/// A connection is known by its object and its peer's address (an object's address may be
/// reused by the next connection); its entry goes when it closes.
actor NTLMHandshakes {
    struct Connection: Hashable, Sendable {
        var object: ObjectIdentifier
        var peer: String

        init(_ channel: any Channel) {
            object = ObjectIdentifier(channel)
            peer = channel.remoteAddress?.description ?? ""
        }
    }

    private var pending: [Connection: (negotiate: [UInt8], challenge: [UInt8])] = [:]

    func start(_ channel: any Channel, negotiate: [UInt8], challenge: [UInt8]) {
        let connection = Connection(channel)
        if pending.updateValue((negotiate, challenge), forKey: connection) == nil {
            channel.closeFuture.whenComplete { _ in Task { await self.drop(connection) } }
        }
    }

    func finish(_ channel: any Channel) -> (negotiate: [UInt8], challenge: [UInt8])? {
        pending.removeValue(forKey: Connection(channel))
    }

    private func drop(_ connection: Connection) { pending[connection] = nil }
}

/// The server side of HTTP NTLM on `/IDP/connect/token`, as IIS with Windows authentication
/// does it: 401 offering Negotiate and NTLM, 401 with the CHALLENGE for a NEGOTIATE, then the
/// token for an AUTHENTICATE on the same connection that proves a known user's password.
extension EmulatorRoutes {
    static let ntlmAcceptor = NTLM.Acceptor(domain: "EMULATOR", computer: "XPROTECT")

    func windowsToken(_ req: EmulatorRequest, form: Query, client: String) async -> Reply {
        guard let header = req.headers[.authorization], let parsed = Self.ntlmMessage(header), let connection = req.channel else {
            return Self.unauthorized(["Negotiate", "NTLM"])
        }
        let (scheme, message) = parsed
        switch message.count >= 12 ? message[8] : 0 {
        case 1:
            var random = SystemRandomNumberGenerator()
            let serverChallenge = (0..<8).map { _ in UInt8.random(in: 0...255, using: &random) }
            let now = NTLM.fileTime(unixSeconds: Date().timeIntervalSince1970)
            guard let challenge = try? Self.ntlmAcceptor.challenge(for: message, serverChallenge: serverChallenge, now: now) else {
                return Self.unauthorized(["Negotiate", "NTLM"])
            }
            await state.handshakes.start(connection, negotiate: message, challenge: challenge)
            return Self.unauthorized(["\(scheme) \(Data(challenge).base64EncodedString())"])
        case 3:
            // An AUTHENTICATE on a connection that got no CHALLENGE starts over.
            guard let sent = await state.handshakes.finish(connection) else { return Self.unauthorized(["Negotiate", "NTLM"]) }
            let users = state.windowsUsers
            do {
                let user = try Self.ntlmAcceptor.verify(negotiate: sent.negotiate, challenge: sent.challenge, authenticate: message) { domain, user in
                    Self.windowsUser(domain: domain, user: user, in: users)
                }
                return await issue(req, user: user, client: client)
            } catch {
                return oauthError("invalid_grant", "The username or password is incorrect.", code: "InvalidCredentials")
            }
        default:
            return Self.unauthorized(["Negotiate", "NTLM"])
        }
    }

    /// `NTLM <base64>` or `Negotiate <base64>` holding a raw NTLM message (SPNEGO-wrapped
    /// Kerberos tokens are not NTLM and get nil).
    static func ntlmMessage(_ header: String) -> (scheme: String, message: [UInt8])? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, ["ntlm", "negotiate"].contains(parts[0].lowercased()),
            let data = Data(base64Encoded: String(parts[1].drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()))
        else { return nil }
        let bytes = [UInt8](data)
        guard bytes.starts(with: Array("NTLMSSP".utf8) + [0]) else { return nil }
        return (String(parts[0]), bytes)
    }

    /// The configured user for an AUTHENTICATE's domain and user (case-insensitive; a UPN
    /// `user@domain.example` with no domain matches `DOMAIN\user`).
    static func windowsUser(domain: String, user: String, in users: [String: String]) -> (name: String, password: String)? {
        var domain = domain, user = user
        if domain.isEmpty, let at = user.lastIndex(of: "@") {
            domain = String(user[user.index(after: at)...].prefix { $0 != "." })
            user = String(user[..<at])
        }
        for (name, password) in users {
            guard let slash = name.firstIndex(of: "\\") else { continue }
            if name[..<slash].lowercased() == domain.lowercased(), name[name.index(after: slash)...].lowercased() == user.lowercased() {
                return (name, password)
            }
        }
        return nil
    }

    static func unauthorized(_ challenges: [String]) -> Reply {
        var reply = Reply.empty(.unauthorized)
        for c in challenges { reply.headers.append(HTTPFields.Element(name: .wwwAuthenticate, value: c)) }
        return reply
    }
}
