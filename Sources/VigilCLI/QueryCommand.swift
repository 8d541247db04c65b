import ArgumentParser
import Foundation
import VigilCore
import VigilJSON

/// `vigil query 'QUERY' [FILE|-]`: try a capture before writing it.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Apply a JSONPath query (RFC 9535) to a JSON document and print what it selects.",
        discussion: """
            Prints the selected values as a JSON array, or with --paths their Normalized Paths.
            As in collections, a query without a leading $ means $. followed by it (result.path.id).
            An invalid query or invalid JSON exits 2 with the position.
            """
    )

    @Argument(help: "The query, e.g. '$.array[?@.ptzEnabled == true].id'.") var query: String
    @Argument(help: "A JSON file, or - (the default) for standard input.") var file: String = "-"
    @Flag(help: "Print the Normalized Paths of the selected nodes instead of their values.") var paths = false
    @Flag(help: "Pretty-print the result.") var pretty = false

    func run() async throws {
        let compiled: JSONPath
        do {
            compiled = try JSONPath(shorthand: query)
        } catch {
            FileOutput.stderr("query:1:\(error.offset + 1): \(error.message)\n  \(query)\n  \(String(repeating: " ", count: error.offset))^")
            throw VigilExit.invalidInput.exitCode
        }
        let data: Data?
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
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
}
