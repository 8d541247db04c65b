#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Stable, real-looking stand-ins for the values a run makes, on one docs page: every UUID
/// and every recent timestamp (made during the run) is replaced, in order of appearance, the
/// same original always by the same stand-in, wherever it appears (response and request
/// bodies, URLs, curl commands, captures). A captured part of such a value (a regex capture
/// of an id's first block, a date cut out of a timestamp) becomes the same part of its
/// stand-in, so the page stays coherent. The same run gives the same page.
struct DocsValues {
    /// Timestamps within this distance of `now` are the run's own.
    static let recent: TimeInterval = 2 * 86_400
    /// The first stand-in time: the emulator's seed data is from the morning of that day.
    static let baseDay = "2025-06-11"
    static let baseSeconds = 9 * 3_600

    let now: Date
    /// Lower-cased original UUID → lower-case stand-in.
    private(set) var ids: [String: String] = [:]
    /// Original timestamp (as written) → stand-in, same length and zone.
    private(set) var times: [String: String] = [:]

    init(now: Date = Date()) { self.now = now }

    /// `text` with its UUIDs and recent timestamps and dates replaced, then every `captured`
    /// value that is a part of a replaced UUID or timestamp replaced by the same part of its stand-in.
    mutating func apply(_ text: String, captured: [String] = []) -> String {
        var out = replaceWhole(text)
        for (fragment, standIn) in fragments(captured) { out = Self.replaceStandalone(fragment, with: standIn, in: out) }
        return ids.isEmpty || out.firstRange(of: "…") == nil ? out : replaceCutIDs(out)
    }

    /// An id cut short by an excerpt (`"a0dd1b7e-2f32-4…"`, a long capture shown by its first
    /// characters): the same first characters of its stand-in.
    private func replaceCutIDs(_ text: String) -> String {
        var out = ""
        var pieces = text.split(separator: "…", omittingEmptySubsequences: false)
        let last = pieces.removeLast()
        for piece in pieces {
            let run = piece.reversed().prefix { $0.isHexDigit || $0 == "-" }
            let head = String(run.reversed()).lowercased()
            if head.count >= 8, let original = ids.keys.first(where: { $0.hasPrefix(head) }), let standIn = ids[original] {
                out += String(piece.dropLast(head.count)) + String(standIn.prefix(head.count)) + "…"
            } else {
                out += String(piece) + "…"
            }
        }
        return out + String(last)
    }

    /// A UUID that looks like a random version 4 UUID, the `n`th of every page (splitmix64 of `n`).
    static func standInID(_ n: Int) -> String {
        func mix(_ x: UInt64) -> UInt64 {
            var z = x &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let hi = mix(UInt64(n) &* 2), lo = mix(UInt64(n) &* 2 &+ 1)
        var hex = Array(Self.hex(hi) + Self.hex(lo))
        hex[12] = "4"
        hex[16] = ["8", "9", "a", "b"][Int(lo >> 62)]
        let s = String(hex)
        func part(_ a: Int, _ b: Int) -> Substring { s.dropFirst(a).prefix(b - a) }
        return [part(0, 8), part(8, 12), part(12, 16), part(16, 20), part(20, 32)].joined(separator: "-")
    }

    static func hex(_ v: UInt64) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The `n`th stand-in time (1-based): `baseDay` at 09:00:00 plus `n - 1` seconds, in the
    /// original's form (separators, fraction length, zone kept).
    static func standInTime(_ n: Int, _ t: Timestamp) -> String {
        let s = baseSeconds + n - 1
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let fraction = t.fractionDigits == 0 ? "" : "." + String(repeating: "0", count: t.fractionDigits)
        return baseDay + "T" + two(s / 3_600 % 24) + t.separator + two(s / 60 % 60) + t.separator + two(s % 60) + fraction + t.zone
    }

    private mutating func replaceWhole(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        var copied = 0
        while i < bytes.count {
            // Only where a token can start: a digit or hex letter after a non-word byte.
            guard Self.isHex(bytes[i]), i == 0 || !Self.isWord(bytes[i - 1]) else {
                i += 1
                continue
            }
            if let end = Self.uuidEnd(bytes, at: i) {
                let original = String(decoding: bytes[i..<end], as: UTF8.self)
                let key = original.lowercased()
                let standIn = ids[key] ?? Self.standInID(ids.count + 1)
                ids[key] = standIn
                out += bytes[copied..<i]
                out += Array((original == original.uppercased() && original != key ? standIn.uppercased() : standIn).utf8)
                i = end
                copied = end
            } else if let t = Timestamp(bytes, at: i), let day = DocsStabilizer.utcDay(t.day), abs(day.timeIntervalSince(now)) < Self.recent {
                var standIn = Self.baseDay
                if t.end > t.dayEnd {
                    let original = String(decoding: bytes[i..<t.end], as: UTF8.self)
                    standIn = times[original] ?? Self.standInTime(times.count + 1, t)
                    times[original] = standIn
                }
                out += bytes[copied..<i]
                out += Array(standIn.utf8)
                i = t.end
                copied = t.end
            } else {
                i += 1
            }
        }
        out += bytes[copied...]
        return String(decoding: out, as: UTF8.self)
    }

    /// Captured values that are a part (8 characters or more) of a replaced UUID (with or
    /// without its dashes) or timestamp, and that part of the stand-in; longest first.
    private func fragments(_ captured: [String]) -> [(String, String)] {
        var out: [(String, String)] = []
        for c in Set(captured) where c.utf8.count >= 8 && ids[c.lowercased()] == nil && times[c] == nil {
            let lower = c.lowercased()
            var standIn: String?
            for (original, replacement) in ids {
                if let r = Self.part(lower, of: original, in: replacement)
                    ?? Self.part(lower, of: original.replacing("-", with: ""), in: replacement.replacing("-", with: ""))
                {
                    standIn = c == lower ? r : r.uppercased()
                    break
                }
            }
            if standIn == nil, c.contains(where: \.isNumber) {
                for (original, replacement) in times where original.utf8.count == replacement.utf8.count {
                    if let r = Self.part(c, of: original, in: replacement) {
                        standIn = r
                        break
                    }
                }
            }
            if let standIn { out.append((c, standIn)) }
        }
        return out.sorted { ($0.0.utf8.count, $0.0) > ($1.0.utf8.count, $1.0) }
    }

    /// The part of `replacement` where `fragment` is in `original` (same lengths).
    static func part(_ fragment: String, of original: String, in replacement: String) -> String? {
        guard let r = original.firstRange(of: fragment) else { return nil }
        let start = original.distance(from: original.startIndex, to: r.lowerBound)
        return String(replacement.dropFirst(start).prefix(fragment.count))
    }

    /// Every occurrence of `fragment` not inside a longer word or number.
    static func replaceStandalone(_ fragment: String, with standIn: String, in text: String) -> String {
        let needle = Array(fragment.utf8), bytes = Array(text.utf8)
        guard !needle.isEmpty, bytes.count >= needle.count else { return text }
        var out: [UInt8] = []
        var i = 0, copied = 0
        while i <= bytes.count - needle.count {
            if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle),
                i == 0 || !isAlphanumeric(bytes[i - 1]), i + needle.count == bytes.count || !isAlphanumeric(bytes[i + needle.count])
            {
                out += bytes[copied..<i]
                out += Array(standIn.utf8)
                i += needle.count
                copied = i
            } else {
                i += 1
            }
        }
        out += bytes[copied...]
        return String(decoding: out, as: UTF8.self)
    }

    static func isHex(_ b: UInt8) -> Bool { (48...57).contains(b) || (97...102).contains(b) || (65...70).contains(b) }
    static func isDigit(_ b: UInt8) -> Bool { (48...57).contains(b) }
    static func isAlphanumeric(_ b: UInt8) -> Bool { isDigit(b) || (97...122).contains(b) || (65...90).contains(b) }
    static func isWord(_ b: UInt8) -> Bool { isAlphanumeric(b) || b == UInt8(ascii: "_") }

    /// The end of a UUID (8-4-4-4-12 hex digits, not inside a longer word) starting at `i`.
    static func uuidEnd(_ bytes: [UInt8], at i: Int) -> Int? {
        let end = i + 36
        guard end <= bytes.count else { return nil }
        for k in 0..<36 {
            let b = bytes[i + k]
            if [8, 13, 18, 23].contains(k) { guard b == UInt8(ascii: "-") else { return nil } } else { guard isHex(b) else { return nil } }
        }
        return end == bytes.count || !isWord(bytes[end]) ? end : nil
    }

    /// A timestamp `YYYY-MM-DDThh:mm:ss[.f…][Z|±hh:mm]` (`:` also percent-encoded, `%3A`, as in
    /// a query), or a date `YYYY-MM-DD` alone.
    struct Timestamp {
        var day: String
        var dayEnd: Int
        var end: Int
        var separator = ":"
        var fractionDigits = 0
        var zone = ""

        init?(_ bytes: [UInt8], at i: Int) {
            func digits(_ at: Int, _ n: Int) -> Bool { at + n <= bytes.count && (at..<(at + n)).allSatisfy { DocsValues.isDigit(bytes[$0]) } }
            func byte(_ at: Int, _ c: Character) -> Bool { at < bytes.count && bytes[at] == c.asciiValue! }
            guard digits(i, 4), byte(i + 4, "-"), digits(i + 5, 2), byte(i + 7, "-"), digits(i + 8, 2) else { return nil }
            day = String(decoding: bytes[i..<(i + 10)], as: UTF8.self)
            dayEnd = i + 10
            end = dayEnd
            // A separator: ":" or "%3A".
            func separatorAt(_ at: Int) -> String? {
                if byte(at, ":") { return ":" }
                if byte(at, "%"), byte(at + 1, "3"), byte(at + 2, "A") || byte(at + 2, "a") {
                    return String(decoding: bytes[at..<(at + 3)], as: UTF8.self)
                }
                return nil
            }
            var k = dayEnd
            if byte(k, "T"), digits(k + 1, 2), let sep = separatorAt(k + 3), digits(k + 3 + sep.utf8.count, 2),
                separatorAt(k + 5 + sep.utf8.count) == sep, digits(k + 5 + 2 * sep.utf8.count, 2)
            {
                separator = sep
                k += 7 + 2 * sep.utf8.count
                if byte(k, "."), digits(k + 1, 1) {
                    var f = k + 1
                    while f < bytes.count, DocsValues.isDigit(bytes[f]) { f += 1 }
                    fractionDigits = f - k - 1
                    k = f
                }
                if byte(k, "Z") {
                    zone = "Z"
                    k += 1
                } else if byte(k, "+") || byte(k, "-"), digits(k + 1, 2) {
                    let zoneSep = separatorAt(k + 3)
                    let m = k + 3 + (zoneSep?.utf8.count ?? 0)
                    if digits(m, 2) {
                        zone = String(decoding: bytes[k..<(m + 2)], as: UTF8.self)
                        k = m + 2
                    }
                }
                end = k
            } else if k < bytes.count, DocsValues.isWord(bytes[k]) {
                return nil
            }
            if end < bytes.count, DocsValues.isDigit(bytes[end]) { return nil }
        }
    }
}
