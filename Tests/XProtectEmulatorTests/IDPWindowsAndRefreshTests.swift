import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import VigilNTLM

@testable import XProtectEmulator

/// The IDP's Windows users (NTLM on `/IDP/connect/token`), refresh tokens and service tokens.
@Suite struct IDPWindowsAndRefreshTests {
    static let form = "grant_type=windows_credentials&client_id=GrantValidatorClient"

    /// The three legs of an NTLM handshake over one connection; the answers in order.
    func ntlm(
        _ h: Harness, path: String = "/IDP/connect/token", username: String, password: String, form: String = Self.form,
        scheme: String = "NTLM"
    ) async throws -> [HTTPAnswer] {
        try await TestClient.withClient(host: "127.0.0.1", port: h.emulator.port) { client in
            var answers: [HTTPAnswer] = []
            func send(_ authorization: String?) async throws -> HTTPAnswer {
                var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
                if let authorization { headers[.authorization] = authorization }
                let response = try await client.execute(
                    TestClient.Request(path, method: .post, authority: h.authority, headers: headers, body: ByteBuffer(string: form)))
                let answer = HTTPAnswer(
                    status: Int(response.status.code), headers: response.headers, text: response.body.map { String(buffer: $0) } ?? "")
                answers.append(answer)
                return answer
            }
            let first = try await send(nil)
            guard first.status == 401 else { return answers }
            let ntlm = NTLM.Client(NTLM.Credentials(username: username, password: password))
            let second = try await send("\(scheme) \(Data(ntlm.negotiate).base64EncodedString())")
            guard second.status == 401, let header = second.headers[values: .wwwAuthenticate].first,
                let challenge = Data(base64Encoded: String(header.dropFirst(scheme.count + 1)))
            else { return answers }
            let authenticate = try ntlm.authenticate([UInt8](challenge), clientChallenge: [1, 2, 3, 4, 5, 6, 7, 8], now: 0)
            _ = try await send("\(scheme) \(Data(authenticate).base64EncodedString())")
            return answers
        }
    }

    @Test func theDefaultWindowsUserSignsInThroughTheHandshake() async throws {
        try await withEmulator { h in
            let answers = try await ntlm(h, username: "EMULATOR\\qa", password: "qa")
            #expect(answers.map(\.status) == [401, 401, 200])
            #expect(answers[0].headers[values: .wwwAuthenticate] == ["Negotiate", "NTLM"])
            let challenge = try NTLM.Challenge(
                decoding: [UInt8](Data(base64Encoded: String(answers[1].headers[values: .wwwAuthenticate][0].dropFirst(5)))!))
            #expect(challenge.targetInfo.timestamp != nil)
            #expect(answers[2].string("access_token") != nil)
            #expect(answers[2].value("refresh_token") == nil)
            let token = try #require(answers[2].string("access_token"))
            #expect(try await h.api(.get, "/cameras", token: token).status == 200)
            #expect(await h.emulator.tokenRequests(grant: "windows_credentials") == 3)
        }
    }

    @Test func negotiateWithNTLMInsideAndAUPNWork() async throws {
        try await withEmulator { h in
            let answers = try await ntlm(h, username: "qa@emulator.local", password: "qa", scheme: "Negotiate")
            #expect(answers.map(\.status) == [401, 401, 200])
        }
    }

    @Test func aWrongPasswordIsInvalidGrant() async throws {
        try await withEmulator { h in
            let answers = try await ntlm(h, username: "EMULATOR\\qa", password: "nope")
            #expect(answers.map(\.status) == [401, 401, 400])
            #expect(answers[2].string("error") == "invalid_grant")
            #expect(answers[2].string("error_code") == "InvalidCredentials")
            let stranger = try await ntlm(h, username: "EMULATOR\\someone", password: "qa")
            #expect(stranger.last?.status == 400)
        }
    }

    @Test func configuredWindowsUsers() async throws {
        try await withEmulator(configure: { $0.windowsUsers = ["CORP\\jane": "Pa55 word"] }) { h in
            let jane = try await ntlm(h, username: "corp\\JANE", password: "Pa55 word")
            #expect(jane.last?.status == 200)
            let qa = try await ntlm(h, username: "EMULATOR\\qa", password: "qa")
            #expect(qa.last?.status == 400)
        }
    }

    @Test func anAuthenticateOnAnotherConnectionStartsOver() async throws {
        try await withEmulator { h in
            let client = NTLM.Client(NTLM.Credentials(username: "EMULATOR\\qa", password: "qa"))
            let second = try await h.request(
                .post, "/IDP/connect/token", body: Self.form, headers: ["Authorization": "NTLM \(Data(client.negotiate).base64EncodedString())"])
            #expect(second.status == 401)
            let header = try #require(second.headers[values: .wwwAuthenticate].first)
            let challenge = [UInt8](try #require(Data(base64Encoded: String(header.dropFirst(5)))))
            let authenticate = try client.authenticate(challenge, clientChallenge: [1, 1, 1, 1, 1, 1, 1, 1], now: 0)
            // h.request opens a new connection each time.
            let third = try await h.request(
                .post, "/IDP/connect/token", body: Self.form, headers: ["Authorization": "NTLM \(Data(authenticate).base64EncodedString())"])
            #expect(third.status == 401)
            #expect(third.headers[values: .wwwAuthenticate] == ["Negotiate", "NTLM"])
        }
    }

    @Test func theGatewayDoesNotPassNTLMThrough() async throws {
        try await withEmulator { h in
            let answers = try await ntlm(h, path: "/API/IDP/connect/token", username: "EMULATOR\\qa", password: "qa")
            #expect(answers.map(\.status) == [400])
            #expect(answers[0].string("error") == "invalid_grant")
        }
    }

    @Test func releasesBefore2023R2HaveNoWindowsSignIn() async throws {
        try await withEmulator(profile: "2023 R1") { h in
            let answers = try await ntlm(h, username: "EMULATOR\\qa", password: "qa")
            #expect(answers.map(\.status) == [400])
            #expect(answers[0].string("error") == "unsupported_grant_type")
        }
    }

    @Test func vmsClientGetsARefreshTokenFrom2025R1AndItIsUsedOnce() async throws {
        try await withEmulator { h in
            let first = try await h.request(
                .post, "/API/IDP/connect/token", body: "grant_type=password&username=admin&password=admin&client_id=VmsClient")
            let refresh = try #require(first.string("refresh_token"))
            let renewed = try await h.request(
                .post, "/API/IDP/connect/token", body: "grant_type=refresh_token&refresh_token=\(refresh)&client_id=VmsClient")
            #expect(renewed.status == 200)
            #expect(renewed.string("refresh_token") != nil && renewed.string("refresh_token") != refresh)
            let again = try await h.request(
                .post, "/API/IDP/connect/token", body: "grant_type=refresh_token&refresh_token=\(refresh)&client_id=VmsClient")
            #expect(again.status == 400)
            #expect(again.string("error") == "invalid_grant")
            #expect(await h.emulator.tokenRequests(grant: "refresh_token") == 2)
        }
        try await withEmulator(profile: "2024 R2") { h in
            let first = try await h.request(
                .post, "/API/IDP/connect/token", body: "grant_type=password&username=admin&password=admin&client_id=VmsClient")
            #expect(first.status == 200)
            #expect(first.value("refresh_token") == nil)
        }
    }

    @Test func theServiceClientGetsATokenAndOthersDoNot() async throws {
        try await withEmulator { h in
            let ok = try await h.request(
                .post, "/API/IDP/connect/token",
                body: "grant_type=client_credentials&client_id=vigil-service&client_secret=vigil-service-secret&scope=managementserver")
            #expect(ok.status == 200)
            let token = try #require(ok.string("access_token"))
            #expect(try await h.api(.get, "/cameras", token: token).status == 200)
            let wrong = try await h.request(
                .post, "/API/IDP/connect/token", body: "grant_type=client_credentials&client_id=vigil-service&client_secret=nope")
            #expect(wrong.status == 400)
            #expect(wrong.string("error") == "invalid_client")
            let scope = try await h.request(
                .post, "/API/IDP/connect/token",
                body: "grant_type=client_credentials&client_id=vigil-service&client_secret=vigil-service-secret&scope=openid")
            #expect(scope.string("error") == "invalid_scope")
        }
    }

    @Test func theSeedFileAddsWindowsUsersAndSetsTheServiceClient() async throws {
        let dir = FileManager.default.temporaryDirectory
        let path = dir.appendingPathComponent("vigil-seed-\(UUID().uuidString).json").path
        try #"{"windowsUsers": {"CORP\\jane": "Pa55word"}, "serviceClient": {"clientId": "mine", "clientSecret": "s3cret-mine"}}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await withEmulator(configure: { $0.seedFile = path }) { h in
            let jane = try await ntlm(h, username: "CORP\\jane", password: "Pa55word")
            #expect(jane.last?.status == 200)
            let qa = try await ntlm(h, username: "EMULATOR\\qa", password: "qa")
            #expect(qa.last?.status == 200, "the default Windows user stays")
            let service = try await h.request(
                .post, "/API/IDP/connect/token", body: "grant_type=client_credentials&client_id=mine&client_secret=s3cret-mine")
            #expect(service.status == 200)
            let old = try await h.request(
                .post, "/API/IDP/connect/token", body: "grant_type=client_credentials&client_id=vigil-service&client_secret=vigil-service-secret")
            #expect(old.status == 400)
        }
        for bad in [#"{"windowsUsers": {"jane": "x"}}"#, #"{"windowsUsers": {"CORP\\jane": 1}}"#, #"{"serviceClient": {"clientId": "x"}}"#] {
            let badPath = dir.appendingPathComponent("vigil-bad-\(UUID().uuidString).json").path
            try bad.write(toFile: badPath, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: badPath) }
            var configuration = EmulatorConfiguration()
            configuration.seedFile = badPath
            await #expect(throws: EmulatorError.self, "\(bad)") { try await EmbeddedEmulator.start(configuration) }
        }
    }
}
