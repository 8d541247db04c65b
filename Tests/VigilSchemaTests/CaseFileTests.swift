import Foundation
import Testing
import VigilJSON

@testable import VigilSchema

/// Runs the keyword cases in Resources (suite-style files written for Vigil: groups of a
/// schema and instances with the expected validity; `remotes` serve remote `$ref`s).
struct CaseFileTests {
    static let files = ["core-2020-12", "formats", "draft7", "openapi30"]

    static func load(_ name: String) throws -> JSONValue {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Resources"))
        return try JSONValue(parsing: Array(Data(contentsOf: url)))
    }

    static func options(_ value: JSONValue?, over base: SchemaOptions) -> SchemaOptions {
        var options = base
        guard let value else { return options }
        if let draft = value["draft"] { options.draft = draft.stringValue.flatMap(SchemaDraft.init(rawValue:)) }
        if let formats = value["assertFormats"]?.boolValue { options.assertFormats = formats }
        return options
    }

    @Test(arguments: files)
    func cases(file: String) throws {
        let document = try Self.load(file)
        let remotes = document["remotes"]?.objectValue ?? JSONObject()
        let fileOptions = Self.options(document["options"], over: SchemaOptions())
        var failures: [String] = []
        var count = 0
        for group in document["groups"]?.arrayValue ?? [] {
            let description = group["description"]?.stringValue ?? "?"
            let options = Self.options(group["options"], over: fileOptions)
            let schema: CompiledSchema
            do {
                schema = try CompiledSchema(
                    group["schema"]!, entry: group["entry"]?.stringValue, options: options,
                    loader: { uri in
                        guard let remote = remotes[uri] else { throw SchemaError.loadFailed(uri: uri, message: "no such remote") }
                        return remote
                    })
            } catch {
                failures.append("\(description): does not compile: \(error)")
                continue
            }
            for test in group["tests"]?.arrayValue ?? [] {
                count += 1
                let expected = test["valid"]?.boolValue ?? false
                let result = try schema.validate(test["data"]!)
                let quick = try schema.isValid(test["data"]!)
                if result.isValid != expected || quick != expected {
                    failures.append(
                        "\(description) / \(test["description"]?.stringValue ?? "?"): expected \(expected ? "valid" : "invalid"), got \(result.violations)")
                }
                if !result.isValid && result.violations.isEmpty {
                    failures.append("\(description) / \(test["description"]?.stringValue ?? "?"): invalid without a violation")
                }
            }
        }
        #expect(count > 0)
        #expect(failures.isEmpty, "\(failures.count) of \(count) cases failed:\n\(failures.joined(separator: "\n"))")
    }
}
