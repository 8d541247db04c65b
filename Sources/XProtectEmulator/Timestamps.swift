#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Timestamps in the server's form: ISO-8601 UTC with seven fractional digits, `2025-10-27T15:03:52.8070000Z`.
enum Timestamp {
    /// `DateTime.MinValue` as cameras report `createdDate` (no `Z`).
    static let minValue = "0001-01-01T00:00:00.0000000"

    static func now() -> String { format(Date().timeIntervalSince1970) }

    static func format(_ secondsSince1970: Double) -> String {
        format(ticks: Int64((secondsSince1970 * 10_000_000).rounded(.down)))
    }

    /// Formats 100-nanosecond ticks since 1970.
    static func format(ticks totalTicks: Int64) -> String {
        let days = Int(totalTicks.floorDiv(864_000_000_000))
        let ticksOfDay = totalTicks - Int64(days) * 864_000_000_000
        let (y, m, d) = civil(fromDays: days)
        let seconds = Int(ticksOfDay / 10_000_000)
        let fraction = Int(ticksOfDay % 10_000_000)
        return "\(String(y).leftPadded(4))-\(String(m).leftPadded(2))-\(String(d).leftPadded(2))T"
            + "\(String(seconds / 3600).leftPadded(2)):\(String(seconds / 60 % 60).leftPadded(2)):"
            + "\(String(seconds % 60).leftPadded(2)).\(String(fraction).leftPadded(7))Z"
    }

    /// 100-nanosecond ticks since 1970 of `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]` (no offset: UTC), or nil.
    static func parse(_ text: String) -> Int64? {
        let c = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= c.count else { return nil }
            var value = 0
            for b in c[from..<from + count] {
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard c.count >= 19, c[4] == 45, c[7] == 45, c[10] == 84 || c[10] == 116, c[13] == 58, c[16] == 58,
            let y = number(0, 4), let m = number(5, 2), let d = number(8, 2), let h = number(11, 2), let mi = number(14, 2),
            let s = number(17, 2), (1...12).contains(m), (1...31).contains(d), h < 24, mi < 60, s < 61
        else { return nil }
        var i = 19
        var fraction: Int64 = 0
        if i < c.count, c[i] == 46 {
            var scale: Int64 = 1_000_000
            i += 1
            let start = i
            while i < c.count, c[i] >= 48, c[i] <= 57 {
                fraction += Int64(c[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        var offset = 0
        if i < c.count {
            if c[i] == 90 || c[i] == 122 {
                i += 1
            } else if c[i] == 43 || c[i] == 45, let oh = number(i + 1, 2), i + 3 < c.count, c[i + 3] == 58, let om = number(i + 4, 2) {
                offset = (oh * 60 + om) * 60 * (c[i] == 45 ? -1 : 1)
                i += 6
            } else {
                return nil
            }
        }
        guard i == c.count else { return nil }
        let days = daysFromCivil(y, m, d)
        return Int64(days * 86_400 + h * 3600 + mi * 60 + s - offset) * 10_000_000 + fraction
    }

    /// Howard Hinnant's days-from-civil algorithm.
    private static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Howard Hinnant's days-to-civil algorithm.
    private static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

extension Int64 {
    fileprivate func floorDiv(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
