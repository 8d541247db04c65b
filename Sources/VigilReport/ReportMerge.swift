import VigilCore
import VigilRunner

/// `vigil merge`: the JSON reports of a run's shards (`--shard i/n`) made into the suites of
/// one run, in the order the unsharded run has them, so that every report written from them
/// is the one a single run would have written (timings aside).
public enum ReportMerge {
    public struct Merged: Sendable {
        /// In the whole run's order, positions renumbered.
        public var suites: [SuiteRecord]
        /// Per environment name (the first report's, when shards differ).
        public var baseURLs: [String: String]
        /// Per suite (``SuiteRecord/key``): the base URL of the shard that ran it.
        public var suiteBaseURLs: [String: String]
        /// Shards missing from a sharded run.
        public var warnings: [String]
        /// The OpenAPI coverage of each environment, the shards' put together.
        public var coverages: [OpenAPICoverage] = []
    }

    /// Merges `reports`. A collection run in two reports, or shards of different splits, are
    /// errors; a missing shard is a warning.
    public static func merge(_ reports: [ReadReport]) throws(ReportReadError) -> Merged {
        var owner: [String: String] = [:]
        var shardFiles: [Int: String] = [:]
        var shardCount: (count: Int, file: String)?
        var warnings: [String] = []
        for r in reports {
            if let shard = r.shard {
                if let (count, file) = shardCount, count != shard.count {
                    throw ReportReadError("\(file) is a shard of \(count) and \(r.file) a shard of \(shard.count): merge the shards of one run")
                }
                shardCount = (shard.count, r.file)
                if let other = shardFiles[shard.index] { throw ReportReadError("\(other) and \(r.file) are both shard \(shard)") }
                shardFiles[shard.index] = r.file
            }
            for s in r.suites {
                if let other = owner[s.key] {
                    throw ReportReadError(
                        "\(s.file) in environment '\(s.environment)' is in both \(other) and \(r.file): merge the shards of one run (each file is in one shard)"
                    )
                }
                owner[s.key] = r.file
            }
        }
        if let (count, _) = shardCount {
            let missing = (1...count).filter { shardFiles[$0] == nil }
            if !missing.isEmpty {
                let list = missing.map { "\($0)/\(count)" }.joined(separator: ", ")
                warnings.append(
                    "warning: shard\(missing.count == 1 ? "" : "s") \(list) missing: the merged report lacks \(missing.count == 1 ? "its" : "their") collections"
                )
            }
        }
        // The unsharded run's order: by the file's place in it, then as each report has them
        // (environments in the order of -e). A suite without a place keeps its report's order, last.
        let all = reports.enumerated().flatMap { r in r.element.suites.enumerated().map { (report: r.offset, index: $0.offset, suite: $0.element) } }
        let sorted = all.sorted { a, b in
            let fa = a.suite.fileIndex ?? .max, fb = b.suite.fileIndex ?? .max
            return fa != fb ? fa < fb : (a.report, a.index) < (b.report, b.index)
        }
        var suites: [SuiteRecord] = []
        var suiteBaseURLs: [String: String] = [:]
        for (i, entry) in sorted.enumerated() {
            var s = entry.suite
            s.position = i
            s.serial = i
            suites.append(s)
            suiteBaseURLs[s.key] = reports[entry.report].baseURLs[s.environment]
        }
        var baseURLs: [String: String] = [:]
        for r in reports { baseURLs.merge(r.baseURLs) { first, _ in first } }
        return Merged(
            suites: suites, baseURLs: baseURLs, suiteBaseURLs: suiteBaseURLs, warnings: warnings, coverages: coverage(reports.flatMap(\.coverages)))
    }

    /// The shards' OpenAPI coverage, per environment (in the order first seen): an operation is
    /// exercised when any shard exercised it; requests that matched nothing and responses that
    /// broke the contract are those of every shard (violations listed shard by shard).
    static func coverage(_ all: [OpenAPICoverage]) -> [OpenAPICoverage] {
        var order: [String] = []
        var byEnvironment: [String: [OpenAPICoverage]] = [:]
        for c in all {
            if byEnvironment[c.environment] == nil { order.append(c.environment) }
            byEnvironment[c.environment, default: []].append(c)
        }
        return order.map { env in
            let list = byEnvironment[env]!
            let exercised = Set(list.flatMap { $0.tags.flatMap(\.exercised) })
            var tagNames: [String] = []
            var operations: [String: Set<String>] = [:]
            for t in list.flatMap(\.tags) {
                if operations[t.name] == nil { tagNames.append(t.name) }
                operations[t.name, default: []].formUnion(t.exercised + t.missed)
            }
            // Operations are named `METHOD /path`, listed by path, then method (as a run lists them).
            func pathOrder(_ a: String, _ b: String) -> Bool {
                let (ma, pa) = (a.prefix { $0 != " " }, a.drop { $0 != " " }), (mb, pb) = (b.prefix { $0 != " " }, b.drop { $0 != " " })
                return (pa, ma) < (pb, mb)
            }
            let tags = tagNames.sorted().map { name in
                let ops = operations[name]!.sorted(by: pathOrder)
                return OpenAPICoverage.Tag(name: name, exercised: ops.filter(exercised.contains), missed: ops.filter { !exercised.contains($0) })
            }
            return OpenAPICoverage(
                environment: env, source: list[0].source, mode: list[0].mode, operationCount: list[0].operationCount, exercisedCount: exercised.count,
                tags: tags, unmatched: Array(Set(list.flatMap(\.unmatched))).sorted(),
                responsesWithViolations: list.reduce(0) { $0 + $1.responsesWithViolations },
                violations: list.flatMap(\.violations))
        }
    }
}
