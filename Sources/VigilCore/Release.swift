/// An XProtect release ("2024 R2") and ranges of them, for version gates and
/// release-keyed expectations.

/// An XProtect release: a year and a release number within it.
public struct Release: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var number: Int

    public init(year: Int, number: Int) {
        self.year = year
        self.number = number
    }

    /// Parses `2024 R2`, `2024R2`, `2024r2`, `24R2`, `2024-R2`.
    public init?(name: String) {
        let compact = name.lowercased().filter { !$0.isWhitespace && $0 != "-" && $0 != "_" }
        guard let r = compact.firstIndex(of: "r"),
            let y = Int(compact[..<r]), let n = Int(compact[compact.index(after: r)...]),
            (1...9).contains(n)
        else { return nil }
        let year = y < 100 ? 2000 + y : y
        guard (2000...2099).contains(year) else { return nil }
        self.init(year: year, number: n)
    }

    /// Maps a product version to its release: `25.2.0.1` → 2025 R2, `22.1.5804.1` → 2022 R1.
    /// XProtect numbers its versions YY.R.build.revision.
    public init?(version: String) {
        let parts = version.split(separator: ".")
        guard parts.count >= 2, let y = Int(parts[0]), let n = Int(parts[1]), (20...99).contains(y), (1...9).contains(n) else { return nil }
        self.init(year: 2000 + y, number: n)
    }

    public static func < (a: Release, b: Release) -> Bool { (a.year, a.number) < (b.year, b.number) }

    public var description: String { "\(year) R\(number)" }
}

/// A set of releases: `2023 R2` (that release or later), `>= 2022 R2 < 2025 R1`, `< 2022 R2`, `== 2024 R1`.
public struct ReleaseRange: Sendable, Hashable, CustomStringConvertible {
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case atLeast = ">=", above = ">", atMost = "<=", below = "<", exactly = "=="
    }

    public var bounds: [(Comparison, Release)] {
        get { storage.map { ($0.comparison, $0.release) } }
        set { storage = newValue.map { Bound(comparison: $0.0, release: $0.1) } }
    }

    private struct Bound: Sendable, Hashable {
        var comparison: Comparison
        var release: Release
    }

    private var storage: [Bound]

    /// Parses a range; nil when `text` is not one.
    public init?(parsing text: String) {
        var rest = Substring(text.trimmingCharacters(in: " "))
        var bounds: [Bound] = []
        while !rest.isEmpty {
            var comparison = Comparison.atLeast
            var explicit = false
            for c in [Comparison.atLeast, .atMost, .exactly, .above, .below] where rest.hasPrefix(c.rawValue) {
                comparison = c
                explicit = true
                rest = rest.dropFirst(c.rawValue.count)
                break
            }
            if !explicit, rest.hasPrefix("=") { comparison = .exactly; rest = rest.dropFirst(); explicit = true }
            rest = rest.drop { $0 == " " }
            // A release is "YYYY R#" (the space optional): take up to the next comparison sign.
            let end = rest.firstIndex { "<>=".contains($0) } ?? rest.endIndex
            let token = String(rest[..<end]).trimmingCharacters(in: " ")
            guard let release = Release(name: String(token)) else { return nil }
            if !explicit && !bounds.isEmpty { return nil }
            bounds.append(Bound(comparison: comparison, release: release))
            rest = rest[end...].drop { $0 == " " }
        }
        guard !bounds.isEmpty else { return nil }
        storage = bounds
    }

    public func contains(_ release: Release) -> Bool {
        storage.allSatisfy { b in
            switch b.comparison {
            case .atLeast: release >= b.release
            case .above: release > b.release
            case .atMost: release <= b.release
            case .below: release < b.release
            case .exactly: release == b.release
            }
        }
    }

    public var description: String {
        storage.map { "\($0.comparison.rawValue) \($0.release)" }.joined(separator: " ")
    }

    public static func == (a: ReleaseRange, b: ReleaseRange) -> Bool { a.storage == b.storage }
    public func hash(into h: inout Hasher) { h.combine(storage) }
}

/// Why a gate skips: nil when `release` is in `range`.
public func gateReason(_ range: ReleaseRange, release: Release?) -> String? {
    guard let release else { return "requires \(range); the server's release is unknown (set release: in the environment)" }
    return range.contains(release) ? nil : "requires \(range); the server is \(release)"
}
