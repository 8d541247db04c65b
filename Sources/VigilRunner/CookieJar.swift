#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Synchronization

/// The cookies of one collection run, as a value: stored and sent by RFC 6265's rules for
/// domain (host-only or domain-matching), path, expiry and `Secure`.
///
/// There is no public suffix list: a `Domain` attribute with no dot (`com`, `localhost`) is
/// taken as one, so it is accepted only when it is the host itself (then host-only).
public struct CookieJar: Sendable {
    /// A stored cookie (RFC 6265 §5.3).
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var value: String
        /// Lower-cased host or domain.
        public var domain: String
        /// Sent only to `domain` itself (no `Domain` attribute was given).
        public var hostOnly: Bool
        public var path: String
        public var expires: Date?
        public var secure: Bool
        public var httpOnly: Bool
        public var created: Date
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    /// Stores the cookie of one `Set-Cookie` header received from `url` at `now`; returns
    /// whether it was accepted (a refused domain, or an unparsable header, is not).
    @discardableResult
    public mutating func store(_ header: String, from url: String, now: Date) -> Bool {
        guard let parsed = try? HTTPURL(url), let cookie = SetCookie(parsing: header, now: now) else { return false }
        let host = parsed.origin.host
        var domain = host
        var hostOnly = true
        if let d = cookie.domain {
            if !d.contains("."), d != host { return false }  // a public suffix, as far as Vigil can tell
            guard Self.domainMatches(host, d) else { return false }
            // A dotless domain equal to the host stays host-only (RFC 6265 §5.3 step 5).
            if d.contains(".") { (domain, hostOnly) = (d, false) }
        }
        let path = cookie.path ?? Self.defaultPath(of: parsed.path)
        var entry = Entry(
            name: cookie.name, value: cookie.value, domain: domain, hostOnly: hostOnly, path: path,
            expires: cookie.expires, secure: cookie.secure, httpOnly: cookie.httpOnly, created: now)
        let expired = entry.expires.map { $0 <= now } ?? false
        if let i = entries.firstIndex(where: { $0.name == entry.name && $0.domain == entry.domain && $0.path == entry.path }) {
            // A replacement keeps the creation time (and place) of the cookie it replaces; an
            // expired one is a deletion.
            entry.created = entries[i].created
            if expired { entries.remove(at: i) } else { entries[i] = entry }
            return true
        }
        if !expired { entries.append(entry) }
        return true
    }

    /// The `Cookie` header value for a request to `url` at `now` (RFC 6265 §5.4): longer paths
    /// first, then older cookies first; nil when no cookie applies. Expired cookies are not sent.
    public func header(for url: String, now: Date) -> String? {
        guard !entries.isEmpty, let parsed = try? HTTPURL(url) else { return nil }
        let host = parsed.origin.host
        let path = String(parsed.path.prefix { $0 != "?" })
        let chosen = entries.enumerated().filter { _, e in
            !(e.expires.map { $0 <= now } ?? false)
                && (e.hostOnly ? host == e.domain : Self.domainMatches(host, e.domain))
                && Self.pathMatches(path, e.path) && (!e.secure || parsed.origin.secure)
        }
        guard !chosen.isEmpty else { return nil }
        // Longer paths first, then older first; the order stored breaks ties.
        return
            chosen
            .sorted { a, b in
                if a.element.path.count != b.element.path.count { return a.element.path.count > b.element.path.count }
                if a.element.created != b.element.created { return a.element.created < b.element.created }
                return a.offset < b.offset
            }
            .map { "\($0.element.name)=\($0.element.value)" }.joined(separator: "; ")
    }

    /// Forgets the cookies expired at `now`.
    public mutating func removeExpired(now: Date) {
        entries.removeAll { $0.expires.map { $0 <= now } ?? false }
    }

    /// RFC 6265 §5.1.3: the same, or a subdomain of it (never for an IP address).
    static func domainMatches(_ host: String, _ domain: String) -> Bool {
        if host == domain { return true }
        return host.hasSuffix("." + domain) && !HTTPURL.isIPAddress(host)
    }

    /// RFC 6265 §5.1.4.
    static func pathMatches(_ requestPath: String, _ cookiePath: String) -> Bool {
        if requestPath == cookiePath { return true }
        guard requestPath.hasPrefix(cookiePath) else { return false }
        return cookiePath.hasSuffix("/") || requestPath.dropFirst(cookiePath.count).first == "/"
    }

    /// RFC 6265 §5.1.4: the request path up to its last `/` (exclusive), or `/`.
    static func defaultPath(of target: String) -> String {
        let path = target.prefix { $0 != "?" }
        guard path.hasPrefix("/"), let last = path.lastIndex(of: "/"), last != path.startIndex else { return "/" }
        return String(path[..<last])
    }
}

/// A jar shared by the requests of one collection run.
final class SharedCookieJar: Sendable {
    private let jar = Mutex(CookieJar())

    func header(for url: String) -> String? {
        let now = Date()
        return jar.withLock {
            guard !$0.entries.isEmpty else { return nil }
            $0.removeExpired(now: now)
            return $0.header(for: url, now: now)
        }
    }

    func store(_ headers: [String], from url: String) {
        let now = Date()
        jar.withLock { jar in
            for h in headers { jar.store(h, from: url, now: now) }
        }
    }
}
