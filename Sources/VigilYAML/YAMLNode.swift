/// A YAML document as a tree of nodes, each carrying where it stood in its file.
///
/// `VigilYAML` turns libyaml's event stream into this tree. Anchors and aliases are
/// expanded, merge keys (`<<`) applied, and every node keeps the 1-based line and column
/// of its first character so that later decoding can name the exact place of a mistake.

/// A position in a source file: 1-based line and column.
public struct Mark: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: Mark, rhs: Mark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// How a scalar was written. Quoted scalars are always strings.
public enum ScalarStyle: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded

    /// Whether the author quoted or block-wrote the scalar (anything but plain).
    public var isQuoted: Bool { self != .plain }
}

/// A scalar as written, with its style and explicit tag.
public struct YAMLScalar: Sendable, Hashable {
    public var text: String
    public var style: ScalarStyle
    /// The explicit tag, in full form (`tag:yaml.org,2002:str`), when one was written.
    public var tag: String?

    public init(text: String, style: ScalarStyle = .plain, tag: String? = nil) {
        self.text = text
        self.style = style
        self.tag = tag
    }
}

/// A mapping entry, keeping both key and value nodes (and so both positions).
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// One node of the tree.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        /// Entries in document order; keys are unique (duplicates are a load error).
        case mapping([YAMLPair])
    }

    public var content: Content
    /// Where the node starts.
    public var mark: Mark

    public init(_ content: Content, mark: Mark) {
        self.content = content
        self.mark = mark
    }

    /// The scalar, when this node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    /// The entries, when this node is a mapping.
    public var mapping: [YAMLPair]? {
        if case .mapping(let m) = content { return m }
        return nil
    }

    /// The items, when this node is a sequence.
    public var sequence: [YAMLNode]? {
        if case .sequence(let s) = content { return s }
        return nil
    }

    /// The value under a scalar key, when this node is a mapping.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key.scalar?.text == key }?.value
    }

    /// A short word for the node's kind, for error messages.
    public var kindName: String {
        switch content {
        case .scalar(let s): return s.resolved.kindName
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}
