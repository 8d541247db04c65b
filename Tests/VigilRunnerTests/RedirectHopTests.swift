import Synchronization
import Testing
import VigilCore
@testable import VigilRunner
import VigilTestSupport

/// Issue 20 (probe 2): what a hop to another origin still carried, and what a hop that turns
/// the method into GET kept of the body.
@Suite struct RedirectHopTests {
    static let origin = HTTPURL.Origin(secure: true, host: "vms.example", port: 443)
    /// Nothing here is a known secret: the headers are dropped for their names alone.
    static let redactor = Redactor()

    @Test func everyAlwaysMaskedHeaderIsDroppedOnAHopElsewhereWhateverItsValue() throws {
        let request = PreparedRequest(
            method: "GET", url: "https://vms.example/a",
            headers: [("X-Api-Key", "CollApiKey1"), ("Proxy-Authorization", "Basic Zm9vOmJhcg=="), ("Cookie", "s=1"), ("Accept", "*/*")])
        let next = try RedirectPolicy().next(after: 302, location: "https://other.example/h1", from: request, origin: Self.origin, redactor: Self.redactor)
        #expect(next.headers.map(\.name) == ["Accept"], "\(next.headers)")
        for name in Redactor.secretHeaders { #expect(RedirectPolicy.credentialHeaders.contains(name)) }
        let same = try RedirectPolicy().next(after: 302, location: "/b", from: request, origin: Self.origin, redactor: Self.redactor)
        #expect(same.headers.count == 4)
    }

    @Test(arguments: [(303, "POST"), (303, "PUT"), (302, "POST"), (301, "POST")])
    func aHopThatBecomesGETDropsTheBodyAndItsHeaders(status: Int, method: String) throws {
        let request = PreparedRequest(
            method: method, url: "https://vms.example/a",
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Content-Encoding", "gzip"), ("Accept", "*/*")],
            body: Array("k=v".utf8))
        let next = try RedirectPolicy().next(after: status, location: "/b", from: request, origin: Self.origin, redactor: Self.redactor)
        #expect(next.method == "GET")
        #expect(next.body == nil)
        #expect(next.headers.map(\.name) == ["Accept"], "\(next.headers)")
        #expect(RedirectPolicy.method(after: status, method) == "GET")
    }

    @Test func aPUTFollowingA302KeepsItsBodyAndHeaders() throws {
        let request = PreparedRequest(method: "PUT", url: "https://vms.example/a", headers: [("Content-Type", "application/json")], body: Array("{}".utf8))
        let next = try RedirectPolicy().next(after: 302, location: "/b", from: request, origin: Self.origin, redactor: Self.redactor)
        #expect(next.method == "PUT" && next.body != nil && next.headers.count == 1)
        #expect(RedirectPolicy.method(after: 303, "HEAD") == "HEAD")
    }

    @Test(arguments: ["http://u:pw@other.example/x", "//u:pw@other.example/x", "https://u:pw@vms.example/x"])
    func credentialsInALocationDoNotBecomeTheNextHopsBasicCredentials(location: String) throws {
        let request = PreparedRequest(method: "GET", url: "https://vms.example/a", headers: [])
        let next = try RedirectPolicy(allowInsecureRedirect: true).next(
            after: 302, location: location, from: request, origin: Self.origin, redactor: Self.redactor)
        #expect(!next.url.contains("u:pw"), "\(next.url)")
        #expect(try HTTPURL(next.url).userinfo == nil)
        #expect(next.url.hasSuffix("example/x"))
    }

    @Test func aHostHeaderIsNotCarriedToAnotherOrigin() throws {
        let request = PreparedRequest(method: "GET", url: "https://vms.example/a", headers: [("Host", "vhost.example")])
        let next = try RedirectPolicy().next(after: 302, location: "https://other.example/b", from: request, origin: Self.origin, redactor: Self.redactor)
        #expect(next.headers.isEmpty)
        let same = try RedirectPolicy().next(after: 302, location: "/b", from: request, origin: Self.origin, redactor: Self.redactor)
        #expect(same.headers.count == 1)
    }

    /// Finding 15: A sets a host-only cookie and redirects to B, the same host on another port;
    /// the hop does not carry it (a later request of the run to B still does, as RFC 6265 scopes it).
    @Test func theJarsCookiesDoNotGoOnAHopToAnotherOrigin() async throws {
        let seenByB = Mutex<[String]>([])
        let b = try await ScriptedHTTPServer.start { request in
            seenByB.withLock { $0.append(request) }
            return .send(httpResponse("{}"))
        }
        let a = try await ScriptedHTTPServer.start { request in
            if requestPath(request) == "/login" { return .send(httpResponse("{}", extra: "Set-Cookie: session=JarCookieValue42; Path=/\r\n")) }
            return .send(httpResponse("", status: "302 Found", extra: "Location: \(b.baseURL)/landing\r\n"))
        }
        defer {
            Task {
                await a.stop(); await b.stop()
            }
        }
        let result = try await SecretScopeTests().run(
            """
            name: hop
            requests:
              - GET: "{{baseUrl}}/login"
              - GET: "{{baseUrl}}/go"
                followRedirects: true
              - GET: "\(b.baseURL)/later"
            """, "name: A\nvariables:\n  baseUrl: \(a.baseURL)\n")
        #expect(result.results.allSatisfy { $0.outcome == .passed }, "\(result.results.map { $0.message ?? "" })")
        let seen = seenByB.withLock { $0 }
        #expect(seen.count == 2)
        #expect(seen.first.map(requestPath) == "/landing")
        #expect(seen.first?.contains("JarCookieValue42") == false, "\(seen.first ?? "")")
        #expect(seen.last?.contains("session=JarCookieValue42") == true, "a direct request keeps RFC 6265's scope: \(seen.last ?? "")")
    }
}
