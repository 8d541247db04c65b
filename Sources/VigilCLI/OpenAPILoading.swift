#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore
import VigilJSON
import VigilRunner
import VigilSchema

/// Reads an environment's OpenAPI description (`openapi:` or `--openapi`) before its run: a
/// file (JSON or YAML, `$ref`s to files beside it) or a URL fetched through the environment's
/// own transport (so `{{baseUrl}}/api/rest/v1/openapi.json` of the embedded emulator works).
enum OpenAPILoading {
    static func load(
        _ setting: OpenAPISetting, environment: Environment, provided: [(String, JSONValue)], overrides: [(String, JSONValue)], transport: any HTTPTransport
    )
        async -> Result<OpenAPIConformance, LoadFailure>
    {
        let mode: OpenAPIConformance.Mode = setting.report ? .report : .fail
        if let file = setting.file {
            guard let data = FileManager.default.contents(atPath: file) else { return .failure(LoadFailure("openapi: cannot read \(file)")) }
            let folder = PathText.folder(of: file)
            let resolver = SchemaFileResolver(root: folder.isEmpty ? "." : folder) { bytes, path in try YAMLData.document(bytes: bytes, file: path) }
            return conformance(Array(data), file: file, source: setting.spec.source, mode: mode, baseURI: SchemaFileResolver.fileURI(file), resolver: resolver)
        }
        let store = VariableStore(processEnvironment: environment.processEnvironment)
        for (name, tree) in environment.variables { store.define(name, as: tree, in: .environment) }
        for (name, value) in provided { store.set(name, to: value, in: .environment) }
        for (name, value) in overrides { store.set(name, to: value, in: .commandLine) }
        let url: String
        do {
            url = try setting.spec.render(store)
        } catch {
            return .failure(LoadFailure("openapi: \(error)"))
        }
        let request = PreparedRequest(method: "GET", url: url, headers: [("Accept", "application/json, application/yaml;q=0.9")], timeout: .seconds(30))
        let response: ReceivedResponse
        do {
            response = try await transport.send(request)
        } catch {
            return .failure(LoadFailure("openapi: cannot fetch \(url): \(error)"))
        }
        guard response.status == 200 else { return .failure(LoadFailure("openapi: \(url) answered \(response.status), not the description")) }
        return conformance(response.body, file: url, source: url, mode: mode, baseURI: url, resolver: nil)
    }

    static func conformance(
        _ bytes: [UInt8], file: String, source: String, mode: OpenAPIConformance.Mode, baseURI: String, resolver: SchemaFileResolver?
    )
        -> Result<OpenAPIConformance, LoadFailure>
    {
        do {
            let document = try YAMLData.document(bytes: bytes, file: file)
            let spec = try OpenAPIDescription(document)
            return .success(OpenAPIConformance(spec: spec, source: source, mode: mode, baseURI: baseURI, resolver: resolver))
        } catch let error as LoadError {
            return .failure(LoadFailure("openapi: \(error)"))
        } catch {
            return .failure(LoadFailure("openapi: \(file): \(error)"))
        }
    }

    struct LoadFailure: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }
}
