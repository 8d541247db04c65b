/// The order of a run's collection runs, known before it starts: collection by collection (in
/// the order given), and within one, environment by environment (in the order of `-e`). The
/// console shows them in this order and the reports list them in it, however they interleave
/// (the environments of a matrix, `--jobs`): so a parallel run reads like a serial one.
public struct RunOrder: Sendable {
    /// Each collection run's place, by ``key(file:collection:environment:)``.
    private var positions: [String: Int] = [:]
    /// Each collection file's place in the whole run, before `--shard` took a share.
    private var fileIndices: [String: Int] = [:]
    /// The planned collection runs, in order (`collection` is empty when not given).
    public private(set) var cells: [(file: String, collection: String, environment: String)] = []

    /// `files` in the order they run; `fileIndices` (by file) their places in the whole,
    /// unsharded run (default: their places in `files`). `names`, beside `files`, tell runs of
    /// the same file apart (a data file's rows: `Users [row 2]`).
    public init(files: [String], environments: [String], fileIndices: [String: Int] = [:], names: [String]? = nil) {
        for (i, file) in files.enumerated() {
            if self.fileIndices[file] == nil { self.fileIndices[file] = fileIndices[file] ?? i }
            let name = names?[i] ?? ""
            for env in environments where positions[Self.key(file: file, collection: name, environment: env)] == nil {
                positions[Self.key(file: file, collection: name, environment: env)] = cells.count
                cells.append((file, name, env))
            }
        }
    }

    /// The place of `collection` (of `file`) in `environment`, if it is planned.
    public func position(file: String, collection: String = "", environment: String) -> Int? {
        positions[Self.key(file: file, collection: collection, environment: environment)]
            ?? positions[Self.key(file: file, collection: "", environment: environment)]
    }

    /// The name `collection` (of `file`) is planned under: its own, or "" when the plan was
    /// made from files alone.
    public func plannedName(file: String, collection: String, environment: String) -> String {
        positions[Self.key(file: file, collection: collection, environment: environment)] != nil ? collection : ""
    }

    /// The place of `file` in the whole (unsharded) run, if it is planned.
    public func fileIndex(_ file: String) -> Int? { fileIndices[file] }

    static func key(file: String, collection: String, environment: String) -> String { file + "\u{1F}" + collection + "\u{1F}" + environment }
}
