#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore
import VigilJSON

/// One `Set-Cookie` header as the server sent it (RFC 6265 §5.2): a name, a value and its
/// attributes, before the jar's storage rules apply.
public struct SetCookie: Sendable, Hashable {
    public var name: String
    public var value: String
    /// The `Domain` attribute, lower-cased, without a leading dot; nil when absent or empty.
    public var domain: String?
    /// The `Path` attribute when it starts with `/`; nil otherwise (the default path applies).
    public var path: String?
    /// When the cookie expires: from `Max-Age` (which wins) or `Expires`; nil: a session cookie.
    public var expires: Date?
    /// `Max-Age` as sent, in seconds.
    public var maxAge: Int?
    public var secure = false
    public var httpOnly = false
    public var sameSite: String?

    /// Parses a header value received at `now`; nil for a header RFC 6265 says to ignore
    /// (no `=` in the first part, or an empty name).
    public init?(parsing header: String, now: Date) {
        let parts = header.split(separator: ";", omittingEmptySubsequences: false)
        guard let pair = parts.first, let eq = pair.firstIndex(of: "=") else { return nil }
        name = pair[..<eq].trimmingWhitespace()
        value = pair[pair.index(after: eq)...].trimmingWhitespace()
        guard !name.isEmpty else { return nil }
        var expiresAttribute: Date?
        for attribute in parts.dropFirst() {
            let kv = attribute.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = kv[0].trimmingWhitespace().lowercased()
            let v = kv.count > 1 ? kv[1].trimmingWhitespace() : ""
            switch key {
            case "expires":
                if let d = CookieDate.parse(v) { expiresAttribute = d }
            case "max-age":
                guard let first = v.first, first == "-" || first.isASCII && first.isNumber, let seconds = Int(v) else { continue }
                maxAge = seconds
            case "domain":
                var d = v.lowercased()
                if d.hasPrefix(".") { d.removeFirst() }
                domain = d.isEmpty ? nil : d
            case "path":
                path = v.hasPrefix("/") ? v : nil
            case "secure": secure = true
            case "httponly": httpOnly = true
            case "samesite": sameSite = v
            default: continue
            }
        }
        if let maxAge {
            expires = maxAge <= 0 ? Date(timeIntervalSince1970: 0) : now.addingTimeInterval(TimeInterval(maxAge))
        } else {
            expires = expiresAttribute
        }
    }

    /// One part of the cookie, for checks and captures; nil when the attribute was not sent
    /// (`secure` and `httpOnly` are always true or false).
    public func value(of attribute: CookieAttribute) -> JSONValue? {
        switch attribute {
        case .value: .string(value)
        case .domain: domain.map(JSONValue.string)
        case .path: path.map(JSONValue.string)
        case .expires: expires.map { .string(CookieDate.iso8601($0)) }
        case .maxAge: maxAge.map { .int(Int64($0)) }
        case .secure: .bool(secure)
        case .httpOnly: .bool(httpOnly)
        case .sameSite: sameSite.map(JSONValue.string)
        }
    }
}

/// Dates in `Expires` (RFC 6265 §5.1.1, the forgiving algorithm browsers use).
enum CookieDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func parse(_ text: String) -> Date? {
        let tokens = text.split { c in !(c.isASCII && (c.isLetter || c.isNumber || c == ":")) }
        var time: (Int, Int, Int)?, day: Int?, month: Int?, year: Int?
        for token in tokens {
            if time == nil {
                let hms = token.split(separator: ":", omittingEmptySubsequences: false)
                if hms.count == 3, hms.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isNumber) }) {
                    time = (Int(hms[0])!, Int(hms[1])!, Int(hms[2])!)
                    continue
                }
            }
            let digits = token.prefix { $0.isNumber }
            if day == nil, (1...2).contains(digits.count), digits.count == token.count {
                day = Int(digits)
                continue
            }
            if month == nil, token.count >= 3, let m = months.firstIndex(of: token.prefix(3).lowercased()) {
                month = m + 1
                continue
            }
            if year == nil, (2...4).contains(digits.count), digits.count == token.count, var y = Int(digits) {
                if (70...99).contains(y) { y += 1900 } else if (0...69).contains(y) { y += 2000 }
                year = y
                continue
            }
        }
        guard let (h, mi, s) = time, let day, let month, let year, (1...31).contains(day), year >= 1601, h <= 23, mi <= 59, s <= 59 else {
            return nil
        }
        var c = DateComponents()
        (c.year, c.month, c.day, c.hour, c.minute, c.second) = (year, month, day, h, mi, s)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        return calendar.date(from: c)
    }

    /// `2026-12-01T20:00:00Z`.
    static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(secondsFromGMT: 0)!))
    }
}
