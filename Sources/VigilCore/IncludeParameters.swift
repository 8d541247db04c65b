import VigilYAML

/// Puts an include step's `with:` values in place of the fragment's placeholders of the same
/// names, as text: a value that is exactly one placeholder (`id: "{{cameraId}}"`) becomes the
/// parameter's value itself (keeping its type: a number stays a number); a placeholder inside
/// other text becomes the parameter's text. The values are templates of the including file,
/// resolved when the request runs.
struct ParameterSubstitution {
    let parameters: [String: YAMLNode]
    /// Parameters the fragment uses.
    private(set) var used: Set<String> = []
    /// Every variable the fragment uses (root names): for did-you-mean.
    private(set) var names: Set<String> = []
    private(set) var problems: [(message: String, mark: Mark)] = []

    init(parameters: [String: YAMLNode]) {
        self.parameters = parameters
    }

    mutating func apply(_ node: YAMLNode) -> YAMLNode {
        switch node.content {
        case .scalar(let s): return scalar(s, node)
        case .sequence(let items): return YAMLNode(.sequence(items.map { apply($0) }), mark: node.mark)
        case .mapping(let pairs): return YAMLNode(.mapping(pairs.map { YAMLPair(key: apply($0.key), value: apply($0.value)) }), mark: node.mark)
        }
    }

    private mutating func scalar(_ s: YAMLScalar, _ node: YAMLNode) -> YAMLNode {
        guard Template.mayHavePlaceholders(s.text), let t = try? Template.parse(s.text) else { return node }
        if case .variable(let name)? = t.soloPlaceholder, let value = parameters[ReferenceCheck.rootName(name)] {
            let root = ReferenceCheck.rootName(name)
            names.insert(root)
            used.insert(root)
            switch Self.reach(name, root: root, value, style: s) {
            case .success(let part): return YAMLNode(part.content, mark: node.mark)
            case .failure(let problem):
                problems.append((problem.message, node.mark))
                return node
            }
        }
        var text = ""
        var changed = false
        for part in t.parts {
            switch part {
            case .literal(let l):
                text += l.replacing("{{", with: "\\{{")
            case .placeholder(let p, _):
                guard case .variable(let name) = p else {
                    text += "{{\(p)}}"
                    continue
                }
                let root = ReferenceCheck.rootName(name)
                names.insert(root)
                guard let value = parameters[root] else {
                    text += "{{\(p)}}"
                    continue
                }
                used.insert(root)
                let part: YAMLNode
                switch Self.reach(name, root: root, value, style: s) {
                case .success(let n): part = n
                case .failure(let problem):
                    problems.append((problem.message, node.mark))
                    text += "{{\(p)}}"
                    continue
                }
                guard let v = part.scalar else {
                    let what = name == root ? "parameter '\(root)'" : "'{{\(name)}}' (of parameter '\(root)')"
                    problems.append(("\(what) is \(part.kindName): it can stand only for a whole value, not inside text", node.mark))
                    text += "{{\(p)}}"
                    continue
                }
                changed = true
                text += v.text
            }
        }
        guard changed else { return node }
        return YAMLNode(.scalar(YAMLScalar(text: text, style: s.style, tag: s.tag)), mark: node.mark)
    }

    struct Unreachable: Error {
        let message: String
    }

    /// The part of the parameter `value` that `name` (`obj`, `obj.k`, `lst.0`) reads, as
    /// variables read into mappings and lists. A path that reaches a parameter written as a
    /// placeholder goes on in it: `{{camera.id}}` with `camera: "{{cams.0}}"` is `{{cams.0.id}}`.
    static func reach(_ name: String, root: String, _ value: YAMLNode, style: YAMLScalar) -> Result<YAMLNode, Unreachable> {
        var node = value
        var keys = name.split(separator: ".", omittingEmptySubsequences: false).dropFirst()
        while let key = keys.first {
            if let pairs = node.mapping {
                guard let pair = pairs.first(where: { $0.key.scalar?.text == String(key) }) else {
                    return .failure(Unreachable(message: "'{{\(name)}}' reads '\(key)', a key parameter '\(root)' does not have"))
                }
                node = pair.value
            } else if let items = node.sequence {
                guard let i = Int(key), items.indices.contains(i) else {
                    return .failure(Unreachable(message: "'{{\(name)}}' reads item '\(key)' of parameter '\(root)', a list of \(items.count)"))
                }
                node = items[i]
            } else {
                let text = node.scalar?.text ?? ""
                guard let inner = try? Template.parse(text), case .variable(let target)? = inner.soloPlaceholder else {
                    return .failure(Unreachable(message: "'{{\(name)}}' reads into parameter '\(root)', which is not a variable (\(text))"))
                }
                let path = "{{" + ([target] + keys.map(String.init)).joined(separator: ".") + "}}"
                return .success(YAMLNode(.scalar(YAMLScalar(text: path, style: style.style, tag: style.tag)), mark: node.mark))
            }
            keys = keys.dropFirst()
        }
        return .success(node)
    }
}
