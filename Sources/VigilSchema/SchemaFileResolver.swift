#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Synchronization
import VigilJSON

/// Loads schema documents from files under root folders: `$ref`s to other files resolve
/// relative to the referring file, and nothing outside the roots (after resolving symbolic
/// links) is read. Documents are JSON unless `parse` says otherwise (e.g. YAML).
public struct SchemaFileResolver: Sendable {
    /// The first root: a collection's own folder tree; later ones are folders granted to it.
    public var root: String { roots[0] }
    public let roots: [String]
    let parse: @Sendable ([UInt8], String) throws -> JSONValue

    public init(root: String, parse: (@Sendable ([UInt8], String) throws -> JSONValue)? = nil) {
        self.init(roots: [root], parse: parse)
    }

    /// `roots` must not be empty: the first is the one error messages name.
    public init(roots: [String], parse: (@Sendable ([UInt8], String) throws -> JSONValue)? = nil) {
        precondition(!roots.isEmpty, "a schema resolver needs a root")
        self.roots = roots.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path }
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
        guard roots.contains(where: { path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) else {
            let granted = roots.count > 1 ? " (and the \(roots.count - 1) folder\(roots.count == 2 ? "" : "s") granted)" : ""
            throw .loadFailed(uri: uri, message: "outside the schema root \(root)\(granted)")
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
        var roots: [String]?
        var entry: String?
        var options: SchemaOptions
    }

    private let schemas = Mutex<[Key: CompiledSchema]>([:])

    public init() {}

    /// The compiled schema of the file at `path` (see `CompiledSchema.init(file:roots:entry:options:)`).
    public func schema(
        file path: String, root: String? = nil, entry: String? = nil, options: SchemaOptions = SchemaOptions()
    ) throws(SchemaError)
        -> CompiledSchema
    {
        try schema(file: path, roots: root.map { [$0] }, entry: entry, options: options)
    }

    /// The compiled schema of the file at `path`, its `$ref`s confined to `roots` (the file's
    /// folder if `nil`).
    /// `parse` reads each file (see `SchemaFileResolver`); a cache is meant to be used with one.
    public func schema(
        file path: String, roots: [String]?, entry: String? = nil, options: SchemaOptions = SchemaOptions(),
        parse: (@Sendable ([UInt8], String) throws -> JSONValue)? = nil
    ) throws(SchemaError)
        -> CompiledSchema
    {
        let key = Key(path: URL(fileURLWithPath: path).standardizedFileURL.path, roots: roots, entry: entry, options: options)
        if let cached = schemas.withLock({ $0[key] }) { return cached }
        let compiled = try CompiledSchema(file: path, roots: roots, entry: entry, options: options, parse: parse)
        schemas.withLock { $0[key] = compiled }
        return compiled
    }
}
