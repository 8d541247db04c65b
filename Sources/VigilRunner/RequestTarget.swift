/// Where an `http` or `https` URL points: the origin to connect to, the request target
/// (path and query, percent-encoding what may not appear raw), the Host header and any
/// `user:password@` credentials.
struct RequestTarget: Sendable {
    var origin: NIOHTTP1Transport.Origin
    var path: String
    var hostHeader: String
    var userinfo: String?

    init(_ url: String) throws(TransportError) {
        let bytes = Array(url.utf8)
        func invalid(_ why: String) -> TransportError { TransportError(.invalidURL, "invalid URL '\(url)': \(why)") }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), bytes[colon...].starts(with: Array("://".utf8)) else {
            throw invalid("no scheme (write http:// or https://)")
        }
        let secure: Bool
        switch String(decoding: bytes[..<colon], as: UTF8.self).lowercased() {
        case "http": secure = false
        case "https": secure = true
        default: throw invalid("only http and https are supported")
        }
        let authorityStart = colon + 3
        let authorityEnd = bytes[authorityStart...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.endIndex
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
        var port = secure ? 443 : 80
        if !portText.isEmpty {
            guard portText.count <= 5, portText.allSatisfy({ $0 >= 48 && $0 <= 57 }), let p = Int(String(decoding: portText, as: UTF8.self)), (1...65535).contains(p) else {
                throw invalid("bad port '\(String(decoding: portText, as: UTF8.self))'")
            }
            port = p
        }
        let hostText = String(decoding: host, as: UTF8.self).lowercased()
        origin = .init(secure: secure, host: hostText, port: port)
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
