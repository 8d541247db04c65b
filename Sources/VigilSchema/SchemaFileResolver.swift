#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Synchronization
import VigilJSON

/// Loads schema documents from files under a root folder: `$ref`s to other files resolve
/// relative to the referring file, and nothing outside the root (after resolving symbolic
/// links) is read. Documents are JSON unless `parse` says otherwise (e.g. YAML).
public struct SchemaFileResolver: Sendable {
    public let root: String
    let parse: @Sendable ([UInt8], String) throws -> JSONValue

    public init(root: String, parse: (@Sendable ([UInt8], String) throws -> JSONValue)? = nil) {
        self.root = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath().path
        self.parse = parse ?? { bytes, _ in try JSONValue(parsing: bytes) }
    }

    /// The `file://` URI of a path (made absolute).
    public static func fileURI(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.absoluteString
    }

    static func folder(of path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
    }

    /// The document at `uri` (a `file://` URI inside the root).
    public func load(_ uri: String) throws(SchemaError) -> JSONValue {
        guard let url = URL(string: uri), url.isFileURL else { throw .loadFailed(uri: uri, message: "only files under \(root) can be referenced") }
        let path = url.standardizedFileURL.resolvingSymlinksInPath().path
        guard path.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            throw .loadFailed(uri: uri, message: "outside the schema root \(root)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw .loadFailed(uri: uri, message: "cannot read the file") }
        do {
            return try parse(Array(data), path)
        } catch let error as JSONParseError {
            throw .loadFailed(uri: uri, message: "\(error.line):\(error.column): \(error.message)")
        } catch {
            throw .loadFailed(uri: uri, message: "\(error)")
        }
    }
}

/// Compiled schemas by file, compiled on first use and kept for the life of the cache.
public final class SchemaCache: Sendable {
    private struct Key: Hashable {
        var path: String
        var root: String?
        var entry: String?
        var options: SchemaOptions
    }

    private let schemas = Mutex<[Key: CompiledSchema]>([:])

    public init() {}

    /// The compiled schema of the file at `path` (see `CompiledSchema.init(file:root:entry:options:)`).
    public func schema(
        file path: String, root: String? = nil, entry: String? = nil, options: SchemaOptions = SchemaOptions()
    ) throws(SchemaError)
        -> CompiledSchema
    {
        let key = Key(path: URL(fileURLWithPath: path).standardizedFileURL.path, root: root, entry: entry, options: options)
        if let cached = schemas.withLock({ $0[key] }) { return cached }
        let compiled = try CompiledSchema(file: path, root: root, entry: entry, options: options)
        schemas.withLock { $0[key] = compiled }
        return compiled
    }
}
