#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif
import VigilJSON
import VigilYAML

/// The rows of a data file (`data: users.csv` on a collection, or `--data FILE`): the
/// collection runs once per row, with the row's columns as variables.
public struct DataTable: Sendable {
    /// The file as named in messages.
    public var file: String
    /// The columns: a CSV file's header, or every key of the rows of a YAML or JSON list.
    public var columns: [String]
    public var rows: [DataRow]
}

/// One row of a data file.
public struct DataRow: Sendable {
    /// 1-based, the header not counted.
    public var number: Int
    /// Where the row starts in its file.
    public var line: Int
    /// The columns the row has a value for (a short CSV row lacks the last ones).
    public var values: [(name: String, value: JSONValue)]
    public var file: String

    /// `users.csv:4`.
    public var place: String { "\(file):\(line)" }
}

extension DataTable {
    /// Reads a data file: `.csv` (RFC 4180: a header row, then one row per record; quoted fields
    /// may hold commas, quotes and line breaks), or `.yaml`, `.yml`, `.json` (a list of mappings).
    /// `path` is read; `shown` names it in messages.
    /// `allowPipes` (the command line's `--data <(cmd)`) reads a pipe too; a collection's
    /// `data:` must name a regular file (a FIFO would wait for a writer forever).
    public static func load(path: String, shown: String, allowPipes: Bool = false) throws(LoadError) -> DataTable {
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG, !(allowPipes && info.st_mode & S_IFMT == S_IFIFO) {
            let kind = info.st_mode & S_IFMT == S_IFDIR ? "a folder" : info.st_mode & S_IFMT == S_IFIFO ? "a FIFO" : "a device or socket"
            throw LoadError([Diagnostic(file: shown, mark: Diagnostic.wholeFile, message: "the data file is \(kind), not a regular file")])
        }
        guard let data = FileBytes.contents(atPath: path) else { throw LoadError([Diagnostic.unreadable(shown)]) }
        let lower = shown.lowercased()
        if lower.hasSuffix(".csv") {
            guard let text = String(validating: data, as: UTF8.self) else {
                let mark = Self.firstInvalidUTF8(data)
                throw LoadError([Diagnostic(file: shown, mark: mark, message: "a CSV data file must be UTF-8 text; this byte is not")])
            }
            return try csv(text, file: shown)
        }
        guard [".yaml", ".yml", ".json"].contains(where: lower.hasSuffix) else {
            throw LoadError([Diagnostic(file: shown, mark: Diagnostic.wholeFile, message: "a data file is .csv, .yaml, .yml or .json")])
        }
        var bytes = data
        return try list(&bytes, file: shown)
    }

    /// Where the first byte that is not UTF-8 is.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Mark {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var (line, column) = (1, 1)
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let unit):
                if Unicode.UTF8.decode(unit) == "\n" { (line, column) = (line + 1, 1) } else { column += 1 }
            case .error:
                return Mark(line: line, column: column)
            case .emptyInput:
                return Mark(line: line, column: column)
            }
        }
    }

    /// A CSV data file's table (``CSVReader``): the first record names the columns, blank lines
    /// are skipped, a row may have fewer fields than the header (it has no value for the last
    /// columns) but not more.
    public static func csv(_ text: String, file: String) throws(LoadError) -> DataTable {
        let records: [CSVReader.Record]
        do {
            records = try CSVReader.records(Array(text.utf8))
        } catch {
            throw LoadError([Diagnostic(file: file, mark: error.mark, message: "not a valid CSV file: \(error.message)")])
        }
        guard let first = records.first, !first.isBlank else {
            throw LoadError([Diagnostic(file: file, mark: Mark(line: 1, column: 1), message: "a CSV data file needs a header row naming its columns")])
        }
        let header = first.texts
        var problems: [Diagnostic] = []
        for (i, name) in first.fields.enumerated() where !Template.isIdentifier(name.text, allowDots: false) {
            problems.append(
                Diagnostic(file: file, mark: name.mark, message: "column \(i + 1) '\(name.text)' is not a variable name (letters, digits, '_', '-')"))
        }
        var firstPlace: [String: Int] = [:]
        for (i, name) in first.fields.enumerated() {
            if let earlier = firstPlace[name.text] {
                problems.append(Diagnostic(file: file, mark: name.mark, message: "column '\(name.text)' is named twice (column \(earlier + 1) too)"))
            } else {
                firstPlace[name.text] = i
            }
        }
        if !problems.isEmpty { throw LoadError(problems) }
        var rows: [DataRow] = []
        for record in records.dropFirst() where !record.isBlank {
            if record.fields.count > header.count {
                problems.append(
                    Diagnostic(
                        file: file, mark: record.fields[header.count].mark,
                        message: "row \(rows.count + 1) has \(record.fields.count) fields, the header \(header.count)"))
            }
            let values = zip(header, record.texts).map { (name: $0, value: JSONValue.string($1)) }
            rows.append(DataRow(number: rows.count + 1, line: record.line, values: values, file: file))
        }
        if !problems.isEmpty { throw LoadError(problems) }
        return DataTable(file: file, columns: header, rows: rows)
    }

    static func list(_ bytes: inout [UInt8], file: String) throws(LoadError) -> DataTable {
        let root = try CollectionLoader.loadRoot(&bytes, file: file, empty: "the data file is empty; it needs a list of rows")
        guard let items = root.sequence else {
            throw LoadError([
                Diagnostic(file: file, mark: root.mark, message: "a data file is a list of rows (mappings of column to value), found \(root.kindName)")
            ])
        }
        var rows: [DataRow] = []
        var columns: [String] = []
        var problems: [Diagnostic] = []
        for item in items {
            guard let pairs = item.mapping else {
                problems.append(Diagnostic(file: file, mark: item.mark, message: "a row is a mapping of column to value, found \(item.kindName)"))
                continue
            }
            var values: [(name: String, value: JSONValue)] = []
            for pair in pairs {
                guard let name = pair.key.scalar?.text, Template.isIdentifier(name, allowDots: false) else {
                    problems.append(Diagnostic(file: file, mark: pair.key.mark, message: "a column name is a variable name (letters, digits, '_', '-')"))
                    continue
                }
                if !columns.contains(name) { columns.append(name) }
                problems += CommandLineValues.numberProblems(pair.value, file: file)
                values.append((name, CommandLineValues.literal(pair.value)))
            }
            rows.append(DataRow(number: rows.count + 1, line: item.mark.line, values: values, file: file))
        }
        if !problems.isEmpty { throw LoadError(problems) }
        return DataTable(file: file, columns: columns, rows: rows)
    }
}

extension CollectionFile {
    /// The runs of a data-driven collection: one copy per row of its data file (`--data FILE`
    /// given as `commandLine`, else the collection's `data:`), named `name [row 3]`, with the
    /// row's columns as variables. A collection without data is itself. A `data:` path is
    /// relative to the collection and inside its bounds (like `file:` bodies); a data file that
    /// cannot be read, has no rows, or has a row without a column a request uses gives errors.
    public func runsPerDataRow(commandLine: String?, allowed: [String]) -> (collections: [CollectionFile], diagnostics: [Diagnostic]) {
        let path: String, shown: String
        if let commandLine {
            (path, shown) = (commandLine, commandLine)
        } else if let data {
            let folder = IncludeExpander.folder(of: file)
            let folderForMessages = PathText.folder(of: file)
            switch FileBounds(roots: [root ?? folder] + allowed).resolve(data.path, relativeTo: folder) {
            case .success(let real): path = real
            case .failure(let e): return ([], [Diagnostic(file: file, mark: data.mark, message: e.description)])
            }
            shown = IncludeExpander.lexicalJoin(folderForMessages.isEmpty ? "." : folderForMessages, data.path)
        } else {
            return ([self], [])
        }
        let table: DataTable
        do {
            table = try DataTable.load(path: path, shown: shown, allowPipes: commandLine != nil)
        } catch {
            return ([], error.diagnostics)
        }
        guard !table.rows.isEmpty else {
            return ([], [Diagnostic(file: shown, mark: Diagnostic.wholeFile, message: "the data file has no rows: \(file) would run no request")])
        }
        let problems = ReferenceCheck.dataRows(in: self, table: table)
        if !problems.isEmpty { return ([], problems) }
        let runs = table.rows.map { row in
            var c = self
            c.name = "\(name) [row \(row.number)]"
            c.dataRow = row
            c.dataColumns = table.columns
            return c
        }
        return (runs, [])
    }
}
