import Synchronization
import VigilCore

/// Which requests of `requests` a run sends: `--tag`, `--skip-tag` and `--filter`. A request
/// left out is reported as skipped, with the reason; `finally` is never left out.
public struct Selection: Sendable {
    /// `--tag`: only requests carrying one of these (their own or their collection's).
    public var tags: [String] = []
    /// `--skip-tag`: no request carrying one of these.
    public var skipTags: [String] = []
    /// `--filter`: only requests whose name this matches (anywhere in the name).
    public private(set) var filter: NameFilter?

    public init(tags: [String] = [], skipTags: [String] = [], filter: NameFilter? = nil) {
        self.tags = tags
        self.skipTags = skipTags
        self.filter = filter
    }

    /// Whether every request is selected.
    public var isEmpty: Bool { tags.isEmpty && skipTags.isEmpty && filter == nil }

    /// Why `spec` of a collection tagged `collectionTags` is not selected; nil when it is.
    public func reason(for spec: RequestSpec, collectionTags: [String]) -> String? {
        if isEmpty { return nil }
        let carried = collectionTags + spec.tags
        if !tags.isEmpty, !carried.contains(where: tags.contains) { return "not tagged \(tags.joined(separator: " or "))" }
        if let t = carried.first(where: skipTags.contains) { return "tagged \(t) (--skip-tag \(t))" }
        if let filter, !filter.matches(spec.name) { return "name does not match --filter '\(filter.pattern)'" }
        return nil
    }
}

/// `--filter REGEX`: a Swift regular expression, compiled once, matched anywhere in a request's name.
public struct NameFilter: Sendable {
    public let pattern: String
    private let compiled: Compiled

    /// `Regex` is not `Sendable`: the compiled one is shared behind a lock (matching a name is quick).
    private final class Compiled: Sendable {
        let regex: Mutex<Regex<AnyRegexOutput>>
        init(_ pattern: String) throws { regex = Mutex(try Regex(pattern)) }
    }

    /// Throws the compiler's error for an invalid pattern.
    public init(_ pattern: String) throws {
        self.pattern = pattern
        compiled = try Compiled(pattern)
    }

    public func matches(_ name: String) -> Bool { compiled.regex.withLock { name.contains($0) } }
}
