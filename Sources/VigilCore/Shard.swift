/// `--shard i/n`: one machine's share of a run's collection files.
///
/// The rule (docs/ci.md): the distinct paths are sorted by their bytes (as `LC_ALL=C sort`
/// does); the path at rank `k` (0-based) belongs to shard `k mod n + 1`. So every file is in
/// exactly one shard, the shards differ in size by at most one file, and the share depends
/// only on the paths, never on the machine, the order of the arguments or the file contents.
/// A shard runs its files in the order the run would have (the arguments' order).
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// 1-based.
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws(ShardError) {
        guard count >= 1 else { throw ShardError("--shard takes i/n with n at least 1, got \(index)/\(count)") }
        guard (1...count).contains(index) else { throw ShardError("--shard takes i/n with i from 1 to n (1-based), got \(index)/\(count)") }
        self.index = index
        self.count = count
    }

    /// Parses `2/3`.
    public init(parsing text: String) throws(ShardError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0].trimmingSpaces), let n = Int(parts[1].trimmingSpaces) else {
            throw ShardError("--shard takes i/n (this machine's share, 1-based, e.g. 2/3), got '\(text)'")
        }
        try self.init(index: i, count: n)
    }

    public var description: String { "\(index)/\(count)" }

    /// The shard (1-based) each distinct path of `paths` belongs to.
    public static func assignment(_ paths: [String]) -> (_ count: Int) -> [String: Int] {
        let sorted = Array(Set(paths)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return { count in
            var out: [String: Int] = [:]
            for (rank, path) in sorted.enumerated() { out[path] = rank % count + 1 }
            return out
        }
    }

    /// The paths of `paths` in this shard, in their given order.
    public func select(_ paths: [String]) -> [String] {
        let shards = Self.assignment(paths)(count)
        return paths.filter { shards[$0] == index }
    }
}

/// A `--shard` value that is not `i/n` with 1 ≤ i ≤ n.
public struct ShardError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
