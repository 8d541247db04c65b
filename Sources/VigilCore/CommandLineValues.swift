import VigilJSON
import VigilYAML

/// Values given on the command line: `--var name=[a, b]` and `--var-file vars.yaml`.
public enum CommandLineValues {
    /// The value of `--var name=TEXT`: text as it is, or, when it starts with `[` or `{`, a
    /// YAML flow list or mapping (`[a, b]`, `{ id: 3 }`), scalars typed as in YAML; text
    /// quoted whole in double or single quotes is that YAML quoted scalar (`"[abc]"` is the
    /// text `[abc]`). Throws the YAML error's message when the value is malformed, and the
    /// problem of a number JSON cannot carry (``numberProblems(_:file:)``).
    public static func value(_ text: String) throws(ValueError) -> JSONValue {
        guard let first = text.first else { return .string(text) }
        let quoted = (first == "\"" || first == "'") && text.count >= 2 && text.last == first
        guard first == "[" || first == "{" || quoted else { return .string(text) }
        var bytes = Array(text.utf8)
        let file = "--var"
        let root: YAMLNode?
        do {
            root = try YAMLLoader().load(bytes: &bytes, file: file)
        } catch {
            throw .malformed(Diagnostic(file: file, mark: error.mark, message: error.message))
        }
        guard let root else { return .string(text) }
        if let problem = numberProblems(root, file: file).first { throw .number(problem) }
        return literal(root)
    }

    /// Why a `--var` value is refused.
    public enum ValueError: Error {
        /// The list or mapping is not valid YAML.
        case malformed(Diagnostic)
        /// It holds a number JSON cannot carry.
        case number(Diagnostic)
    }

    /// Numbers JSON cannot carry (`1e400`, `.nan`, integers beyond 64 bits) in `node`, as a
    /// collection's `variables:` reports them (``NodeDecoder/checkNumbers(_:skipping:)``): for
    /// data files, `--var-file` and `--var`, so none is sent as null or rounded.
    static func numberProblems(_ node: YAMLNode, file: String) -> [Diagnostic] {
        let log = DiagnosticLog(file: file)
        NodeDecoder(log: log).checkNumbers(node)
        return log.diagnostics
    }

    /// The variables of a `--var-file`: a YAML mapping of name to value (any YAML value, kept
    /// as written: no placeholders are resolved).
    public static func variables(bytes: inout [UInt8], file: String) throws(LoadError) -> [(String, JSONValue)] {
        let root = try CollectionLoader.loadRoot(&bytes, file: file, empty: "the variables file is empty; it needs a mapping of name to value")
        guard let pairs = root.mapping else {
            throw LoadError([Diagnostic(file: file, mark: root.mark, message: "a variables file is a mapping of name to value, found \(root.kindName)")])
        }
        var out: [(String, JSONValue)] = []
        var problems: [Diagnostic] = []
        for pair in pairs {
            guard let name = pair.key.scalar?.text, Template.isIdentifier(name, allowDots: true) else {
                problems.append(
                    Diagnostic(
                        file: file, mark: pair.key.mark, message: "'\(pair.key.scalar?.text ?? "?")' is not a variable name (letters, digits, '_', '-', '.')"))
                continue
            }
            problems += numberProblems(pair.value, file: file)
            out.append((name, literal(pair.value)))
        }
        if !problems.isEmpty { throw LoadError(problems) }
        return out
    }

    /// A YAML node as the JSON value it writes.
    public static func literal(_ node: YAMLNode) -> JSONValue {
        switch node.content {
        case .scalar(let s):
            switch s.resolved {
            case .null: return .null
            case .bool(let b): return .bool(b)
            case .int(let i): return .int(i)
            case .double(let d): return .double(d)
            case .string(let t): return .string(t)
            }
        case .sequence(let items): return .array(items.map(literal))
        case .mapping(let pairs):
            var o = JSONObject()
            for p in pairs { o[p.key.scalar?.text ?? ""] = literal(p.value) }
            return .object(o)
        }
    }
}
