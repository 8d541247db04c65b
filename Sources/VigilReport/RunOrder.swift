/// The order of a run's collection runs, known before it starts: collection by collection (in
/// the order given), and within one, environment by environment (in the order of `-e`). The
/// console shows them in this order and the reports list them in it, however they interleave
/// (the environments of a matrix, `--jobs`): so a parallel run reads like a serial one.
public struct RunOrder: Sendable {
    /// Each collection run's place, by ``key(file:environment:)``.
    private var positions: [String: Int] = [:]
    /// Each collection file's place in the whole run, before `--shard` took a share.
    private var fileIndices: [String: Int] = [:]
    /// The planned collection runs, in order.
    public private(set) var cells: [(file: String, environment: String)] = []

    /// `files` in the order they run; `fileIndices` (by file) their places in the whole,
    /// unsharded run (default: their places in `files`).
    public init(files: [String], environments: [String], fileIndices: [String: Int] = [:]) {
        for (i, file) in files.enumerated() {
            if self.fileIndices[file] == nil { self.fileIndices[file] = fileIndices[file] ?? i }
            for env in environments where positions[Self.key(file: file, environment: env)] == nil {
                positions[Self.key(file: file, environment: env)] = cells.count
                cells.append((file, env))
            }
        }
    }

    /// The place of `file` in `environment`, if it is planned.
    public func position(file: String, environment: String) -> Int? { positions[Self.key(file: file, environment: environment)] }

    /// The place of `file` in the whole (unsharded) run, if it is planned.
    public func fileIndex(_ file: String) -> Int? { fileIndices[file] }

    static func key(file: String, environment: String) -> String { file + "\u{1F}" + environment }
}
