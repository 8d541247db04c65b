import Foundation
import Hummingbird
import Testing

@testable import XProtectEmulator

@Suite struct IDPTests {
    @Test func tokenAnswerHasTheDocumentedShape() async throws {
        try await withEmulator { h in
            let answer = try await h.request(
                .post, "/API/IDP/connect/token",
                body: "grant_type=password&username=admin&password=admin&client_id=GrantValidatorClient")
            #expect(answer.status == 200)
            #expect(answer.int("expires_in") == 3600)
            #expect(answer.string("token_type") == "Bearer")
            #expect(answer.string("scope") == "managementserver")
            #expect(answer.string("access_token")?.split(separator: ".").count == 3)
            #expect(answer.value("refresh_token") == nil)
            #expect(answer.header("Content-Type") == "application/json; charset=UTF-8")
            #expect(answer.header("Cache-Control")?.contains("no-store") == true)
            #expect(await h.emulator.tokenRequestCount == 1)
        }
    }

    @Test func directIDPPathAndCaseInsensitivePathsWork() async throws {
        try await withEmulator { h in
            for path in ["/IDP/connect/token", "/api/idp/connect/token", "/idp/CONNECT/Token"] {
                let answer = try await h.request(
                    .post, path, body: "grant_type=password&username=admin&password=admin&client_id=GrantValidatorClient")
                #expect(answer.status == 200, "\(path)")
            }
            #expect(await h.emulator.tokenRequestCount == 3)
        }
    }

    @Test func badCredentialsAreInvalidGrant() async throws {
        try await withEmulator { h in
            let answer = try await h.request(
                .post, "/API/IDP/connect/token",
                body: "grant_type=password&username=admin&password=wrong&client_id=GrantValidatorClient")
            #expect(answer.status == 400)
            #expect(answer.string("error") == "invalid_grant")
            #expect(answer.string("error_code") == "InvalidCredentials")
            #expect(answer.string("error_description")?.isEmpty == false)
            let unknownUser = try await h.request(
                .post, "/IDP/connect/token", body: "grant_type=password&username=nobody&password=admin&client_id=GrantValidatorClient")
            #expect(unknownUser.status == 400)
            #expect(unknownUser.string("error_code") == "InvalidCredentials")
        }
    }

    @Test func unknownGrantAndClientAreOAuthErrors() async throws {
        try await withEmulator { h in
            let grant = try await h.request(
                .post, "/API/IDP/connect/token", body: "grant_type=client_magic&client_id=GrantValidatorClient")
            #expect(grant.status == 400)
            #expect(grant.text == #"{"error":"unsupported_grant_type"}"#)
            let client = try await h.request(
                .post, "/API/IDP/connect/token", body: "grant_type=password&username=admin&password=admin&client_id=Nope")
            #expect(client.status == 400)
            #expect(client.text == #"{"error":"invalid_client"}"#)
            let missing = try await h.request(.post, "/API/IDP/connect/token", body: "client_id=GrantValidatorClient")
            #expect(missing.status == 400)
            #expect(missing.string("error") == "invalid_request")
            let get = try await h.request(.get, "/API/IDP/connect/token")
            #expect(get.status == 405)
        }
    }

    @Test func configuredUsersAndFormEncoding() async throws {
        try await withEmulator(configure: { $0.users = ["op erator": "p&ss+word"] }) { h in
            let answer = try await h.request(
                .post, "/API/IDP/connect/token",
                body: "grant_type=password&username=op+erator&password=p%26ss%2Bword&client_id=VmsAdminClient")
            #expect(answer.status == 200)
            let admin = try await h.request(
                .post, "/API/IDP/connect/token",
                body: "grant_type=password&username=admin&password=admin&client_id=GrantValidatorClient")
            #expect(admin.status == 400)
        }
    }

    @Test func missingUnknownAndMalformedTokensGet401() async throws {
        try await withEmulator { h in
            for token in [nil, "not-a-token"] as [String?] {
                let answer = try await h.request(.get, "/api/rest/v1/cameras", token: token)
                #expect(answer.status == 401)
                #expect(answer.header("WWW-Authenticate") == "Bearer")
                #expect(answer.text == #"{  "error" : {  "httpCode" : 401,  "details" :  [ {  "errorText" : "Unauthorized" } ] } }"#)
            }
            let basic = try await h.request(.get, "/api/rest/v1/cameras", headers: ["Authorization": "Basic YWRtaW46YWRtaW4="])
            #expect(basic.status == 401)
            // Authentication comes before resource resolution.
            let unknown = try await h.request(.get, "/api/rest/v1/recordings")
            #expect(unknown.status == 401)
        }
    }

    @Test func tokensExpireAfterTheirLifetime() async throws {
        // 3 s: long enough that the first use is still in time on a loaded 2-core machine.
        try await withEmulator(configure: { $0.tokenLifetime = .seconds(3) }) { h in
            let clock = ContinuousClock()
            let issued = clock.now
            let answer = try await h.request(
                .post, "/API/IDP/connect/token",
                body: "grant_type=password&username=admin&password=admin&client_id=GrantValidatorClient")
            let received = clock.now
            #expect(answer.int("expires_in") == 3)
            let token = try #require(answer.string("access_token"))
            if clock.now - issued < .milliseconds(2500) {
                #expect(try await h.api(.get, "/cameras", token: token).status == 200)
            }
            // The server issued the token at or before the answer arrived: wait past that plus the lifetime.
            try await Task.sleep(until: received + .milliseconds(3300))
            let expired = try await h.api(.get, "/cameras", token: token)
            #expect(expired.status == 401)
            #expect(expired.header("WWW-Authenticate") == "Bearer")
            let fresh = try await h.token()
            #expect(try await h.api(.get, "/cameras", token: fresh).status == 200)
        }
    }

    @Test func subSecondLifetimeRoundsExpiresInUp() async throws {
        try await withEmulator(configure: { $0.tokenLifetime = .milliseconds(1500) }) { h in
            let answer = try await h.request(
                .post, "/API/IDP/connect/token",
                body: "grant_type=password&username=admin&password=admin&client_id=GrantValidatorClient")
            #expect(answer.int("expires_in") == 2)
        }
    }

    @Test func revokeAllTokensForcesA401() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            #expect(try await h.api(.get, "/sites", token: token).status == 200)
            await h.emulator.revokeAllTokens()
            #expect(try await h.api(.get, "/sites", token: token).status == 401)
            let again = try await h.token()
            #expect(again != token)
            #expect(try await h.api(.get, "/sites", token: again).status == 200)
            #expect(await h.emulator.tokenRequestCount == 2)
        }
    }
}
