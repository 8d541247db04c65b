import ArgumentParser
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore
import VigilJSON
import VigilSchema

/// `vigil schema SCHEMA [FILE|-]`: check a saved response against a JSON Schema.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Validate a JSON document against a JSON Schema (draft 2020-12, draft-07 or OpenAPI 3.0).",
        discussion: """
            Exits 0 when the document is valid; 1 when it is not, printing each violation with the instance's \
            normalized path, the schema keyword's location and the offending value; 2 when the schema or the \
            document cannot be read, or the schema is invalid, saying where.

            A fragment after the schema file picks a schema inside it (api.json#/components/schemas/Camera). \
            $refs to other files resolve relative to the referring file and may not leave the schema's folder \
            (or --root). The dialect comes from $schema (or an openapi: 3.0.x member) unless --draft says.
            """
    )

    @Argument(help: "The schema file (JSON), optionally with a #fragment.") var schema: String
    @Argument(help: "A JSON file, or - (the default) for standard input.") var file: String = "-"
    @Option(help: "Read the schema as 2020-12, 7 or openapi-3.0, whatever its $schema says.") var draft: String?
    @Flag(help: "Assert format too (date-time, date, time, uuid, email, ipv4, ipv6, uri, regex).") var formats = false
    @Option(help: "The folder $refs may read from (default: the schema's folder).") var root: String?
    @Option(help: "Print at most this many violations.") var max: Int = 20

    func validate() throws {
        if let draft, SchemaDraft(rawValue: draft) == nil {
            throw ValidationError("--draft must be 2020-12, 7 or openapi-3.0, not '\(draft)'")
        }
        guard max > 0 else { throw ValidationError("--max must be at least 1") }
    }

    func run() async throws {
        let options = SchemaOptions(draft: draft.flatMap(SchemaDraft.init(rawValue:)), assertFormats: formats)
        let hash = schema.firstIndex(of: "#")
        let schemaPath = hash.map { String(schema[..<$0]) } ?? schema
        let entry = hash.map { String(schema[$0...]) }
        // The schema the user named is read as named (a symbolic link, a pipe, `<(cmd)`); the
        // root bounds only the files its `$ref`s reach.
        guard let schemaBytes = InputLoader.bytes(atPath: schemaPath) else {
            FileOutput.stderr("\(schemaPath): cannot read the file")
            throw VigilExit.invalidInput.exitCode
        }
        let compiled: CompiledSchema
        do {
            // JSON or YAML, the schema and the files its `$ref`s name alike.
            let folder = URL(fileURLWithPath: schemaPath).standardizedFileURL.deletingLastPathComponent().path
            let resolver = SchemaFileResolver(root: root ?? folder) { bytes, path in try YAMLData.document(bytes: bytes, file: path) }
            let uri = SchemaFileResolver.fileURI(schemaPath)
            let document = try YAMLData.document(bytes: schemaBytes, file: schemaPath)
            compiled = try CompiledSchema(document, baseURI: uri, entry: entry, options: options, loader: resolver.load)
        } catch let error as LoadError {
            FileOutput.stderr(error.description)
            throw VigilExit.invalidInput.exitCode
        } catch {
            FileOutput.stderr("\(schemaPath): \(error)")
            throw VigilExit.invalidInput.exitCode
        }
        let data = file == "-" ? FileBytes.standardInput().map { Data($0) } : InputLoader.bytes(atPath: file).map { Data($0) }
        guard let data else {
            FileOutput.stderr("\(file): cannot read the file")
            throw VigilExit.invalidInput.exitCode
        }
        let name = file == "-" ? "stdin" : file
        let document: JSONValue
        do {
            document = try YAMLData.document(bytes: Array(data), file: name)
        } catch {
            FileOutput.stderr(error.description)
            throw VigilExit.invalidInput.exitCode
        }
        let result: SchemaValidationResult
        do {
            result = try compiled.validate(document, maxViolations: max)
        } catch {
            FileOutput.stderr("\(name): \(error)")
            throw VigilExit.invalidInput.exitCode
        }
        if result.isValid {
            FileOutput.stdout("\(name): valid")
            return
        }
        let rootURI = SchemaFileResolver.fileURI(schemaPath)
        var lines: [String] = []
        for violation in result.violations {
            let location =
                violation.schemaURI == rootURI ? violation.keywordLocation : Self.relative(violation.schemaURI, to: rootURI) + "#" + violation.keywordLocation
            let value = violation.value.serialized()
            lines.append(
                "\(violation.instancePath): \(violation.message) (schema \(location)); value: \(value.count > 100 ? String(value.prefix(97)) + "..." : value)")
        }
        let rest = result.totalCount - result.violations.count
        lines.append("\(name): \(result.totalCount) violation\(result.totalCount == 1 ? "" : "s")\(rest > 0 ? " (\(rest) more not shown)" : "")")
        FileOutput.stdout(lines.joined(separator: "\n"))
        throw VigilExit.assertionFailed.exitCode
    }

    /// `uri` as a path relative to the folder of `base` when both are files there, else `uri`.
    static func relative(_ uri: String, to base: String) -> String {
        guard let slash = base.lastIndex(of: "/") else { return uri }
        let folder = base[...slash]
        return uri.hasPrefix(folder) ? String(uri.dropFirst(folder.count)) : uri
    }
}
