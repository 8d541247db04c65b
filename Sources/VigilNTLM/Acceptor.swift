/// The server side of NTLM, as the emulator needs it: a CHALLENGE for a NEGOTIATE, and the
/// check of an AUTHENTICATE's NTLMv2 response (and MIC) against a known password.
extension NTLM {
    public struct Acceptor: Sendable {
        /// The NetBIOS domain the server belongs to (`EMULATOR`).
        public var domain: String
        public var computer: String

        public init(domain: String, computer: String) {
            self.domain = domain
            self.computer = computer
        }

        /// The CHALLENGE for `negotiate`, with a timestamp (so clients send a MIC).
        public func challenge(for negotiate: [UInt8], serverChallenge: [UInt8], now: UInt64) throws(MessageError) -> [UInt8] {
            let asked = try Negotiate(decoding: negotiate).flags
            var flags: Flags = [.ntlm, .requestTarget, .targetInfo, .targetTypeDomain, .version]
            flags.formUnion(asked.intersection([.unicode, .alwaysSign, .extendedSessionSecurity, .bits128, .bits56, .sign, .seal]))
            if !asked.contains(.unicode) { flags.insert(.oem) }
            var time = [UInt8]()
            for i in 0..<8 { time.append(UInt8(truncatingIfNeeded: now >> (8 * UInt64(i)))) }
            let info = TargetInfo([
                (TargetInfo.ID.nbDomainName.rawValue, NTLM.utf16le(domain)),
                (TargetInfo.ID.nbComputerName.rawValue, NTLM.utf16le(computer)),
                (TargetInfo.ID.dnsDomainName.rawValue, NTLM.utf16le(domain.lowercased() + ".local")),
                (TargetInfo.ID.dnsComputerName.rawValue, NTLM.utf16le(computer.lowercased() + "." + domain.lowercased() + ".local")),
                (TargetInfo.ID.timestamp.rawValue, time),
            ])
            return Challenge(flags: flags, serverChallenge: serverChallenge, targetName: domain, targetInfo: info).bytes
        }

        /// Why an AUTHENTICATE is refused.
        public enum Refusal: Error, Sendable, Hashable {
            /// Not an NTLMv2 AUTHENTICATE (NTLMv1, anonymous, or malformed).
            case malformed(String)
            /// No such user in the domain.
            case unknownUser(String)
            /// The response does not match the password, or the MIC does not match.
            case wrongPassword(String)
        }

        /// The signed-in user (`DOMAIN\user`, as the server knows it) when `authenticate` proves
        /// the password `password(domain, user)` returns.
        public func verify(
            negotiate: [UInt8], challenge: [UInt8], authenticate: [UInt8], password: (_ domain: String, _ user: String) -> (name: String, password: String)?
        ) throws(Refusal) -> String {
            let message: Authenticate, sent: Challenge
            do {
                message = try Authenticate(decoding: authenticate)
                sent = try Challenge(decoding: challenge)
            } catch {
                throw .malformed(error.message)
            }
            guard message.ntResponse.count > 24 else { throw .malformed("not an NTLMv2 response (NTLMv1 is refused)") }
            // No domain: a UPN (`user@domain`, left to `password`) or a user of the server's domain.
            let domain = message.domain.isEmpty && !message.user.contains("@") ? self.domain : message.domain
            guard let known = password(domain, message.user) else {
                throw .unknownUser(domain.isEmpty ? message.user : "\(domain)\\\(message.user)")
            }
            let proof = Array(message.ntResponse[0..<16]), temp = Array(message.ntResponse[16...])
            // The key uses the domain exactly as the client sent it.
            let key = NTLM.ntowfv2(password: known.password, user: message.user, domain: message.domain)
            let expected = NTLM.hmacMD5(key, sent.serverChallenge, temp)
            guard constantTimeEqual(expected, proof) else { throw .wrongPassword(known.name) }
            // A MIC, when the client's target info says it sent one.
            if temp.count > 28, let info = try? TargetInfo(decoding: Array(temp[28...])), info.avFlags & 0x2 != 0 {
                let sessionKey = NTLM.hmacMD5(key, proof)
                let mic = NTLM.mic(sessionKey: sessionKey, negotiate: negotiate, challenge: challenge, authenticate: authenticate)
                guard constantTimeEqual(mic, message.mic) else { throw .wrongPassword(known.name) }
            }
            return known.name
        }

        private func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
            guard a.count == b.count else { return false }
            var diff: UInt8 = 0
            for i in a.indices { diff |= a[i] ^ b[i] }
            return diff == 0
        }
    }
}
