import VigilJSON

/// A schema compiled once (references resolved, regexes compiled) and reusable from any thread.
public struct CompiledSchema: Sendable {
    let program: SchemaProgram

    /// Compiles `schema`, whose own URI is `baseURI` (relative `$ref`s resolve against it).
    ///
    /// - Parameters:
    ///   - entry: a fragment naming the schema to validate with inside the document, such as
    ///     `#/components/schemas/Camera` of an OpenAPI document; the document itself if `nil`.
    ///   - loader: loads other documents that `$ref`s name (absolute URI without fragment);
    ///     without one, such references are errors. `SchemaFileResolver` reads files under a root.
    public init(
        _ schema: JSONValue, baseURI: String = "urn:vigil:schema", entry: String? = nil, options: SchemaOptions = SchemaOptions(),
        loader: SchemaLoader? = nil
    ) throws(SchemaError) {
        let compiler = SchemaCompiler(options: options, loader: loader)
        program = try compiler.compileRoot(schema, uri: URIReference(baseURI).withoutFragment, entry: entry)
    }

    /// Compiles the schema file at `path` with a `SchemaFileResolver` confined to `root`
    /// (the file's folder if `nil`).
    public init(file path: String, root: String? = nil, entry: String? = nil, options: SchemaOptions = SchemaOptions()) throws(SchemaError) {
        try self.init(file: path, roots: root.map { [$0] }, entry: entry, options: options)
    }

    /// Compiles the schema file at `path` with a `SchemaFileResolver` confined to `roots`
    /// (the file's folder if `nil` or empty).
    /// `parse` reads each file (JSON if nil; the command line passes one that reads YAML too).
    public init(
        file path: String, roots: [String]?, entry: String? = nil, options: SchemaOptions = SchemaOptions(),
        parse: (@Sendable ([UInt8], String) throws -> JSONValue)? = nil
    ) throws(SchemaError) {
        let roots = roots ?? []
        let resolver = SchemaFileResolver(roots: roots.isEmpty ? [SchemaFileResolver.folder(of: path)] : roots, parse: parse)
        let uri = SchemaFileResolver.fileURI(path)
        let document = try resolver.load(uri)
        try self.init(document, baseURI: uri, entry: entry, options: options, loader: resolver.load)
    }

    /// The dialect the root schema was read in.
    public var draft: SchemaDraft { program.documents[program.nodes[program.root].document].draft }

    /// Validates `instance`, keeping the first `maxViolations` violations and counting all.
    ///
    /// Throws only `SchemaError.depthLimitExceeded`, when evaluation nests deeper than
    /// `SchemaOptions.maxDepth`.
    public func validate(_ instance: JSONValue, maxViolations: Int = 10) throws(SchemaError) -> SchemaValidationResult {
        // Most instances are valid: a quick pass without paths settles those, and only an
        // invalid one is evaluated again to report where.
        if try isValid(instance) { return SchemaValidationResult(violations: [], totalCount: 0) }
        let evaluation = Evaluation(program: program, cap: maxViolations, reporting: true)
        var evaluated = Evaluated()
        let valid = evaluation.validate(program.nodes[program.root], instance, &evaluated, collect: false)
        if let error = evaluation.aborted { throw error }
        // A failure is always reported; this guards the count should a keyword fail silently.
        return SchemaValidationResult(violations: evaluation.violations, totalCount: valid ? 0 : max(evaluation.total, 1))
    }

    /// Whether `instance` is valid, without collecting violations.
    public func isValid(_ instance: JSONValue) throws(SchemaError) -> Bool {
        let evaluation = Evaluation(program: program, cap: 0, reporting: false)
        var evaluated = Evaluated()
        let valid = evaluation.validate(program.nodes[program.root], instance, &evaluated, collect: false)
        if evaluation.aborted != nil {
            // Evaluate again with paths, for an error that says where.
            let reporting = Evaluation(program: program, cap: 0, reporting: true)
            _ = reporting.validate(program.nodes[program.root], instance, &evaluated, collect: false)
            throw reporting.aborted ?? evaluation.aborted!
        }
        return valid
    }
}
