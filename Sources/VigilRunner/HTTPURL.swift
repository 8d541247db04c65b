/// An `http` or `https` URL as the transport uses it: the origin to connect to, the request
/// target (path and query, percent-encoding what may not appear raw), the Host header and any
/// `user:password@` credentials. The one URL type of the runner: the transport, the proxy
/// rules, redirects and messages all read URLs through it.
public struct HTTPURL: Sendable, Hashable {
    /// Scheme, host and port: what a connection, a credential or a cookie belongs to.
    public struct Origin: Hashable, Sendable, CustomStringConvertible {
        public var secure: Bool
        /// Lower-cased; an IPv6 address without its brackets.
        public var host: String
        public var port: Int

        public var scheme: String { secure ? "https" : "http" }
        /// `host:port`, with brackets around an IPv6 address (CONNECT's target, messages).
        public var hostAndPort: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }
        public var description: String { "\(scheme)://\(hostAndPort)" }
    }

    public var origin: Origin
    /// The request target in origin form: `/path?query`, never empty, no fragment.
    public var path: String
    /// The Host header: the port left out when it is the scheme's default.
    public var hostHeader: String
    /// Percent-decoded `user:password` from the authority, if any.
    public var userinfo: String?

    /// The URL for a request sent to a proxy (absolute form), without credentials.
    public var absoluteForm: String { "\(origin.scheme)://\(hostHeader)\(path)" }

    /// RFC 3986 `scheme`: a letter, then letters, digits, `+`, `-` and `.`.
    static func isScheme(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, first | 0x20 >= 0x61, first | 0x20 <= 0x7A else { return false }
        return bytes.allSatisfy { b in
            (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
        }
    }

    public init(_ url: String) throws(TransportError) {
        let bytes = Array(url.utf8)
        func invalid(_ why: String) -> TransportError { TransportError(.invalidURL, "invalid URL '\(url)': \(why)") }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), bytes[colon...].starts(with: Array("://".utf8)) else {
            // `javascript:alert(1)`, `mailto:x`: a scheme of its own, not a missing one.
            // (`localhost:8080/x` is a host and a port whose `http://` is missing.)
            if let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, Self.isScheme(bytes[..<colon]),
                !(colon + 1 < bytes.count && bytes[colon + 1] >= 0x30 && bytes[colon + 1] <= 0x39)
            {
                throw invalid("the scheme '\(String(decoding: bytes[..<colon], as: UTF8.self))' is not supported (only http and https)")
            }
            throw invalid("no scheme (write http:// or https://)")
        }
        let secure: Bool
        switch String(decoding: bytes[..<colon], as: UTF8.self).lowercased() {
        case "http": secure = false
        case "https": secure = true
        default: throw invalid("only http and https are supported")
        }
        let authorityStart = colon + 3
        let authorityEnd =
            bytes[authorityStart...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.endIndex
        var authority = bytes[authorityStart..<authorityEnd]
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) {
            userinfo = Self.percentDecoded(authority[..<at])
            authority = authority[(at + 1)...]
        }
        var host: ArraySlice<UInt8>
        var portText: ArraySlice<UInt8> = []
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { throw invalid("unclosed '[' in the host") }
            host = authority[(authority.startIndex + 1)..<close]
            let rest = authority[(close + 1)...]
            if !rest.isEmpty {
                guard rest.first == UInt8(ascii: ":") else { throw invalid("unexpected text after the host") }
                portText = rest.dropFirst()
            }
        } else if let c = authority.firstIndex(of: UInt8(ascii: ":")) {
            host = authority[..<c]
            portText = authority[(c + 1)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw invalid("no host") }
        guard host.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw invalid("the host has spaces or control characters") }
        var port = secure ? 443 : 80
        if !portText.isEmpty {
            guard portText.count <= 5, portText.allSatisfy({ $0 >= 48 && $0 <= 57 }), let p = Int(String(decoding: portText, as: UTF8.self)),
                (1...65535).contains(p)
            else {
                throw invalid("bad port '\(String(decoding: portText, as: UTF8.self))'")
            }
            port = p
        }
        let hostText = String(decoding: host, as: UTF8.self).lowercased()
        origin = Origin(secure: secure, host: hostText, port: port)
        let shownHost = authority.first == UInt8(ascii: "[") ? "[\(hostText)]" : hostText
        hostHeader = port == (secure ? 443 : 80) ? shownHost : "\(shownHost):\(port)"
        var rest = bytes[authorityEnd...]
        if let hash = rest.firstIndex(of: UInt8(ascii: "#")) { rest = rest[..<hash] }
        var target: [UInt8] = rest.first == UInt8(ascii: "/") ? [] : [UInt8(ascii: "/")]
        target.reserveCapacity(rest.count + 1)
        for b in rest {
            if Self.mustEncode(b) {
                target.append(UInt8(ascii: "%"))
                target.append(Self.hex[Int(b >> 4)])
                target.append(Self.hex[Int(b & 15)])
            } else {
                target.append(b)
            }
        }
        path = String(decoding: target, as: UTF8.self)
    }

    /// `host:port` of a URL for messages, or the text itself when it does not parse.
    public static func hostAndPort(of url: String) -> String {
        (try? HTTPURL(url))?.origin.hostAndPort ?? url
    }

    /// Where a `Location` header points, relative to `base` (RFC 9110 §10.2.2, RFC 3986 §5.2:
    /// absolute, scheme-relative, absolute-path, query-only and relative-path references).
    public static func resolve(_ location: String, against base: String) -> String {
        if let colon = location.firstIndex(of: ":"),
            location[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }),
            location.first?.isLetter == true
        {
            return location
        }
        guard let schemeEnd = base.firstRange(of: "://") else { return location }
        let scheme = base[..<schemeEnd.lowerBound]
        if location.hasPrefix("//") { return scheme + ":" + location }
        let afterScheme = base[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? base.endIndex
        let origin = base[..<authorityEnd]
        var basePath = base[authorityEnd...]
        if let hash = basePath.firstIndex(of: "#") { basePath = basePath[..<hash] }
        if location.hasPrefix("/") { return String(origin) + location }
        let pathOnly = basePath[..<(basePath.firstIndex(of: "?") ?? basePath.endIndex)]
        if location.hasPrefix("?") { return String(origin) + (pathOnly.isEmpty ? "/" : pathOnly) + location }
        if location.isEmpty { return String(origin) + basePath }
        let directory = pathOnly[..<(pathOnly.lastIndex(of: "/").map { pathOnly.index(after: $0) } ?? pathOnly.startIndex)]
        return String(origin) + (directory.isEmpty ? "/" : String(directory)) + location
    }

    private static let hex = Array("0123456789ABCDEF".utf8)

    /// Bytes that may not appear raw in a request target: controls, space, non-ASCII, `"<>\^`{|}`.
    private static func mustEncode(_ b: UInt8) -> Bool {
        if b <= 0x20 || b >= 0x7F { return true }
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\\"), UInt8(ascii: "^"),
            UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"):
            return true
        default:
            return false
        }
    }

    private static func percentDecoded(_ s: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == UInt8(ascii: "%"), i + 2 < s.endIndex, let v = UInt8(String(decoding: s[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                out.append(v)
                i += 3
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `host` is an IPv4 or IPv6 literal (never sent as TLS server name).
    static func isIPAddress(_ host: String) -> Bool {
        host.contains(":") || (!host.isEmpty && host.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ".") })
    }
}
