#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilYAML

/// Expands `include:` steps while a collection loads: each becomes the requests of its fragment
/// (a YAML list of requests and include steps), named under the step (`Sign in check › Get
/// token`), with the step's `with:` parameters put in place of their placeholders, and with the
/// chain of include steps kept on each request (``RequestOrigin``) for messages.
///
/// Fragment paths are relative to the including file and must stay inside the collection's
/// bounds (``FileBounds``, the rule of `file:` bodies); an include of a file already being
/// expanded is a cycle, named with its chain.
final class IncludeExpander {
    private let bounds: FileBounds
    /// The files being expanded, outermost first (the collection, then each fragment).
    private var open: [(real: String, shown: String)]

    static let stepKeys = ["include", "with", "name", "description", "forEach", "as"]

    /// How deep include steps may nest (a fragment's include step is one deeper than the
    /// step that brought the fragment in): deeper is an error at that step, not a crash.
    static let maxDepth = 64
    /// How many requests, and how many include steps, the includes of one collection may
    /// expand to in all: forty fragments that each include the next twice stand for 2^40.
    static let maxExpansion = 100_000
    private var requestCount = 0
    private var stepCount = 0
    /// Set when a limit is passed: the error is given once, and nothing more is expanded.
    private var halted = false
    private var tooMany = false
    /// Fragments read so far, and what each stands for, by real path.
    private var fragments: [String: Result<YAMLNode?, YAMLError>] = [:]
    private var sizes: [String: (requests: Int, steps: Int)] = [:]

    init(collectionFile: String, root: String?, allowed: [String]) {
        bounds = FileBounds(roots: [root ?? Self.folder(of: collectionFile)] + allowed)
        open = [(FileBounds.realPath(collectionFile), collectionFile)]
    }

    static func folder(of file: String) -> String {
        let folder = PathText.folder(of: file)
        return folder.isEmpty ? "." : folder
    }

    /// Whether a list item is an include step (it has an `include` key).
    static func isInclude(_ node: YAMLNode) -> Bool {
        node.mapping?.contains { $0.key.scalar?.text == "include" } ?? false
    }

    /// The requests the include step `node` (of the file `d` decodes) stands for. `chain` is
    /// the include steps that brought that file in (innermost first), `prefix` their names,
    /// `loops` their `forEach:` loops. Problems go to `d`'s log (those of the fragment with
    /// the chain that leads to them).
    func expand(_ node: YAMLNode, _ d: NodeDecoder, chain: [IncludeSite], prefix: [String], loops: [Loop]) -> [RequestSpec] {
        let out = expandStep(node, d, chain: chain, prefix: prefix, loops: loops)
        if chain.isEmpty, tooMany {
            tooMany = false
            d.log.error(
                "include steps expand to more than \(Self.maxExpansion) requests or include steps (the limit of a collection); "
                    + "a fragment that includes another more than once multiplies its requests",
                at: node.mark)
        }
        return out
    }

    private func expandStep(_ node: YAMLNode, _ d: NodeDecoder, chain: [IncludeSite], prefix: [String], loops: [Loop]) -> [RequestSpec] {
        guard !halted else { return [] }
        stepCount += 1
        guard stepCount <= Self.maxExpansion else {
            (halted, tooMany) = (true, true)
            return []
        }
        guard let keys = d.mapping(node, "an include step", allowed: Self.stepKeys),
            let pathNode = keys["include"]?.value, let path = d.string(pathNode, "include")
        else { return [] }
        guard !Template.mayHavePlaceholders(path) else {
            d.log.error("an include path is written as it is, without placeholders (pass values to the fragment with with:)", at: pathNode.mark)
            return []
        }
        let here = Self.folder(of: d.file)
        let real: String
        switch bounds.resolve(path, relativeTo: here) {
        case .success(let r): real = r
        case .failure(let e):
            d.log.error(e.description, at: pathNode.mark)
            return []
        }
        let shown = Self.lexicalJoin(here, path)
        if let i = open.firstIndex(where: { $0.real == real }) {
            let cycle = open[i...].map(\.shown) + [shown]
            d.log.error("include cycle: \(cycle.joined(separator: " → "))", at: pathNode.mark)
            return []
        }
        guard chain.count < Self.maxDepth else {
            halted = true
            let files = open.map(\.shown) + [shown]
            let shownChain = files.count <= 8 ? files : files.prefix(3) + ["…"] + files.suffix(3)
            d.log.error(
                "includes nest more than \(Self.maxDepth) deep (the limit): \(shownChain.joined(separator: " → ")) (\(files.count) files)",
                at: pathNode.mark)
            return []
        }
        if chain.isEmpty {
            // Counted before anything is built, so a step that multiplies is refused at once.
            var visiting: Set<String> = []
            let size = self.size(of: real, shown: shown, depth: 1, visiting: &visiting)
            guard requestCount + size.requests <= Self.maxExpansion, stepCount + size.steps <= Self.maxExpansion else {
                (halted, tooMany) = (true, true)
                return []
            }
        }
        let site = IncludeSite(file: d.file, mark: node.mark)
        let innerChain = [site] + chain
        let chainKey = innerChain.map(\.description).joined(separator: "<")
        let name = keys["name"].flatMap { d.scalarText($0.value, "name") } ?? PathName(path: path).lastComponentWithoutExtension
        var innerLoops = loops
        if let n = keys["forEach"]?.value {
            if var loop = CollectionLoader.loop(n, variable: keys["as"]?.value, part: prefix.count, d) {
                loop.id = chain.map(\.description).joined(separator: "<") + "|" + loop.id
                loop.origin = chain.isEmpty ? nil : RequestOrigin(file: d.file, chain: chain)
                innerLoops.append(loop)
            }
        } else if let a = keys["as"] {
            d.log.error("'as' names the item of a forEach; this include step has no forEach", at: a.key.mark)
        }
        let parameters = self.parameters(keys["with"]?.value, d)
        guard let read = fragment(at: real, shown: shown) else {
            d.log.error("include '\(path)' cannot be read", at: pathNode.mark)
            return []
        }
        let fragmentLog = DiagnosticLog(file: shown)
        let fd = NodeDecoder(log: fragmentLog)
        defer { d.log.append(fragmentLog.diagnostics.sortedByPlace, includedFrom: [site]) }
        let loaded: YAMLNode?
        switch read {
        case .success(let node): loaded = node
        case .failure(let error):
            fragmentLog.error(error.message, at: error.mark)
            return []
        }
        guard let loaded else {
            fragmentLog.error("the fragment is empty; a fragment is a list of requests", at: Mark(line: 1, column: 1))
            return []
        }
        var substitution = ParameterSubstitution(parameters: parameters.nodes)
        let fragment = substitution.apply(loaded)
        for problem in substitution.problems { fragmentLog.error(problem.message, at: problem.mark) }
        for (param, mark) in parameters.order where !substitution.used.contains(param) {
            // Did-you-mean among every name the fragment uses, parameters given or not (`camra` beside `camera`).
            d.log.error("parameter '\(param)' is not used by the fragment \(shown)\(Suggestion.hint(for: param, among: substitution.names))", at: mark)
        }
        guard let items = fragment.sequence else {
            fragmentLog.error("a fragment is a list of requests (and include steps); found \(fragment.kindName)", at: fragment.mark)
            return []
        }
        open.append((real, shown))
        defer { open.removeLast() }
        var out: [RequestSpec] = []
        for item in items {
            if Self.isInclude(item) {
                out += expandStep(item, fd, chain: innerChain, prefix: prefix + [name], loops: innerLoops)
                continue
            }
            guard !halted else { break }
            requestCount += 1
            guard requestCount <= Self.maxExpansion else {
                (halted, tooMany) = (true, true)
                break
            }
            guard var r = CollectionLoader.request(item, fd) else { continue }
            r.origin = RequestOrigin(file: shown, chain: innerChain)
            r.nameParts = prefix + [name] + (r.nameParts.isEmpty ? [r.name] : r.nameParts)
            r.name = r.nameParts.joined(separator: " › ")
            r.loops =
                innerLoops
                + r.loops.map {
                    var l = $0
                    l.part += prefix.count + 1
                    l.id = chainKey + "|" + l.id
                    l.origin = r.origin
                    return l
                }
            out.append(r)
        }
        if out.isEmpty, !fragmentLog.hasErrors, !halted {
            fragmentLog.error("the fragment has no requests", at: fragment.mark)
        }
        return out
    }

    /// The fragment file at `real`, parsed (nil: it cannot be read). Kept by path: a
    /// fragment included many times is read and parsed once.
    private func fragment(at real: String, shown: String) -> Result<YAMLNode?, YAMLError>? {
        if let known = fragments[real] { return known }
        guard var bytes = FileManager.default.contents(atPath: real).map(Array.init) else { return nil }
        let read: Result<YAMLNode?, YAMLError>
        do {
            read = .success(try YAMLLoader().load(bytes: &bytes, file: shown))
        } catch {
            read = .failure(error)
        }
        fragments[real] = read
        return read
    }

    /// How many requests and include steps the fragment at `real` stands for, each counted to
    /// just past ``maxExpansion``, read from the fragments as written. Cycles, paths out of
    /// bounds and nesting past ``maxDepth`` count nothing here: expanding reports them.
    private func size(of real: String, shown: String, depth: Int, visiting: inout Set<String>) -> (requests: Int, steps: Int) {
        if let known = sizes[real] { return known }
        guard depth <= Self.maxDepth, visiting.insert(real).inserted,
            case .success(let node?)? = fragment(at: real, shown: shown), let items = node.sequence
        else { return (0, 0) }
        defer { visiting.remove(real) }
        let cap = Self.maxExpansion + 1
        var total = (requests: 0, steps: 0)
        let here = Self.folder(of: shown)
        for item in items {
            guard Self.isInclude(item) else {
                total.requests = min(total.requests + 1, cap)
                continue
            }
            total.steps = min(total.steps + 1, cap)
            guard let path = item.mapping?.first(where: { $0.key.scalar?.text == "include" })?.value.scalar?.text,
                case .success(let child) = bounds.resolve(path, relativeTo: here)
            else { continue }
            let inner = size(of: child, shown: Self.lexicalJoin(here, path), depth: depth + 1, visiting: &visiting)
            total = (min(total.requests + inner.requests, cap), min(total.steps + inner.steps, cap))
        }
        sizes[real] = total
        return total
    }

    /// `with: { name: value }`: the values by name, and the names in order with where each is written.
    private func parameters(_ node: YAMLNode?, _ d: NodeDecoder) -> (nodes: [String: YAMLNode], order: [(String, Mark)]) {
        guard let node else { return ([:], []) }
        guard let pairs = node.mapping else {
            d.log.error("with must be a mapping of parameter name to value", at: node.mark)
            return ([:], [])
        }
        var nodes: [String: YAMLNode] = [:]
        var order: [(String, Mark)] = []
        for pair in pairs {
            guard let name = d.scalarText(pair.key, "a parameter name") else { continue }
            guard Template.isIdentifier(name, allowDots: false) else {
                d.log.error("'\(name)' is not a parameter name (letters, digits, '_', '-')", at: pair.key.mark)
                continue
            }
            nodes[name] = pair.value
            order.append((name, pair.key.mark))
        }
        return (nodes, order)
    }

    /// `folder/path` with `.` and `..` taken out where they can be: how a fragment is named in messages.
    static func lexicalJoin(_ folder: String, _ path: String) -> String {
        let joined = path.hasPrefix("/") || folder == "." ? path : folder + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            parts.append(part)
        }
        let text = parts.joined(separator: "/")
        return joined.hasPrefix("/") ? "/" + text : text
    }
}
