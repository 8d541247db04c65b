import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing
import VigilJSON

@testable import XProtectEmulator

/// The Hummingbird router and its middlewares, driven in process (no sockets) with HummingbirdTesting.
@Suite struct RouterTests {
    /// An emulator's router under test, with a token already issued.
    func withRouter(
        profile: String = "2025 R2", faults: EmulatorFaults = EmulatorFaults(),
        _ body: @Sendable (any TestClientProtocol, String) async throws -> Void
    ) async throws {
        var configuration = EmulatorConfiguration()
        configuration.profile = try #require(ReleaseProfile(named: profile))
        configuration.faults = faults
        let state = try EmulatorState(configuration)
        let token = await state.tokens.issue(user: "admin", host: "localhost", clientID: "VmsClient")
        try await Application(router: makeRouter(state: state)).test(.router) { client in try await body(client, token) }
    }

    @Test func pathsMatchCaseInsensitivelyAndIdsKeepTheirSpelling() async throws {
        try await withRouter { client, token in
            let auth: HTTPFields = [.authorization: "Bearer \(token)"]
            let list = try await client.execute(uri: "/API/REST/V1/CAMERAS", method: .get, headers: auth)
            #expect(list.status == .ok)
            #expect(try JSONValue(parsing: list.body.readableBytesView)["array"]?.arrayValue?.count == 4)
            let one = try await client.execute(uri: "/api/Rest/v1/Cameras/\(Seeded.ptzCamera.uppercased())/PTZPRESETS", method: .get, headers: auth)
            #expect(one.status == .ok)
            let unknown = try await client.execute(uri: "/api/rest/v1/Recordings/x", method: .get, headers: auth)
            #expect(String(buffer: unknown.body).contains(#""errorText" : "Unknown resource: Recordings""#))
            let token = try await client.execute(
                uri: "/idp/CONNECT/Token", method: .post, body: ByteBuffer(string: "grant_type=password&client_id=VmsClient&username=admin&password=admin"))
            #expect(token.status == .ok)
            #expect(try await client.execute(uri: "/API/.WELL-KNOWN/URIS", method: .get).status == .ok)
        }
    }

    @Test func childrenOfResourcesCheckTheIdFirst() async throws {
        try await withRouter { client, token in
            let auth: HTTPFields = [.authorization: "Bearer \(token)"]
            let child = try await client.execute(uri: "/api/rest/v1/cameras/\(Seeded.fixedCamera)/recordings/1", method: .get, headers: auth)
            #expect(child.status == .notFound)
            #expect(String(buffer: child.body).contains("Unknown resource: recordings"))
            let missing = try await client.execute(uri: "/api/rest/v1/cameras/00000000-0000-4000-8000-000000000000/recordings", method: .get, headers: auth)
            #expect(String(buffer: missing.body).contains("the requested id does not exist"))
            let presetChild = try await client.execute(
                uri: "/api/rest/v1/cameras/\(Seeded.ptzCamera)/ptzPresets/anything/more", method: .get, headers: auth)
            #expect(String(buffer: presetChild.body).contains("Unknown resource: more"))
            // 405 with Allow comes from the handler, for every standard method.
            let delete = try await client.execute(uri: "/api/rest/v1/cameras/\(Seeded.fixedCamera)", method: .delete, headers: auth)
            #expect(delete.status == .methodNotAllowed)
            #expect(delete.headers[.allow] == "GET, PUT, PATCH, POST")
            let root = try await client.execute(uri: "/api/rest/v1/", method: .get, headers: auth)
            #expect(String(buffer: root.body).contains(#""errorText" : "Unknown resource: ""#))
        }
    }

    @Test func authenticationRunsBeforeTheResource() async throws {
        try await withRouter { client, _ in
            for uri in ["/api/rest/v1/cameras", "/api/rest/v1/nothing", "/api/rest/v1"] {
                let answer = try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer not-a-token"])
                #expect(answer.status == .unauthorized, "\(uri)")
                #expect(answer.headers[.wwwAuthenticate] == "Bearer")
                #expect(
                    String(buffer: answer.body) == #"{  "error" : {  "httpCode" : 401,  "details" :  [ {  "errorText" : "Unauthorized" } ] } }"#)
            }
            // Discovery and the IDP need no token.
            #expect(try await client.execute(uri: "/IDP/.well-known/openid-configuration", method: .get).status == .ok)
        }
    }

    @Test func pathsWithoutARouteAnswerLikeIIS() async throws {
        try await withRouter { client, _ in
            for uri in ["/", "/favicon.ico", "/apis/rest", "/Management/x"] {
                let page = try await client.execute(uri: uri, method: .get)
                #expect(page.status == .notFound, "\(uri)")
                #expect(page.headers[.contentType] == "text/html")
                #expect(String(buffer: page.body).contains("404 - File or directory not found."))
            }
            for uri in ["/api", "/API/nothing", "/idp/connect", "/IDP/connect/token/x", "/api/.well-known/uris/x"] {
                let empty = try await client.execute(uri: uri, method: .get)
                #expect(empty.status == .notFound, "\(uri)")
                #expect(empty.body.readableBytes == 0, "\(uri)")
            }
        }
    }

    @Test func routesARelaseLacksAreUnknownResources() async throws {
        try await withRouter(profile: "2024 R1") { client, token in
            let answer = try await client.execute(uri: "/api/rest/v1/securityNamespaces", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(answer.status == .notFound)
            #expect(String(buffer: answer.body).contains("Unknown resource: securityNamespaces"))
        }
        try await withRouter(profile: "2021 R2") { client, _ in
            let answer = try await client.execute(uri: "/api/.well-known/uris", method: .get)
            #expect(String(buffer: answer.body).contains("Unknown resource: .well-known"))
        }
    }
}

/// The middlewares on their own, over a route that counts its calls.
@Suite struct MiddlewareTests {
    static let body = #"{  "data" : {  "id" : "abcdef" } }"#

    func withRoute(
        _ middleware: some RouterMiddleware<EmulatorContext>, _ test: @Sendable (any TestClientProtocol, Calls) async throws -> Void
    ) async throws {
        let calls = Calls()
        let router = Router(context: EmulatorContext.self)
        router.add(middleware: middleware)
        router.get("thing") { _, _ in
            calls.count.withLock { $0 += 1 }
            return Reply.json(.ok, bytes: ByteBuffer(string: Self.body))
        }
        try await Application(router: router).test(.router) { client in try await test(client, calls) }
    }

    @Test func bearerAuthentication() async throws {
        let tokens = TokenStore(lifetime: .seconds(60))
        let token = await tokens.issue(user: "admin", host: "localhost", clientID: "VmsClient")
        try await withRoute(BearerAuthMiddleware(tokens: tokens)) { client, calls in
            for headers: HTTPFields in [[:], [.authorization: "Basic YWRtaW46YWRtaW4="], [.authorization: "Bearer x"]] {
                let refused = try await client.execute(uri: "/thing", method: .get, headers: headers)
                #expect(refused.status == .unauthorized)
                #expect(refused.headers[.wwwAuthenticate] == "Bearer")
            }
            #expect(calls.count.withLock { $0 } == 0)
            let allowed = try await client.execute(uri: "/thing", method: .get, headers: [.authorization: "bearer  \(token) "])
            #expect(allowed.status == .ok)
            #expect(calls.count.withLock { $0 } == 1)
            await tokens.revokeAll()
            #expect(try await client.execute(uri: "/thing", method: .get, headers: [.authorization: "Bearer \(token)"]).status == .unauthorized)
        }
    }

    @Test func faultsChangeTheAnswerFromBelow() async throws {
        let truncate = EmulatorFaults(truncatedBodyRate: 1)
        try await withRoute(FaultInjectionMiddleware(faults: truncate, scheduler: FaultScheduler(truncate))) { client, _ in
            let answer = try await client.execute(uri: "/thing", method: .get)
            #expect(String(buffer: answer.body) == String(Self.body.prefix(Self.body.utf8.count / 2)))
            #expect(answer.headers[.contentLength] == String(Self.body.utf8.count / 2))
            #expect(answer.headers[.contentType] == "application/json; charset=utf-8")
        }
        let invalid = EmulatorFaults(invalidJSONRate: 1)
        try await withRoute(FaultInjectionMiddleware(faults: invalid, scheduler: FaultScheduler(invalid))) { client, _ in
            let answer = try await client.execute(uri: "/thing", method: .get)
            #expect(String(buffer: answer.body) == #"{  "vigilInjectedFault" : undefined,  "data" : {  "id" : "abcdef" } }"#)
            #expect(throws: JSONParseError.self) { try JSONValue(parsing: answer.body.readableBytesView) }
        }
        let errors = EmulatorFaults(serverErrorRate: 1, serverErrorStatus: 504)
        try await withRoute(FaultInjectionMiddleware(faults: errors, scheduler: FaultScheduler(errors))) { client, calls in
            let answer = try await client.execute(uri: "/thing", method: .get)
            #expect(answer.status == .gatewayTimeout)
            #expect(String(buffer: answer.body).contains(#""errorText" : "Gateway Timeout""#))
            #expect(calls.count.withLock { $0 } == 0)
        }
        try await withRoute(FaultInjectionMiddleware(faults: EmulatorFaults(), scheduler: FaultScheduler(EmulatorFaults()))) { client, calls in
            let answer = try await client.execute(uri: "/thing", method: .get)
            #expect(String(buffer: answer.body) == Self.body)
            #expect(calls.count.withLock { $0 } == 1)
        }
    }
}

/// How often the route below a middleware ran.
final class Calls: Sendable {
    let count = Mutex(0)
}
