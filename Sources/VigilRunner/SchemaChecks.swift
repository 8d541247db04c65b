#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore
import VigilJSON
import VigilSchema

/// The schemas of one collection: files resolved against the collection's folder, inside its
/// bounds (its root and `--allow-path` folders), compiled once per run through the run's cache.
struct CollectionSchemas: SchemaChecking {
    let folder: String
    let root: String
    let allowedPaths: [String]
    let cache: SchemaCache

    /// `sourceFile`: the fragment a schema is named in (paths relative to it), else the collection.
    init(_ collection: CollectionFile, allowedPaths: [String], cache: SchemaCache, sourceFile: String? = nil) {
        let own = PathText.folder(of: collection.file)
        let folder = PathText.folder(of: sourceFile ?? collection.file)
        self.folder = folder.isEmpty ? "." : folder
        self.root = collection.root ?? (own.isEmpty ? "." : own)
        self.allowedPaths = allowedPaths
        self.cache = cache
    }

    /// The compiled schema, or why it cannot be used (in words, starting "cannot check").
    func compiled(_ source: SchemaExpectation.Source) -> Result<CompiledSchema, SchemaProblem> {
        do {
            switch source {
            case .inline(let value):
                return .success(try CompiledSchema(value))
            case .file(let path):
                switch FileBounds(roots: [root] + allowedPaths).resolve(path, relativeTo: folder) {
                case .success(let full): return .success(try compiledFile(full))
                case .failure(let e): return .failure(SchemaProblem("cannot check: \(e)"))
                }
            }
        } catch {
            return .failure(SchemaProblem("cannot check: the schema is not usable: \(error)"))
        }
    }

    /// The schema file at `full` (a path inside the bounds), its `$ref`s confined to the
    /// collection's root and the granted folders; JSON or YAML, like `vigil schema` reads.
    func compiledFile(_ full: String) throws(SchemaError) -> CompiledSchema {
        try cache.schema(file: full, roots: FileBounds(roots: [root] + allowedPaths).roots) { bytes, path in
            try YAMLData.document(bytes: bytes, file: path)
        }
    }

    /// The violations of `value` in words (the first ten, the rest counted); nil when it conforms.
    func problems(of value: JSONValue, against source: SchemaExpectation.Source) -> String? {
        let schema: CompiledSchema
        switch compiled(source) {
        case .success(let s): schema = s
        case .failure(let p): return p.text
        }
        do {
            let result = try schema.validate(value, maxViolations: 10)
            if result.isValid { return nil }
            var text = result.violations.map { "\($0.instancePath): \($0.message) (\($0.keywordLocation))" }.joined(separator: "; ")
            if result.totalCount > result.violations.count { text += "; and \(result.totalCount - result.violations.count) more" }
            return "\(result.totalCount) violation\(result.totalCount == 1 ? "" : "s"): \(text)"
        } catch {
            return "cannot check: \(error)"
        }
    }
}

/// Schemas a collection names by a literal path (compiled into the run's cache) or writes
/// inline, compiled before the run: a malformed schema, or a `$ref` to a file outside the
/// collection's root and the granted folders, is an error at the place that names the
/// schema, not a failed check halfway through the run.
public enum SchemaPreflight {
    /// One diagnostic per schema file that cannot be used, at the first place naming it, and
    /// one per inline schema that cannot.
    /// Paths that ``ReferenceCheck/fileReads(in:allowed:)`` refuses are left to it.
    public static func diagnostics(in collection: CollectionFile, allowed: [String], cache: SchemaCache) -> [Diagnostic] {
        var seen = Set<String>()
        var diagnostics: [Diagnostic] = []
        for schema in collection.facts.literalSchemas {
            let schemas = CollectionSchemas(collection, allowedPaths: allowed, cache: cache, sourceFile: schema.origin?.file)
            guard case .success(let full) = FileBounds(roots: [schemas.root] + allowed).resolve(schema.path, relativeTo: schemas.folder),
                seen.insert(full).inserted
            else { continue }
            let message: String
            do {
                _ = try schemas.compiledFile(full)
                continue
            } catch .loadFailed(let uri, let why) where why.hasPrefix("outside the schema root") {
                message = "schema '\(schema.path)' refers to \(uri), \(why); grant a folder with --allow-path DIR"
            } catch {
                message = "schema '\(schema.path)' cannot be used: \(error)"
            }
            diagnostics.append(
                Diagnostic(
                    file: schema.origin?.file ?? collection.file, mark: schema.mark, message: message, includedFrom: schema.origin?.chain ?? []))
        }
        for schema in collection.facts.inlineSchemas {
            do {
                _ = try CompiledSchema(schema.schema)
            } catch {
                diagnostics.append(
                    Diagnostic(
                        file: schema.origin?.file ?? collection.file, mark: schema.mark, message: "inline schema cannot be used: \(error)",
                        includedFrom: schema.origin?.chain ?? []))
            }
        }
        return diagnostics
    }
}

/// Why a schema could not be used.
struct SchemaProblem: Error {
    var text: String
    init(_ text: String) { self.text = text }
}

extension RequestExecution {
    /// The body against `expect.schema`: each violation with where it is in the body and which
    /// keyword of the schema it breaks, the first ten listed, the rest counted.
    func schemaCheck(_ expectation: SchemaExpectation, _ response: ReceivedResponse, from sourceFile: String? = nil) -> CheckResult {
        let kind = CheckResult.Kind.schema(expectation.name)
        guard case .success(let body) = response.json else {
            return CheckResult(kind, mark: expectation.mark, expected: "a body that conforms", actual: "a body that is not JSON", outcome: .failed)
        }
        let schemas: any SchemaChecking =
            sourceFile.map { CollectionSchemas(collection, allowedPaths: context.allowedPaths, cache: context.schemas, sourceFile: $0) }
            ?? store.schemaChecker ?? CollectionSchemas(collection, allowedPaths: context.allowedPaths, cache: context.schemas)
        if let problems = schemas.problems(of: body, against: expectation.source) {
            return CheckResult(kind, mark: expectation.mark, expected: "a body that conforms", actual: problems, outcome: .failed)
        }
        return CheckResult(kind, mark: expectation.mark, expected: "a body that conforms", actual: "it conforms", outcome: .passed)
    }
}
