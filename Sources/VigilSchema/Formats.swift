/// Assertions for the `format` values Vigil checks when asked (`SchemaOptions.assertFormats`).
enum Formats {
    /// Whether `text` is a valid `format`; `nil` for formats that are not checked.
    static func check(_ format: String, _ text: String) -> Bool? {
        switch format {
        case "date-time": return isDateTime(Array(text.utf8))
        case "date": return isDate(Array(text.utf8)[...])
        case "time": return isTime(Array(text.utf8)[...])
        case "uuid": return isUUID(text)
        case "email": return isEmail(text)
        case "ipv4": return isIPv4(Substring(text))
        case "ipv6": return isIPv6(text)
        case "uri": return isURI(text)
        case "regex": return (try? ECMARegex(text)) != nil
        default: return nil
        }
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    private static func field(_ bytes: ArraySlice<UInt8>, _ offset: Int, _ length: Int) -> Int? {
        let start = bytes.startIndex + offset
        guard start + length <= bytes.endIndex else { return nil }
        return number(bytes[start..<start + length])
    }

    /// RFC 3339 full-date.
    static func isDate(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count == 10, bytes[bytes.startIndex + 4] == 0x2D, bytes[bytes.startIndex + 7] == 0x2D,
            let year = field(bytes, 0, 4), let month = field(bytes, 5, 2), let day = field(bytes, 8, 2), (1...12).contains(month)
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }

    /// RFC 3339 full-time (an offset is required); a leap second only at 23:59:60 UTC.
    static func isTime(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= 9, bytes[bytes.startIndex + 2] == 0x3A, bytes[bytes.startIndex + 5] == 0x3A,
            let hour = field(bytes, 0, 2), let minute = field(bytes, 3, 2), let second = field(bytes, 6, 2),
            hour < 24, minute < 60, second <= 60
        else { return false }
        var rest = bytes.dropFirst(8)
        if rest.first == 0x2E {
            let digits = rest.dropFirst().prefix { $0 >= 0x30 && $0 <= 0x39 }
            guard !digits.isEmpty else { return false }
            rest = rest.dropFirst(1 + digits.count)
        }
        var offsetMinutes = 0
        switch rest.first {
        case 0x5A, 0x7A: guard rest.count == 1 else { return false }
        case 0x2B, 0x2D:
            guard rest.count == 6, rest[rest.startIndex + 3] == 0x3A, let oh = field(rest, 1, 2), let om = field(rest, 4, 2), oh < 24, om < 60
            else { return false }
            offsetMinutes = (oh * 60 + om) * (rest.first == 0x2B ? 1 : -1)
        default: return false
        }
        if second == 60 {
            let utc = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    static func isDateTime(_ bytes: [UInt8]) -> Bool {
        guard bytes.count > 11, [0x54, 0x74].contains(bytes[10]) else { return false }
        return isDate(bytes[0..<10]) && isTime(bytes[11...])
    }

    static func isUUID(_ text: String) -> Bool {
        guard text.utf8.count == 36 else { return false }
        for (i, byte) in text.utf8.enumerated() {
            switch i {
            case 8, 13, 18, 23: guard byte == 0x2D else { return false }
            default: guard hexValue(byte) != nil else { return false }
            }
        }
        return true
    }

    static func isIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                guard part.utf8.count <= 3, let value = number(ArraySlice(part.utf8)), value <= 255 else { return false }
                return part.count == 1 || part.first != "0"
            }
    }

    static func isIPv6(_ text: String) -> Bool {
        guard text.utf8.allSatisfy({ hexValue($0) != nil || $0 == 0x3A || $0 == 0x2E }) else { return false }
        guard let gap = text.firstRange(of: "::") else { return groupCount(Substring(text), last: true) == 8 }
        let left = text[..<gap.lowerBound]
        let right = text[gap.upperBound...]
        guard !right.contains("::"), let l = groupCount(left, last: false), let r = groupCount(right, last: true) else { return false }
        return l + r <= 7
    }

    /// 16-bit groups in `a:b:c` (a trailing IPv4 counts two); `nil` if malformed.
    private static func groupCount(_ part: Substring, last: Bool) -> Int? {
        if part.isEmpty { return 0 }
        let groups = part.split(separator: ":", omittingEmptySubsequences: false)
        var count = 0
        for (i, group) in groups.enumerated() {
            if last && i == groups.count - 1 && group.contains(".") {
                guard isIPv4(group) else { return nil }
                count += 2
            } else {
                guard (1...4).contains(group.utf8.count), group.utf8.allSatisfy({ hexValue($0) != nil }) else { return nil }
                count += 1
            }
        }
        return count
    }

    static func isEmail(_ text: String) -> Bool {
        guard let at = text.lastIndex(of: "@") else { return false }
        let local = text[..<at]
        let domain = text[text.index(after: at)...]
        guard !local.isEmpty, !domain.isEmpty else { return false }
        if local.hasPrefix("\"") {
            guard local.count >= 2, local.hasSuffix("\"") else { return false }
        } else {
            let allowed = "!#$%&'*+-/=?^_`{|}~."
            guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
                local.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || allowed.unicodeScalars.contains($0) })
            else { return false }
        }
        if domain.hasPrefix("[") {
            guard domain.hasSuffix("]") else { return false }
            let literal = domain.dropFirst().dropLast()
            if literal.hasPrefix("IPv6:") { return isIPv6(String(literal.dropFirst(5))) }
            return isIPv4(literal)
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" }
        }
    }

    /// An absolute URI (RFC 3986): scheme, then only allowed characters and valid percent-escapes.
    static func isURI(_ text: String) -> Bool {
        let uri = URIReference(text)
        guard let scheme = uri.scheme, let first = scheme.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%".utf8)
        let bytes = Array(text.utf8)
        for (i, byte) in bytes.enumerated() {
            guard allowed.contains(byte) else { return false }
            if byte == 0x25 {
                guard i + 2 < bytes.count, hexValue(bytes[i + 1]) != nil, hexValue(bytes[i + 2]) != nil else { return false }
            }
        }
        if let authority = uri.authority {
            let host = authority.split(separator: "@").last.map(String.init) ?? ""
            if host.hasPrefix("[") {
                guard let close = host.firstIndex(of: "]") else { return false }
                return isIPv6(String(host[host.index(after: host.startIndex)..<close]))
            }
            if host.contains("[") || host.contains("]") { return false }
            if let colon = host.lastIndex(of: ":") {
                let port = host[host.index(after: colon)...]
                guard port.allSatisfy(\.isASCII), port.allSatisfy(\.isNumber) else { return false }
            }
        }
        return true
    }
}
