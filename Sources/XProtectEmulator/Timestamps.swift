import Foundation

/// Timestamps in the server's form: ISO-8601 UTC with seven fractional digits, `2025-10-27T15:03:52.8070000Z`.
enum Timestamp {
    /// `DateTime.MinValue` as cameras report `createdDate` (no `Z`).
    static let minValue = "0001-01-01T00:00:00.0000000"

    static func now() -> String { format(Date().timeIntervalSince1970) }

    static func format(_ secondsSince1970: Double) -> String {
        let totalTicks = Int64((secondsSince1970 * 10_000_000).rounded(.down))
        let days = Int(totalTicks.floorDiv(864_000_000_000))
        let ticksOfDay = totalTicks - Int64(days) * 864_000_000_000
        let (y, m, d) = civil(fromDays: days)
        let seconds = Int(ticksOfDay / 10_000_000)
        let fraction = Int(ticksOfDay % 10_000_000)
        return "\(String(y).leftPadded(4))-\(String(m).leftPadded(2))-\(String(d).leftPadded(2))T"
            + "\(String(seconds / 3600).leftPadded(2)):\(String(seconds / 60 % 60).leftPadded(2)):"
            + "\(String(seconds % 60).leftPadded(2)).\(String(fraction).leftPadded(7))Z"
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
