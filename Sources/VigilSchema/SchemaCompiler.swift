import VigilJSON

/// Loads the document at an absolute URI (without fragment) for a `$ref` to another file.
public typealias SchemaLoader = (String) throws -> JSONValue

/// The compiled form of a schema and everything it references.
final class SchemaProgram: Sendable {
    let nodes: [SchemaNode]
    let resources: [SchemaResource]
    let documents: [SchemaDocument]
    let root: Int
    let options: SchemaOptions

    init(nodes: [SchemaNode], resources: [SchemaResource], documents: [SchemaDocument], root: Int, options: SchemaOptions) {
        self.nodes = nodes
        self.resources = resources
        self.documents = documents
        self.root = root
        self.options = options
    }
}

/// Turns schema documents into `SchemaNode`s and resolves their references.
final class SchemaCompiler {
    var nodes: [SchemaNode] = []
    var resources: [SchemaResource] = []
    var documents: [SchemaDocument] = []
    /// "documentURI#pointer" → node index.
    var byLocation: [String: Int] = [:]
    /// Resource URI (no fragment) → resource index.
    var resourceByURI: [String: Int] = [:]
    /// "resourceURI#anchor" → node index.
    var anchors: [String: Int] = [:]
    /// Nodes whose references still need resolving.
    var pending: [Int] = []
    let options: SchemaOptions
    let loader: SchemaLoader?

    /// Deepest schema nesting compiled (documents parsed by VigilJSON stop at 512).
    static let maximumNesting = 200

    init(options: SchemaOptions, loader: SchemaLoader?) {
        self.options = options
        self.loader = loader
    }

    /// Compiles `value` as the document at `uri` and returns the node at `entry` (a fragment
    /// such as `#/components/schemas/Camera`, or the root).
    func compileRoot(_ value: JSONValue, uri: String, entry: String?) throws(SchemaError) -> SchemaProgram {
        let resource = try addDocument(value, uri: uri)
        var root = resources[resource].root
        if let entry, entry != "#", !entry.isEmpty {
            root = try resolve(entry, base: uri, from: uri + "#")
        }
        try resolvePending()
        for node in nodes
        where node.boolean == nil && !node.hasAssertions && !node.hasApplicators && !node.hasArrayKeywords
            && !node.hasObjectKeywords && node.dynamicRef == nil
            && resources[node.resource].dynamicAnchors.isEmpty
        {
            if let target = node.ref?.target { node.referenceOnly = nodes[target] }
        }
        return SchemaProgram(nodes: nodes, resources: resources, documents: documents, root: root, options: options)
    }

    /// Adds a document and compiles it from its root; returns its root resource.
    @discardableResult
    func addDocument(_ value: JSONValue, uri: String) throws(SchemaError) -> Int {
        let draft = options.draft ?? SchemaDraft.declared(by: value) ?? .draft2020_12
        documents.append(SchemaDocument(uri: uri, value: value, draft: draft))
        let resource = addResource(uri: uri, document: documents.count - 1, pointer: "")
        let node = try compile(value, pointer: "", document: documents.count - 1, resource: resource, depth: 0)
        resources[resource].root = node
        return resource
    }

    func addResource(uri: String, document: Int, pointer: String) -> Int {
        resources.append(SchemaResource(uri: uri, document: document, pointer: pointer, root: -1))
        let index = resources.count - 1
        if resourceByURI[uri] == nil { resourceByURI[uri] = index }
        return index
    }

    /// Compiles one schema value; returns its node index.
    func compile(_ value: JSONValue, pointer: String, document: Int, resource: Int, depth: Int) throws(SchemaError) -> Int {
        let docURI = documents[document].uri
        guard depth < Self.maximumNesting else {
            throw .invalidSchema(location: docURI + "#" + pointer, message: "nested deeper than \(Self.maximumNesting) levels")
        }
        if let existing = byLocation[docURI + "#" + pointer] { return existing }
        switch value {
        case .bool(let b):
            let node = SchemaNode(pointer: pointer, document: document, resource: resource)
            node.boolean = b
            return register(node, location: docURI + "#" + pointer)
        case .object(let object):
            var resource = resource
            let draft = documents[document].draft
            if draft != .openAPI30, let id = object["$id"]?.stringValue {
                let base = resources[resource].uri
                let resolved = URIReference(base).resolving(id)
                if draft == .draft7, id.hasPrefix("#") {
                    anchors[URIReference(base).withoutFragment + "#" + (resolved.fragment ?? "")] = nodes.count
                } else {
                    if let fragment = resolved.fragment, !fragment.isEmpty {
                        throw .invalidSchema(location: docURI + "#" + pointer + "/$id", message: "$id must not have a fragment")
                    }
                    resource = addResource(uri: resolved.withoutFragment, document: document, pointer: pointer)
                    resources[resource].root = nodes.count
                }
            }
            let node = SchemaNode(pointer: pointer, document: document, resource: resource)
            let index = register(node, location: docURI + "#" + pointer)
            try readKeywords(object, into: node, index: index, draft: draft, depth: depth)
            return index
        default:
            throw .invalidSchema(location: docURI + "#" + pointer, message: "a schema must be an object or a boolean, found \(value.typeName)")
        }
    }

    private func register(_ node: SchemaNode, location: String) -> Int {
        nodes.append(node)
        byLocation[location] = nodes.count - 1
        return nodes.count - 1
    }

    /// Compiles a subschema of `node` under `keyword` (and `token`).
    func child(_ value: JSONValue, of node: SchemaNode, _ keyword: String, _ token: String? = nil, depth: Int) throws(SchemaError) -> SchemaNode {
        var pointer = node.pointer + "/" + JSONPointer.escape(keyword)
        if let token { pointer += "/" + JSONPointer.escape(token) }
        let index = try compile(value, pointer: pointer, document: node.document, resource: node.resource, depth: depth + 1)
        return nodes[index]
    }

    func location(_ node: SchemaNode, _ keyword: String) -> String {
        documents[node.document].uri + "#" + node.pointer + "/" + keyword
    }

    // MARK: References

    func resolvePending() throws(SchemaError) {
        while let index = pending.popLast() {
            let node = nodes[index]
            let from = documents[node.document].uri + "#" + node.pointer
            let base = resources[node.resource].uri
            if var ref = node.ref {
                ref.target = try resolve(ref.uri, base: base, from: from + "/$ref")
                node.ref = ref
                node.refTarget = ref.target
            }
            if var ref = node.dynamicRef {
                ref.target = try resolve(ref.uri, base: base, from: from + "/$dynamicRef")
                let fragment = URIReference(ref.uri).fragment ?? ""
                if !fragment.isEmpty, !fragment.hasPrefix("/"), nodes[ref.target].dynamicAnchorName == fragment {
                    ref.dynamicAnchor = fragment
                }
                node.dynamicRef = ref
                node.dynamicRefTarget = ref.target
            }
        }
    }

    /// The node a reference names, loading and compiling documents as needed.
    func resolve(_ reference: String, base: String, from: String) throws(SchemaError) -> Int {
        let uri = URIReference(base).resolving(reference)
        let resourceURI = uri.withoutFragment
        let fragment = percentDecoded(uri.fragment ?? "")
        let resource: Int
        if let known = resourceByURI[resourceURI] {
            resource = known
        } else {
            guard let loader else { throw .unresolvedReference(reference: reference, location: from) }
            let value: JSONValue
            do {
                value = try loader(resourceURI)
            } catch SchemaError.loadFailed(let uri, let message) {
                throw .loadFailed(uri: uri, message: message + " (referenced at \(from))")
            } catch let error as SchemaError {
                throw error
            } catch {
                throw .loadFailed(uri: resourceURI, message: "\(error)")
            }
            resource = try addDocument(value, uri: resourceURI)
        }
        if fragment.isEmpty { return resources[resource].root }
        if !fragment.hasPrefix("/") {
            guard let anchored = anchors[resourceURI + "#" + fragment] else {
                throw .unresolvedReference(reference: reference, location: from)
            }
            return anchored
        }
        let res = resources[resource]
        let document = documents[res.document]
        let pointer = res.pointer + fragment
        if let known = byLocation[document.uri + "#" + pointer] { return known }
        guard let tokens = JSONPointer.tokens(pointer), let value = JSONPointer.resolve(tokens, in: document.value) else {
            throw .unresolvedReference(reference: reference, location: from)
        }
        return try compile(value, pointer: pointer, document: res.document, resource: resource, depth: 0)
    }
}
