import Crypto

/// NTLMv2 (MS-NLMP 3.3.2): the keys and responses, from MD4, MD5 and HMAC-MD5.
extension NTLM {
    static func hmacMD5(_ key: [UInt8], _ parts: [UInt8]...) -> [UInt8] {
        var mac = HMAC<Insecure.MD5>(key: SymmetricKey(data: key))
        for part in parts { mac.update(data: part) }
        return Array(mac.finalize())
    }

    /// NTOWFv1: MD4 of the password in UTF-16LE (the NT hash).
    public static func ntHash(password: String) -> [UInt8] { MD4.hash(utf16le(password)) }

    /// NTOWFv2 (= LMOWFv2): HMAC-MD5 keyed by the NT hash over UPPER(user) + domain, in UTF-16LE.
    public static func ntowfv2(password: String, user: String, domain: String) -> [UInt8] {
        hmacMD5(ntHash(password: password), utf16le(user.uppercased() + domain))
    }

    /// An NTLMv2 response and the session base key it makes (MS-NLMP 3.3.2).
    public struct V2Response: Sendable, Hashable {
        /// NTProofStr followed by the client's blob ("temp").
        public var nt: [UInt8]
        /// LMv2, or 24 zero bytes when the server sent a timestamp.
        public var lm: [UInt8]
        public var sessionBaseKey: [UInt8]

        /// `time` is a FILETIME; `targetInfo` the pairs as the client sends them back.
        public init(
            responseKey: [UInt8], serverChallenge: [UInt8], clientChallenge: [UInt8], time: UInt64, targetInfo: TargetInfo,
            zeroLM: Bool
        ) {
            var temp: [UInt8] = [1, 1, 0, 0, 0, 0, 0, 0]
            for i in 0..<8 { temp.append(UInt8(truncatingIfNeeded: time >> (8 * UInt64(i)))) }
            temp += clientChallenge
            temp += [0, 0, 0, 0]
            temp += targetInfo.bytes
            temp += [0, 0, 0, 0]
            let proof = NTLM.hmacMD5(responseKey, serverChallenge, temp)
            nt = proof + temp
            lm = zeroLM ? [UInt8](repeating: 0, count: 24) : NTLM.hmacMD5(responseKey, serverChallenge, clientChallenge) + clientChallenge
            sessionBaseKey = NTLM.hmacMD5(responseKey, proof)
        }
    }

    /// The MIC (MS-NLMP 3.1.5.1.2): HMAC-MD5 over the three messages, the MIC field zeroed.
    public static func mic(sessionKey: [UInt8], negotiate: [UInt8], challenge: [UInt8], authenticate: [UInt8]) -> [UInt8] {
        var zeroed = authenticate
        if zeroed.count >= Authenticate.micRange.upperBound {
            zeroed.replaceSubrange(Authenticate.micRange, with: [UInt8](repeating: 0, count: 16))
        }
        return hmacMD5(sessionKey, negotiate, challenge, zeroed)
    }

    /// FILETIME (100 ns since 1601-01-01) of a Unix time in seconds.
    public static func fileTime(unixSeconds: Double) -> UInt64 {
        UInt64((unixSeconds + 11_644_473_600) * 10_000_000)
    }
}

extension NTLM {
    /// A user's credentials, as NTLM needs them: `DOMAIN\user` splits into both, `user@domain`
    /// stays whole with an empty domain (as Windows sends a UPN), and an explicit domain wins.
    public struct Credentials: Sendable {
        public var user: String
        public var domain: String
        public var password: String
        public var workstation: String

        public init(username: String, password: String, domain: String? = nil, workstation: String = "") {
            if let slash = username.firstIndex(of: "\\") {
                user = String(username[username.index(after: slash)...])
                self.domain = domain ?? String(username[..<slash])
            } else {
                user = username
                self.domain = domain ?? ""
            }
            self.password = password
            self.workstation = workstation
        }
    }

    /// The client side of one handshake: ``negotiate`` first, then ``authenticate(_:)`` with the
    /// server's CHALLENGE. Random values and the clock come in from outside, for tests.
    public struct Client: Sendable {
        public var credentials: Credentials
        public let negotiate: [UInt8]

        public init(_ credentials: Credentials) {
            self.credentials = credentials
            negotiate = Negotiate().bytes
        }

        /// The AUTHENTICATE message answering `challengeBytes`: NTLMv2, with the server's timestamp
        /// when it sent one (and then a MIC, flagged in the target info), otherwise `now`.
        public func authenticate(
            _ challengeBytes: [UInt8], clientChallenge: [UInt8], now: UInt64
        ) throws(MessageError) -> [UInt8] {
            let challenge = try Challenge(decoding: challengeBytes)
            guard challenge.flags.contains(.ntlm) || challenge.flags.contains(.extendedSessionSecurity) else {
                throw MessageError("the server's NTLM challenge offers neither NTLM nor extended session security")
            }
            var info = challenge.targetInfo
            let timestamp = info.timestamp
            if timestamp != nil {  // a MIC is present
                let f = info.avFlags | 0x2
                info.set(.flags, [UInt8(truncatingIfNeeded: f), UInt8(truncatingIfNeeded: f >> 8), UInt8(truncatingIfNeeded: f >> 16), UInt8(f >> 24)])
            }
            let key = NTLM.ntowfv2(password: credentials.password, user: credentials.user, domain: credentials.domain)
            let v2 = V2Response(
                responseKey: key, serverChallenge: challenge.serverChallenge, clientChallenge: clientChallenge, time: timestamp ?? now,
                targetInfo: info, zeroLM: timestamp != nil)
            var flags = challenge.flags.intersection(Flags.client).union([.ntlm])
            if challenge.flags.contains(.unicode) { flags.remove(.oem) }
            var message = Authenticate(
                flags: flags, lmResponse: v2.lm, ntResponse: v2.nt, domain: credentials.domain, user: credentials.user,
                workstation: credentials.workstation)
            if timestamp != nil {
                // No key exchange: the exported session key is the session base key.
                message.mic = NTLM.mic(sessionKey: v2.sessionBaseKey, negotiate: negotiate, challenge: challengeBytes, authenticate: message.bytes)
            }
            return message.bytes
        }
    }
}
