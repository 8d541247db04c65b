import VigilYAML

/// Where an include step stands: the file that holds it and the step's place.
public struct IncludeSite: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var mark: Mark

    public init(file: String, mark: Mark) {
        self.file = file
        self.mark = mark
    }

    /// `c.yaml:12:5`.
    public var description: String { "\(file):\(mark.line):\(mark.column)" }
}

/// Where an included request comes from: the fragment file it is written in, and the include
/// steps that brought it into the collection, innermost first.
public struct RequestOrigin: Sendable, Hashable {
    public var file: String
    public var chain: [IncludeSite]

    public init(file: String, chain: [IncludeSite]) {
        self.file = file
        self.chain = chain
    }

    /// ` (included from c.yaml:12:5, included from …)`.
    public var chainText: String {
        chain.isEmpty ? "" : " (" + chain.map { "included from \($0)" }.joined(separator: ", ") + ")"
    }
}

/// A `forEach:` around one request or around the requests of an included fragment: they run
/// once per item of the list, with the item in a variable (`as:`, default `item`) and its
/// 0-based position in `<as>.index`.
public struct Loop: Sendable, Hashable {
    /// Tells loops apart: the requests of one loop's body share it, and stand together.
    public var id: String
    /// The list: a placeholder (`"{{cameraIds}}"`) or a list written in place.
    public var list: TemplateTree
    /// The variable that holds the item.
    public var variable: String
    /// Where `forEach:` is written.
    public var mark: Mark
    public var file: String
    /// Which part of the request's ``RequestSpec/nameParts`` gets the ` [2/5]` of an iteration.
    public var part: Int
    /// Set when `forEach:` is written in an included fragment: that file and its include chain.
    public var origin: RequestOrigin?

    public init(id: String, list: TemplateTree, variable: String, mark: Mark, file: String, part: Int) {
        self.id = id
        self.list = list
        self.variable = variable
        self.mark = mark
        self.file = file
        self.part = part
    }

    /// `FILE:LINE:COL` of `forEach:`, with the include chain.
    public var place: String { "\(origin?.file ?? file):\(mark.line):\(mark.column)\(origin?.chainText ?? "")" }

    /// The text of the list as written, for messages: `{{cameraIds}}` or `[a, b]`.
    public var listText: String {
        switch list {
        case .template(let t): return t.source
        case .value(let v): return v.interpolationText
        default: return "a list written in place"
        }
    }
}

extension RequestSpec {
    /// The name of one iteration: each looped part of the name gets ` [i/n]`
    /// (`Create events [2/3] › Create event`). `iterations` holds (1-based item, count) per
    /// loop of ``loops``, outermost first.
    public func iterationName(_ iterations: [(Int, Int)]) -> String {
        var parts = nameParts.isEmpty ? [name] : nameParts
        for (loop, (i, n)) in zip(loops, iterations) where parts.indices.contains(loop.part) {
            parts[loop.part] += " [\(i)/\(n)]"
        }
        return parts.joined(separator: " › ")
    }
}
