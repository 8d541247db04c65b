import VigilCore

/// `type: bearer`: a given token.
enum BearerMethod: AuthMethod {
    static let type = AuthType.bearer

    static func authorizer(_ settings: AuthSettings, redactor: Redactor) throws(AuthError) -> Authorizer? {
        let token = try settings("token")
        redactor.add(token)
        return .fixed("Bearer \(token)")
    }
}

/// `type: basic`: HTTP Basic.
enum BasicMethod: AuthMethod {
    static let type = AuthType.basic

    static func authorizer(_ settings: AuthSettings, redactor: Redactor) throws(AuthError) -> Authorizer? {
        let raw = "\(try settings("username")):\(try settings("password"))"
        let header = "Basic \(Base64.encode(Array(raw.utf8)))"
        redactor.add(header)
        redactor.add(raw)  // and so its base64, without "Basic ", in every form
        return .fixed(header)
    }
}

/// `type: none`: no Authorization header.
enum NoAuthMethod: AuthMethod {
    static let type = AuthType.none

    static func authorizer(_ settings: AuthSettings, redactor: Redactor) throws(AuthError) -> Authorizer? { nil }
}

/// Standard base64, for HTTP Basic and NTLM.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out = [UInt8]()
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i], b1 = i + 1 < bytes.count ? bytes[i + 1] : 0, b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(table[Int(b0 >> 2)])
            out.append(table[Int((b0 & 3) << 4 | b1 >> 4)])
            out.append(i + 1 < bytes.count ? table[Int((b1 & 15) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? table[Int(b2 & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of standard base64 text, or nil when it is not base64.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var values = [UInt8]()
        for c in text.utf8 {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): values.append(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): values.append(c - UInt8(ascii: "a") + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): values.append(c - UInt8(ascii: "0") + 52)
            case UInt8(ascii: "+"): values.append(62)
            case UInt8(ascii: "/"): values.append(63)
            case UInt8(ascii: "="): continue
            default: return nil
            }
        }
        var out = [UInt8]()
        var i = 0
        while i + 1 < values.count {
            out.append(values[i] << 2 | values[i + 1] >> 4)
            if i + 2 < values.count { out.append(values[i + 1] << 4 | values[i + 2] >> 2) }
            if i + 3 < values.count { out.append(values[i + 2] << 6 | values[i + 3]) }
            i += 4
        }
        return out
    }
}
