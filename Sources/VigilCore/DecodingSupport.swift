import VigilJSON
import VigilYAML

/// Reads YAML nodes into model values, logging every mistake instead of stopping at the first.
struct NodeDecoder {
    let log: DiagnosticLog
    /// Whether `{{$env.…}}` may be used (environment files only).
    var allowsProcessEnvironment = false
    /// Queries compiled so far: collections repeat the same few paths thousands of times,
    /// and one compiled value is shared by all (less to parse, less to keep).
    let compiledPaths = PathCache()

    var file: String { log.file }

    /// The entries of a mapping node, checking keys against `allowed`; nil (logged) if not a mapping.
    func mapping(_ node: YAMLNode, _ what: String, allowed: [String]) -> KeyedPairs? {
        guard let pairs = node.mapping else {
            log.error("\(what) must be a mapping, found \(node.kindName)", at: node.mark)
            return nil
        }
        var result = KeyedPairs()
        result.entries.reserveCapacity(pairs.count)
        for pair in pairs {
            guard let key = pair.key.scalar?.text else {
                log.error("keys in \(what) must be plain text", at: pair.key.mark)
                continue
            }
            if !allowed.contains(key) {
                log.error("unknown key '\(key)' in \(what)\(Suggestion.hint(for: key, among: allowed))", at: pair.key.mark)
                continue
            }
            result.entries.append((key, pair))
        }
        return result
    }

    func string(_ node: YAMLNode, _ what: String) -> String? {
        guard let s = node.scalar, case .string(let text) = s.resolved else {
            log.error("\(what) must be text, found \(node.kindName)", at: node.mark)
            return nil
        }
        return text
    }

    /// Any scalar as text (so `timeout: 10` and `name: 2024` read naturally).
    func scalarText(_ node: YAMLNode, _ what: String) -> String? {
        guard let s = node.scalar else {
            log.error("\(what) must be a single value, found \(node.kindName)", at: node.mark)
            return nil
        }
        return s.text
    }

    /// `tags: [smoke, ptz]`: a list of names (letters, digits, `_`, `-`, `.`).
    func tags(_ node: YAMLNode) -> [String] {
        guard let items = node.sequence else {
            log.error("tags must be a list of names, e.g. [smoke, ptz]; found \(node.kindName)", at: node.mark)
            return []
        }
        return items.compactMap { item in
            guard let name = scalarText(item, "a tag") else { return nil }
            guard Template.isIdentifier(name, allowDots: true) else {
                log.error("'\(name)' is not a tag name (letters, digits, '_', '-', '.')", at: item.mark)
                return nil
            }
            return name
        }
    }

    func bool(_ node: YAMLNode, _ what: String) -> Bool? {
        guard let s = node.scalar, case .bool(let b) = s.resolved else {
            log.error("\(what) must be true or false, found \(node.kindName)", at: node.mark)
            return nil
        }
        return b
    }

    func int(_ node: YAMLNode, _ what: String) -> Int? {
        guard let s = node.scalar, case .int(let i) = s.resolved, let v = Int(exactly: i) else {
            log.error("\(what) must be a whole number, found \(node.kindName)", at: node.mark)
            return nil
        }
        return v
    }

    /// `500ms`, `10s`, `2m`, `1.5s`, or a bare number of seconds.
    func duration(_ node: YAMLNode, _ what: String) -> Duration? {
        guard let s = node.scalar else {
            log.error("\(what) must be a duration such as 500ms, 10s or 2m, found \(node.kindName)", at: node.mark)
            return nil
        }
        if let d = Self.parseDuration(s.text) { return d }
        log.error("\(what) must be a duration such as 500ms, 10s or 2m, found '\(s.text)'", at: node.mark)
        return nil
    }

    static func parseDuration(_ text: String) -> Duration? { DurationText.parse(text) }
}

/// Compiled JSONPath queries by their text, for one file's decoding.
final class PathCache {
    var paths: [String: JSONPath] = [:]
}

/// A mapping's entries by key. Mappings in collections are small, so a scan beats hashing.
struct KeyedPairs {
    var entries: [(key: String, pair: YAMLPair)] = []

    subscript(key: String) -> YAMLPair? {
        for e in entries where e.key == key { return e.pair }
        return nil
    }
}

/// Durations as written in collections and on the command line: `500ms`, `10s`, `2m`, `1h`, `1.5s`, or seconds.
public enum DurationText {
    public static func parse(_ text: String) -> Duration? {
        let t = text.trimmingCharacters(in: " ")
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            let number = t.dropLast(suffix.count)
            if let v = Double(number), !number.hasSuffix("m") { return milliseconds(v * scale * 1000) }
        }
        if let v = Double(t) { return milliseconds(v * 1000) }
        return nil
    }

    /// Negative, infinite or absurdly large values (beyond Int64 milliseconds) are not durations.
    private static func milliseconds(_ ms: Double) -> Duration? {
        guard ms.isFinite, ms >= 0, ms < 1e16 else { return nil }
        return .milliseconds(Int64(ms.rounded()))
    }
}

extension NodeDecoder {

    /// A template from a scalar; syntax errors point at the column inside the scalar where possible.
    func template(_ node: YAMLNode, _ what: String) -> Template? {
        guard let s = node.scalar else {
            log.error("\(what) must be text, found \(node.kindName)", at: node.mark)
            return nil
        }
        return template(s, at: node.mark)
    }

    func template(_ s: YAMLScalar, at mark: Mark) -> Template? {
        do {
            let t = try Template.parse(s.text)
            checkPlaceholders(t, scalar: s, at: mark)
            return t
        } catch {
            log.error(error.message, at: position(of: error.offset, in: s, at: mark))
            return nil
        }
    }

    private func checkPlaceholders(_ t: Template, scalar: YAMLScalar, at mark: Mark) {
        guard !allowsProcessEnvironment else { return }
        for case .placeholder(let p, let offset) in t.parts {
            if case .env(let name) = p {
                log.error(
                    "'{{$env.\(name)}}' may only be used in environment files; a shared collection must not read the user's process environment",
                    at: position(of: offset, in: scalar, at: mark))
            }
        }
    }

    /// The mark of a Unicode-scalar offset inside a single-line scalar (the scalar's own mark otherwise).
    func position(of offset: Int, in s: YAMLScalar, at mark: Mark) -> Mark {
        guard s.style != .literal, s.style != .folded, !s.text.unicodeScalars.prefix(offset).contains("\n") else { return mark }
        let quote = s.style == .plain ? 0 : 1
        return Mark(line: mark.line, column: mark.column + quote + offset)
    }

    /// A JSON-shaped value whose strings may hold placeholders.
    func tree(_ node: YAMLNode) -> TemplateTree? {
        switch node.content {
        case .scalar(let s):
            switch s.resolved {
            case .null: return .value(.null)
            case .bool(let b): return .value(.bool(b))
            case .int(let i): return .value(.int(i))
            case .double(let d): return .value(.double(d))
            case .string(let text):
                guard Template.mayHavePlaceholders(text) else { return .value(.string(text)) }
                return template(s, at: node.mark).map { $0.isLiteral ? .value(.string($0.literalText)) : .template($0) }
            }
        case .sequence(let items):
            let trees = items.compactMap(tree)
            return trees.count == items.count ? .array(trees) : nil
        case .mapping(let pairs):
            var entries: [TemplateTree.Entry] = []
            var ok = true
            for pair in pairs {
                guard let key = template(pair.key, "a key"), let value = tree(pair.value) else { ok = false; continue }
                entries.append(.init(key: key, value: value))
            }
            return ok ? .object(entries) : nil
        }
    }

    /// A JSONPath in Vigil's shorthand (`result.path.id` means `$.result.path.id`).
    func jsonPath(_ node: YAMLNode, _ what: String) -> JSONPath? {
        guard let s = node.scalar else {
            log.error("\(what) must be a JSONPath query, found \(node.kindName)", at: node.mark)
            return nil
        }
        return jsonPath(s, at: node.mark)
    }

    func jsonPath(_ s: YAMLScalar, at mark: Mark) -> JSONPath? {
        if let known = compiledPaths.paths[s.text] { return known }
        do {
            let path = try JSONPath(shorthand: s.text)
            if compiledPaths.paths.count < 4096 { compiledPaths.paths[s.text] = path }
            return path
        } catch {
            log.error("invalid JSONPath '\(s.text)': \(error.message)", at: position(of: error.offset, in: s, at: mark))
            return nil
        }
    }

    /// The items of a list, or the single node when one value is given.
    func list(_ node: YAMLNode) -> [YAMLNode] {
        node.sequence ?? [node]
    }
}

extension NodeDecoder {
    /// Numbers JSON cannot carry as written: `1e400` (no finite double; it would be sent as
    /// null), `.inf` and `.nan`, and integers beyond 64 bits (they would lose digits as a
    /// double). Errors at each, so nothing is silently changed on the way to the server or a
    /// matcher. `skipping` names root keys checked elsewhere (streamed requests).
    func checkNumbers(_ node: YAMLNode, skipping: Set<String> = []) {
        switch node.content {
        case .scalar(let s):
            guard case .double(let d) = s.resolved else { return }
            if !d.isFinite {
                log.error("'\(s.text)' is not a number JSON can carry (it has no infinity or NaN; the largest is about 1.8e308)", at: node.mark)
            } else if s.tag == nil, s.text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 43 || $0 == 45 }) {
                log.error(
                    "\(s.text) is beyond a 64-bit integer and would lose digits as a number; quote it to send it as a string", at: node.mark)
            }
        case .sequence(let items):
            for item in items { checkNumbers(item) }
        case .mapping(let pairs):
            for pair in pairs where !skipping.contains(pair.key.scalar?.text ?? "") { checkNumbers(pair.value) }
        }
    }
}
