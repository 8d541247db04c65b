import Testing
import VigilNTLM

/// [MS-NLMP] section 4.2.4 (NTLMv2 authentication): User / Domain / Password, server
/// challenge 0123456789abcdef, client challenge aa…aa, time 0.
@Suite struct NTLMv2VectorTests {
    static let challengeMessage = bytes(
        """
        4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef00000000000000002400240044000000
        060070170000000f53006500720076006500720002000c0044006f006d00610069006e0001000c00530065007200760065
        00720000000000
        """)

    @Test func ntHashAndResponseKey() {
        #expect(hex(NTLM.ntHash(password: "Password")) == "a4f49c406510bdcab6824ee7c30fd852")
        #expect(hex(NTLM.ntowfv2(password: "Password", user: "User", domain: "Domain")) == "0c868a403bfd7a93a3001ef22ef02e3f")
    }

    @Test func theChallengeMessageParses() throws {
        let challenge = try NTLM.Challenge(decoding: Self.challengeMessage)
        #expect(challenge.flags.rawValue == 0xE28A_8233)
        #expect(hex(challenge.serverChallenge) == "0123456789abcdef")
        #expect(challenge.targetName == "Server")
        #expect(challenge.targetInfo.string(.nbDomainName) == "Domain")
        #expect(challenge.targetInfo.string(.nbComputerName) == "Server")
        #expect(challenge.targetInfo.timestamp == nil)
        #expect(hex(challenge.targetInfo.bytes) == "02000c0044006f006d00610069006e0001000c0053006500720076006500720000000000")
    }

    @Test func responsesAndSessionBaseKey() throws {
        let challenge = try NTLM.Challenge(decoding: Self.challengeMessage)
        let v2 = NTLM.V2Response(
            responseKey: NTLM.ntowfv2(password: "Password", user: "User", domain: "Domain"), serverChallenge: challenge.serverChallenge,
            clientChallenge: [UInt8](repeating: 0xaa, count: 8), time: 0, targetInfo: challenge.targetInfo, zeroLM: false)
        #expect(hex(v2.lm) == "86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa")
        #expect(hex(Array(v2.nt[0..<16])) == "68cd0ab851e51c96aabc927bebef6a1c")
        #expect(
            hex(Array(v2.nt[16...]))
                == "01010000000000000000000000000000aaaaaaaaaaaaaaaa00000000"
                + "02000c0044006f006d00610069006e0001000c0053006500720076006500720000000000" + "00000000")
        #expect(hex(v2.sessionBaseKey) == "8de40ccadbc14a82f15cb0ad0de95ca3")
    }

    @Test func theClientAnswersTheWorkedExampleWithItsNTProofStr() throws {
        let client = NTLM.Client(NTLM.Credentials(username: "Domain\\User", password: "Password", workstation: "COMPUTER"))
        let message = try NTLM.Authenticate(
            decoding: try client.authenticate(Self.challengeMessage, clientChallenge: [UInt8](repeating: 0xaa, count: 8), now: 0))
        #expect(message.user == "User")
        #expect(message.domain == "Domain")
        #expect(message.workstation == "COMPUTER")
        #expect(hex(Array(message.ntResponse[0..<16])) == "68cd0ab851e51c96aabc927bebef6a1c")
        #expect(hex(message.lmResponse) == "86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa")
        #expect(message.mic == [UInt8](repeating: 0, count: 16), "no timestamp, no MIC")
    }
}

@Suite struct NTLMHandshakeTests {
    let acceptor = NTLM.Acceptor(domain: "EMULATOR", computer: "VIGIL")
    let serverChallenge: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]

    func handshake(username: String, password: String, domain: String? = nil) throws -> Result<String, NTLM.Acceptor.Refusal> {
        let client = NTLM.Client(NTLM.Credentials(username: username, password: password, domain: domain))
        let challenge = try acceptor.challenge(for: client.negotiate, serverChallenge: serverChallenge, now: 133_000_000_000_000_000)
        let authenticate = try client.authenticate(challenge, clientChallenge: [9, 9, 9, 9, 9, 9, 9, 9], now: 1)
        do {
            return .success(
                try acceptor.verify(negotiate: client.negotiate, challenge: challenge, authenticate: authenticate) { domain, user in
                    domain.uppercased() == "EMULATOR" && user.lowercased() == "qa" ? ("EMULATOR\\qa", "qa") : nil
                })
        } catch {
            return .failure(error)
        }
    }

    @Test func theRightPasswordSignsIn() throws {
        #expect(try handshake(username: "EMULATOR\\qa", password: "qa") == .success("EMULATOR\\qa"))
        #expect(try handshake(username: "QA", password: "qa", domain: "emulator") == .success("EMULATOR\\qa"))
    }

    @Test func aWrongPasswordOrUserIsRefused() throws {
        #expect(try handshake(username: "EMULATOR\\qa", password: "qb") == .failure(.wrongPassword("EMULATOR\\qa")))
        #expect(try handshake(username: "EMULATOR\\someone", password: "qa") == .failure(.unknownUser("EMULATOR\\someone")))
    }

    @Test func theServerTimestampIsUsedAndTheMICIsSentAndChecked() throws {
        let client = NTLM.Client(NTLM.Credentials(username: "EMULATOR\\qa", password: "qa"))
        let challenge = try acceptor.challenge(for: client.negotiate, serverChallenge: serverChallenge, now: 0x0102_0304_0506_0708)
        var authenticate = try client.authenticate(challenge, clientChallenge: [9, 9, 9, 9, 9, 9, 9, 9], now: 1)
        let message = try NTLM.Authenticate(decoding: authenticate)
        #expect(message.lmResponse == [UInt8](repeating: 0, count: 24))
        #expect(Array(message.ntResponse[24..<32]) == [8, 7, 6, 5, 4, 3, 2, 1], "the server's timestamp, not the client's clock")
        #expect(message.mic != [UInt8](repeating: 0, count: 16))
        #expect(message.flags.contains(.extendedSessionSecurity))
        // A changed MIC (the messages were tampered with) is refused.
        authenticate[NTLM.Authenticate.micRange.lowerBound] ^= 1
        #expect(throws: NTLM.Acceptor.Refusal.wrongPassword("EMULATOR\\qa")) {
            try acceptor.verify(negotiate: client.negotiate, challenge: challenge, authenticate: authenticate) { _, _ in ("EMULATOR\\qa", "qa") }
        }
    }

    @Test func messagesRoundTrip() throws {
        let negotiate = NTLM.Negotiate()
        #expect(try NTLM.Negotiate(decoding: negotiate.bytes) == negotiate)
        let challenge = try NTLM.Challenge(decoding: try acceptor.challenge(for: negotiate.bytes, serverChallenge: serverChallenge, now: 5))
        #expect(try NTLM.Challenge(decoding: challenge.bytes) == challenge)
        #expect(challenge.targetInfo.timestamp == 5)
        #expect(challenge.targetName == "EMULATOR")
    }

    @Test func badMessagesAreClearErrors() {
        #expect(throws: NTLM.MessageError("not an NTLM message")) { try NTLM.Challenge(decoding: Array("hello world!".utf8)) }
        #expect(throws: NTLM.MessageError("expected NTLM message type 2, found 1")) { try NTLM.Challenge(decoding: NTLM.Negotiate().bytes) }
        var cut = NTLMv2VectorTests.challengeMessage
        cut.removeLast(20)
        #expect(throws: NTLM.MessageError("an NTLM message field points past its end")) { try NTLM.Challenge(decoding: cut) }
    }

    @Test func userNameForms() {
        let a = NTLM.Credentials(username: "CORP\\jane", password: "x")
        #expect(a.user == "jane" && a.domain == "CORP")
        let b = NTLM.Credentials(username: "jane@corp.example", password: "x")
        #expect(b.user == "jane@corp.example" && b.domain == "")
        let c = NTLM.Credentials(username: "jane", password: "x", domain: "CORP")
        #expect(c.user == "jane" && c.domain == "CORP")
    }
}
