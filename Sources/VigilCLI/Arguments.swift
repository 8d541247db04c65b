import ArgumentParser
import VigilCore
import VigilJSON
import VigilReport
import VigilRunner

/// A duration on the command line: `500ms`, `10s`, `2m`; checked as the arguments are parsed.
struct DurationArgument: ExpressibleByArgument, Sendable {
    var duration: Duration

    init(_ duration: Duration) {
        self.duration = duration
    }

    init?(argument: String) {
        guard let d = DurationText.parse(argument) else { return nil }
        duration = d
    }

    var defaultValueDescription: String { duration.shortText }
}

/// `--var name=value`; a value starting with `[` or `{` is a YAML flow list or mapping.
struct VariableAssignment: Sendable {
    var name: String
    var value: JSONValue

    /// Throws a usage error saying what is wrong.
    static func argument(_ text: String) throws -> VariableAssignment {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw ValidationError("--var takes name=value, e.g. --var cameraId=42 or --var 'ids=[a, b]'")
        }
        let raw = String(text[text.index(after: eq)...])
        do throws(CommandLineValues.ValueError) {
            return VariableAssignment(name: String(text[..<eq]), value: try CommandLineValues.value(raw))
        } catch .malformed(let d) {
            throw ValidationError(
                "--var \(text[..<eq]): not a valid list or mapping (at column \(d.mark.column): \(d.message)); quote text that starts with [ or {: --var 'x=\"[text]\"'"
            )
        } catch .number(let d) {
            throw ValidationError("--var \(text[..<eq]): \(d.message) (at column \(d.mark.column))")
        }
    }
}

/// What `run`, `docs` and `validate` read: collections, environments, variables.
struct InputOptions: ParsableArguments {
    @Argument(help: "Collection files, or folders whose .yaml files run in name order.")
    var paths: [String] = ["collections"]

    @Option(
        name: [.customShort("e"), .customLong("env")], help: "An environment file (repeatable: a matrix run).",
        completion: .shellCommand("ls environments/*.yaml environments/*.yml 2>/dev/null"))
    var environments: [String] = []

    @Option(
        name: .customLong("var"),
        help: ArgumentHelp(
            "Set a variable; wins over collection and environment values (repeatable). [a, b] or { k: v } gives a list or an object.",
            valueName: "name=value"),
        transform: VariableAssignment.argument)
    var variables: [VariableAssignment] = []

    @Option(
        name: .customLong("var-file"),
        help: ArgumentHelp("Set the variables of a YAML mapping (lists and objects too); --var wins over it (repeatable).", valueName: "file"))
    var variableFiles: [String] = []

    @Option(
        name: .customLong("data"),
        help: ArgumentHelp("Run each collection once per row of this CSV, YAML or JSON file, the row's columns as variables.", valueName: "file"))
    var data: String?

    @Option(name: .customLong("allow-path"), help: ArgumentHelp("Let file: bodies be read from this folder too (repeatable).", valueName: "dir"))
    var allowedPaths: [String] = []

    /// `--var-file` values, then `--var` ones (which win); a file that cannot be read or
    /// decoded gives its diagnostics.
    func overrides() -> (values: [(String, JSONValue)], diagnostics: [Diagnostic]) {
        var values: [(String, JSONValue)] = []
        var diagnostics: [Diagnostic] = []
        for path in variableFiles {
            do {
                var bytes = try InputLoader.read(path).get()
                values += try CommandLineValues.variables(bytes: &bytes, file: path)
            } catch {
                diagnostics += error.diagnostics
            }
        }
        return (values + variables.map { ($0.name, $0.value) }, diagnostics)
    }
}

/// How much the console shows.
struct ConsoleOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print only failures and the summary.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also print each request and response (headers and bodies, secrets masked).")
    var verbose = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose exclude each other") }
    }
}

extension ReportRequest {
    /// `--report KIND=PATH`, with the parser's own message on a mistake.
    static func argument(_ text: String) throws -> ReportRequest {
        do { return try ReportRequest(parsing: text) } catch { throw ValidationError(error.description) }
    }
}

/// Which requests of `requests` run: `--tag`, `--skip-tag`, `--filter`; `--list` shows them.
struct SelectionOptions: ParsableArguments {
    @Option(name: .customLong("tag"), help: ArgumentHelp("Run only requests tagged so, themselves or by their collection (repeatable).", valueName: "tag"))
    var tags: [String] = []

    @Option(name: .customLong("skip-tag"), help: ArgumentHelp("Skip requests tagged so, themselves or by their collection (repeatable).", valueName: "tag"))
    var skipTags: [String] = []

    @Option(
        help: ArgumentHelp("Run only requests whose name matches this (case-sensitive) Swift regular expression.", valueName: "regex"),
        transform: NameFilter.argument)
    var filter: NameFilter?

    @Flag(help: "Print what would run, after --shard, --tag, --skip-tag and --filter, and send nothing.")
    var list = false

    var selection: Selection { Selection(tags: tags, skipTags: skipTags, filter: filter) }
}

extension NameFilter {
    /// `--filter REGEX`; an invalid pattern is a usage error saying why.
    static func argument(_ text: String) throws -> NameFilter {
        do { return try NameFilter(text) } catch { throw ValidationError("not a valid regular expression: \(error)") }
    }
}

/// `--jobs N` and `--shard i/n`: collection runs side by side on one machine, and one
/// machine's share of the collection files (docs/ci.md).
struct ParallelOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Run up to N collections at once in each environment (each with its own connection and thread); output and reports keep the run's order.",
            valueName: "n"))
    var jobs = 1

    @Option(
        help: ArgumentHelp("Run this machine's share of the collection files: i of n (1-based), by sorted path (see docs/ci.md).", valueName: "i/n"),
        transform: Shard.argument)
    var shard: Shard?

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs takes a whole number of at least 1, got \(jobs)") }
        if jobs > 64 { throw ValidationError("--jobs takes at most 64 (each job has a thread and connections of its own), got \(jobs)") }
    }
}

extension Shard {
    /// `--shard i/n`, with the rule's own message on a mistake.
    static func argument(_ text: String) throws -> Shard {
        do { return try Shard(parsing: text) } catch { throw ValidationError(error.description) }
    }
}
