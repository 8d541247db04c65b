import VigilJSON

/// What a schema evaluated of an instance, for `unevaluatedItems` / `unevaluatedProperties`.
struct Evaluated {
    var allItems = false
    /// Items `0..<itemPrefix` were evaluated (`prefixItems`).
    var itemPrefix = 0
    /// Items matched by `contains` (`nil` while none: most evaluations collect nothing).
    var items: Set<Int>?
    var allProperties = false
    var properties: Set<String>?

    mutating func merge(_ other: Evaluated) {
        allItems = allItems || other.allItems
        itemPrefix = max(itemPrefix, other.itemPrefix)
        if let more = other.items { items = items?.union(more) ?? more }
        allProperties = allProperties || other.allProperties
        if let more = other.properties { properties = properties?.union(more) ?? more }
    }

    func hasItem(_ i: Int) -> Bool { allItems || i < itemPrefix || items?.contains(i) == true }
    func hasProperty(_ name: String) -> Bool { allProperties || properties?.contains(name) == true }
}

/// The state of one validation: where it is, what it found, and its limits. Used by one
/// thread without overlapping accesses, so its fields skip dynamic exclusivity checks.
final class Evaluation {
    let program: SchemaProgram
    let nodes: [SchemaNode]
    let cap: Int
    let assertFormats: Bool
    let maxDepth: Int
    /// Tracks instance paths for violations; the quick pass that settles valid instances does not.
    let reporting: Bool
    @exclusivity(unchecked) var violations: [SchemaViolation] = []
    @exclusivity(unchecked) var total = 0
    /// Above 0 while evaluating subschemas whose failures are not reported (anyOf branches, not, if, contains).
    @exclusivity(unchecked) var silent = 0
    @exclusivity(unchecked) var depth = 0
    @exclusivity(unchecked) var aborted: SchemaError? {
        didSet { isAborted = aborted != nil }
    }
    /// `aborted != nil`, cheap to test on every step.
    @exclusivity(unchecked) var isAborted = false
    /// The instance location being evaluated.
    @exclusivity(unchecked) var path: [NormalizedPath.Component] = []
    /// The dynamic scope: resources entered, outermost first.
    @exclusivity(unchecked) var scope: [Int] = []

    init(program: SchemaProgram, cap: Int, reporting: Bool) {
        self.program = program
        self.reporting = reporting
        if !reporting { silent = 1 }
        self.nodes = program.nodes
        self.cap = cap
        self.assertFormats = program.options.assertFormats
        self.maxDepth = program.options.maxDepth
    }

    /// Records a violation (unless silent) and returns `false`.
    func fail(_ node: SchemaNode, _ keyword: String, _ message: @autoclosure () -> String, _ value: JSONValue) -> Bool {
        guard silent == 0 else { return false }
        total += 1
        if violations.count < cap {
            let location = keyword.isEmpty ? node.pointer : node.pointer + "/" + keyword
            violations.append(
                SchemaViolation(
                    instancePath: NormalizedPath(path), keywordLocation: location, schemaURI: program.documents[node.document].uri, message: message(),
                    value: value))
        }
        return false
    }

    /// Evaluates `value` against `node`, adding what it evaluated to `evaluated` when `collect` is set.
    func validate(_ node: SchemaNode, _ value: JSONValue, _ evaluated: inout Evaluated, collect: Bool) -> Bool {
        if let boolean = node.boolean { return boolean || fail(node, "", "not allowed (the schema here is false)", value) }
        if isAborted { return false }
        depth += 1
        defer { depth -= 1 }
        if depth > maxDepth {
            aborted = .depthLimitExceeded(limit: maxDepth, instancePath: NormalizedPath(path), keywordLocation: node.pointer)
            return false
        }
        let entered = scope.last != node.resource
        if entered { scope.append(node.resource) }
        defer { if entered { scope.removeLast() } }
        let collect = collect || node.hasUnevaluated
        var valid = true

        if node.refTarget >= 0, !validate(nodes[node.refTarget], value, &evaluated, collect: collect) {
            if silent > 0 { return false }
            valid = false
        }
        if node.dynamicRefTarget >= 0, !validate(dynamicTarget(node), value, &evaluated, collect: collect) {
            if silent > 0 { return false }
            valid = false
        }
        if node.hasAssertions, !validateAssertions(node, value) {
            if silent > 0 { return false }
            valid = false
        }
        if node.hasArrayKeywords, case .array(let array) = value, !validateArray(node, array, value, &evaluated, collect: collect) {
            if silent > 0 { return false }
            valid = false
        }
        if node.hasObjectKeywords, case .object(let object) = value, !validateObject(node, object, value, &evaluated, collect: collect) {
            if silent > 0 { return false }
            valid = false
        }
        if node.hasApplicators, !validateApplicators(node, value, &evaluated, collect: collect) {
            if silent > 0 { return false }
            valid = false
        }
        if node.hasUnevaluated, !validateUnevaluated(node, value, &evaluated, collect: collect) { valid = false }
        return valid
    }

    /// The target of a `$dynamicRef`: the outermost resource in the dynamic scope with the anchor.
    private func dynamicTarget(_ node: SchemaNode) -> SchemaNode {
        if let name = node.dynamicRef?.dynamicAnchor {
            for resource in scope {
                if let target = program.resources[resource].dynamicAnchors[name] { return nodes[target] }
            }
        }
        return nodes[node.dynamicRefTarget]
    }

    /// Evaluates a subschema applying to the same instance without reporting its failures.
    func quietly(_ node: SchemaNode, _ value: JSONValue, _ evaluated: inout Evaluated, collect: Bool) -> Bool {
        silent += 1
        defer { silent -= 1 }
        return validate(node, value, &evaluated, collect: collect)
    }

    /// Evaluates a subschema on a child of the instance (member `name` or item `index`).
    func validateChild(_ node: SchemaNode, _ value: JSONValue, at component: NormalizedPath.Component) -> Bool {
        if let boolean = node.boolean, boolean { return true }
        // A schema that is only a `$ref` hands over to its target directly.
        let node = node.referenceOnly ?? node
        var ignored = Evaluated()
        guard reporting else { return validate(node, value, &ignored, collect: false) }
        path.append(component)
        defer { path.removeLast() }
        return validate(node, value, &ignored, collect: false)
    }

    /// allOf, anyOf, oneOf, not, if/then/else.
    private func validateApplicators(_ node: SchemaNode, _ value: JSONValue, _ evaluated: inout Evaluated, collect: Bool) -> Bool {
        var valid = true
        for sub in node.allOf where !validate(sub, value, &evaluated, collect: collect) {
            if silent > 0 { return false }
            valid = false
        }
        if !node.anyOf.isEmpty {
            var matched = false
            for sub in node.anyOf {
                var branch = Evaluated()
                if quietly(sub, value, &branch, collect: collect) {
                    matched = true
                    evaluated.merge(branch)
                    if !collect { break }
                }
            }
            if !matched { valid = fail(node, "anyOf", "matches none of the \(node.anyOf.count) anyOf schemas", value) }
        }
        if !node.oneOf.isEmpty {
            var matches: [Int] = []
            for (i, sub) in node.oneOf.enumerated() {
                var branch = Evaluated()
                if quietly(sub, value, &branch, collect: collect) {
                    matches.append(i)
                    if matches.count == 1 { evaluated.merge(branch) } else { break }
                }
            }
            if matches.isEmpty {
                valid = fail(node, "oneOf", "matches none of the \(node.oneOf.count) oneOf schemas", value)
            } else if matches.count > 1 {
                valid = fail(node, "oneOf", "matches more than one oneOf schema (\(matches[0]) and \(matches[1]))", value)
            }
        }
        if let not = node.not {
            var ignored = Evaluated()
            if quietly(not, value, &ignored, collect: false) { valid = fail(node, "not", "must not match the schema under not", value) }
        }
        if let condition = node.ifNode {
            var branch = Evaluated()
            if quietly(condition, value, &branch, collect: collect) {
                evaluated.merge(branch)
                if let then = node.thenNode, !validate(then, value, &evaluated, collect: collect) { valid = false }
            } else if let otherwise = node.elseNode, !validate(otherwise, value, &evaluated, collect: collect) {
                valid = false
            }
        }
        return valid
    }
}
