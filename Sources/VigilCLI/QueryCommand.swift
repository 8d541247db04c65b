import ArgumentParser
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore
import VigilJSON
import VigilXML

/// `vigil query 'QUERY' [FILE|-]`: try a capture before writing it.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Apply a JSONPath query (RFC 9535) to a JSON document, or an XPath to XML or HTML, and print what it selects.",
        discussion: """
            Prints the selected values as a JSON array, or with --paths their Normalized Paths.
            As in collections, a query without a leading $ means $. followed by it (result.path.id).
            With --xpath EXPR [FILE|-], evaluates an XPath 1.0 expression on an XML document (HTML
            with --html, a .html/.htm file, or a document that starts like HTML) and prints its value
            as JSON: a string, number or boolean, or a node-set as the list of its string values.
            --namespace PREFIX=URI (repeatable) declares a namespace prefix.
            An invalid query or invalid JSON exits 2 with the position.
            """
    )

    @Argument(help: "The query, e.g. '$.array[?@.ptzEnabled == true].id' (with --xpath: the file).") var query: String?
    @Argument(help: "A JSON file, or - (the default) for standard input.") var file: String = "-"
    @Flag(help: "Print the Normalized Paths of the selected nodes instead of their values.") var paths = false
    @Flag(help: "Pretty-print the result.") var pretty = false
    @Option(help: "An XPath 1.0 expression to evaluate instead of a JSONPath query.") var xpath: String?
    @Flag(help: "With --xpath: parse the document as HTML.") var html = false
    @Option(name: .customLong("namespace"), help: "With --xpath: PREFIX=URI, a namespace prefix the expression uses.") var namespaces: [String] = []

    func run() async throws {
        if let xpath {
            try runXPath(xpath, file: query ?? "-")
            return
        }
        guard let query else {
            FileOutput.stderr("error: a JSONPath query is needed (or --xpath EXPR)")
            throw VigilExit.invalidInput.exitCode
        }
        let compiled: JSONPath
        do {
            compiled = try JSONPath(shorthand: query)
        } catch {
            FileOutput.stderr("query:1:\(error.offset + 1): \(error.message)\n  \(query)\n  \(String(repeating: " ", count: error.offset))^")
            throw VigilExit.invalidInput.exitCode
        }
        let data: Data?
        if file == "-" {
            data = FileBytes.standardInput().map { Data($0) }
        } else {
            data = InputLoader.bytes(atPath: file).map { Data($0) }
        }
        guard let data else {
            FileOutput.stderr(Diagnostic.unreadable(file).description)
            throw VigilExit.invalidInput.exitCode
        }
        let document: JSONValue
        do {
            document = try JSONValue(parsing: Array(data))
        } catch {
            FileOutput.stderr("\(file == "-" ? "stdin" : file):\(error.line):\(error.column): \(error.message)")
            throw VigilExit.invalidInput.exitCode
        }
        let nodes: [JSONPathNode]
        do {
            nodes = try compiled.select(document, budget: JSONPath.defaultBudget)
        } catch {
            FileOutput.stderr("error: \(error)")
            throw VigilExit.runtimeError.exitCode
        }
        let result: JSONValue = paths ? .array(nodes.map { .string($0.path.description) }) : .array(nodes.map(\.value))
        FileOutput.stdout(result.serialized(pretty: pretty))
    }

    private func runXPath(_ expression: String, file: String) throws {
        if let error = XPath.syntaxError(in: expression) {
            FileOutput.stderr("xpath:1:\(error.offset + 1): \(error.message)\n  \(expression)\n  \(String(repeating: " ", count: error.offset))^")
            throw VigilExit.invalidInput.exitCode
        }
        var declared: [(prefix: String, uri: String)] = []
        for n in namespaces {
            guard let eq = n.firstIndex(of: "="), eq != n.startIndex else {
                FileOutput.stderr("error: --namespace takes PREFIX=URI, found '\(n)'")
                throw VigilExit.invalidInput.exitCode
            }
            declared.append((String(n[..<eq]), String(n[n.index(after: eq)...])))
        }
        let bytes: [UInt8]? = file == "-" ? FileBytes.standardInput() : InputLoader.bytes(atPath: file)
        guard let bytes else {
            FileOutput.stderr(Diagnostic.unreadable(file).description)
            throw VigilExit.invalidInput.exitCode
        }
        let start = String(decoding: bytes.prefix(64), as: UTF8.self).lowercased().drop { $0.isWhitespace }
        let isHTML =
            html || file.lowercased().hasSuffix(".html") || file.lowercased().hasSuffix(".htm") || start.hasPrefix("<!doctype html") || start.hasPrefix("<html")
        let value: XPathValue
        do {
            value = try MarkupDocument(bytes: bytes, html: isHTML).evaluate(expression, namespaces: declared)
        } catch {
            FileOutput.stderr("\(file == "-" ? "stdin" : file): \(error.message)")
            throw VigilExit.invalidInput.exitCode
        }
        let result: JSONValue
        switch value {
        case .string(let s): result = .string(s)
        case .boolean(let b): result = .bool(b)
        case .number(let n): result = n.isNaN ? .null : (n.rounded() == n && abs(n) < 9e15 ? .int(Int64(n)) : .double(n))
        case .nodes(let values): result = .array(values.map(JSONValue.string))
        }
        FileOutput.stdout(result.serialized(pretty: pretty))
    }
}
