import Foundation
import Testing
@testable import VigilRunner

@Suite("Cookie jar (RFC 6265)")
struct CookieJarTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func jar(_ cookies: [(String, String)], at now: Date = t0) -> CookieJar {
        var jar = CookieJar()
        for (header, url) in cookies { jar.store(header, from: url, now: now) }
        return jar
    }

    @Test("Parsing a Set-Cookie header: name, value and attributes")
    func parsing() throws {
        let c = try #require(
            SetCookie(parsing: "sid=abc123; Path=/app; Domain=.Example.com; Secure; HttpOnly; SameSite=Lax; Max-Age=60", now: Self.t0))
        #expect(c.name == "sid" && c.value == "abc123")
        #expect(c.path == "/app" && c.domain == "example.com")
        #expect(c.secure && c.httpOnly && c.sameSite == "Lax" && c.maxAge == 60)
        #expect(c.expires == Self.t0.addingTimeInterval(60))
        #expect(c.value(of: .expires) == .string(CookieDate.iso8601(Self.t0.addingTimeInterval(60))))
        #expect(c.value(of: .domain) == .string("example.com") && c.value(of: .secure) == .bool(true))
        #expect(SetCookie(parsing: "novalue", now: Self.t0) == nil)
        #expect(SetCookie(parsing: "=v", now: Self.t0) == nil)
        #expect(SetCookie(parsing: "a=", now: Self.t0)?.value == "")
        // A path that does not start with / is the default path; Max-Age wins over Expires.
        let d = try #require(SetCookie(parsing: "a=1; Path=rel; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Max-Age=10", now: Self.t0))
        #expect(d.path == nil && d.expires == Self.t0.addingTimeInterval(10))
    }

    @Test("Expires dates in the three historical formats")
    func dates() {
        let expected = Date(timeIntervalSince1970: 1_445_412_480)  // 2015-10-21 07:28:00 UTC
        #expect(CookieDate.parse("Wed, 21 Oct 2015 07:28:00 GMT") == expected)
        #expect(CookieDate.parse("Wednesday, 21-Oct-15 07:28:00 GMT") == expected)
        #expect(CookieDate.parse("Wed Oct 21 07:28:00 2015") == expected)
        #expect(CookieDate.parse("not a date") == nil)
        #expect(CookieDate.parse("Wed, 32 Oct 2015 07:28:00 GMT") == nil)
    }

    @Test("Host-only cookies go to their host only; Domain cookies to subdomains too")
    func domains() {
        let j = jar([("a=1", "http://example.com/"), ("b=2; Domain=example.com", "http://example.com/")])
        #expect(j.header(for: "http://example.com/x", now: Self.t0) == "a=1; b=2")
        #expect(j.header(for: "http://www.example.com/x", now: Self.t0) == "b=2")
        #expect(j.header(for: "http://notexample.com/", now: Self.t0) == nil)
        #expect(j.header(for: "http://other.org/", now: Self.t0) == nil)
    }

    @Test("A Domain the host does not match, or a public suffix, is refused")
    func refusedDomains() {
        var j = CookieJar()
        let refused = [
            ("a=1; Domain=other.org", "http://example.com/"), ("a=1; Domain=www.example.com", "http://example.com/"),
            ("a=1; Domain=com", "http://example.com/"), ("a=1; Domain=0.1", "http://127.0.0.1/"),
        ]
        for (header, url) in refused {
            let stored = j.store(header, from: url, now: Self.t0)
            #expect(!stored, "\(header) from \(url)")
        }
        #expect(j.entries.isEmpty)
        // A dotless Domain equal to the host is kept, host-only.
        let kept = j.store("a=1; Domain=localhost", from: "http://localhost:8080/", now: Self.t0)
        #expect(kept)
        #expect(j.entries.first?.hostOnly == true)
    }

    @Test("Paths: the default path, path-match on segment boundaries, longer paths first")
    func paths() {
        #expect(CookieJar.defaultPath(of: "/") == "/")
        #expect(CookieJar.defaultPath(of: "/login") == "/")
        #expect(CookieJar.defaultPath(of: "/app/login?x=/y") == "/app")
        #expect(CookieJar.pathMatches("/app", "/app"))
        #expect(CookieJar.pathMatches("/app/x", "/app"))
        #expect(CookieJar.pathMatches("/app/x", "/app/"))
        #expect(!CookieJar.pathMatches("/application", "/app"))
        let j = jar([("root=1; Path=/", "http://h.test/"), ("deep=2; Path=/app/admin", "http://h.test/"), ("mid=3", "http://h.test/app/login")])
        #expect(j.header(for: "http://h.test/app/admin/users", now: Self.t0) == "deep=2; mid=3; root=1")
        #expect(j.header(for: "http://h.test/other", now: Self.t0) == "root=1")
    }

    @Test("Secure cookies only over https; ports do not isolate cookies")
    func secure() {
        let j = jar([("s=1; Secure", "https://h.test/"), ("p=2", "https://h.test/")])
        #expect(j.header(for: "https://h.test/", now: Self.t0) == "s=1; p=2")
        #expect(j.header(for: "http://h.test/", now: Self.t0) == "p=2")
        #expect(j.header(for: "https://h.test:8443/", now: Self.t0) == "s=1; p=2")
    }

    @Test("Expiry: Max-Age and Expires end a cookie; Max-Age=0 deletes it; replacing keeps the order")
    func expiry() {
        var j = jar([("a=1; Max-Age=60", "http://h.test/"), ("b=2", "http://h.test/"), ("c=3; Expires=Wed, 21 Oct 2015 07:28:00 GMT", "http://h.test/")])
        #expect(j.header(for: "http://h.test/", now: Self.t0) == "a=1; b=2")
        #expect(j.header(for: "http://h.test/", now: Self.t0.addingTimeInterval(61)) == "b=2")
        j.removeExpired(now: Self.t0.addingTimeInterval(61))
        #expect(j.entries.map(\.name) == ["b"])
        j.store("b=; Max-Age=0", from: "http://h.test/", now: Self.t0)
        #expect(j.header(for: "http://h.test/", now: Self.t0) == nil)
        var k = jar([("x=1", "http://h.test/"), ("y=2", "http://h.test/")])
        k.store("x=9", from: "http://h.test/", now: Self.t0.addingTimeInterval(5))
        #expect(k.header(for: "http://h.test/", now: Self.t0) == "x=9; y=2")
    }
}
