import VigilJSON

/// An OpenAPI 3.0 or 3.1 description, read for conformance checks: its operations (method and
/// path template, tags), the path prefixes of its servers, and where each response's schema is.
///
/// Read from a `JSONValue` (the caller parses JSON or YAML) rather than through OpenAPIKit:
/// OpenAPIKit decodes through Foundation's `Codable` into its own model, while the checks need
/// the document as a `JSONValue` anyway (VigilSchema compiles a response's schema straight
/// from its place in the document, `$ref`s included), and only this small index of it.
public struct OpenAPIDescription: Sendable {
    /// One operation: a method on a path template.
    public struct Operation: Sendable, Hashable, CustomStringConvertible {
        /// Upper case: `GET`.
        public var method: String
        /// As written in `paths`: `/cameras/{id}`.
        public var path: String
        public var operationId: String?
        public var tags: [String]
        /// JSON pointer of the operation object: `/paths/~1cameras~1{id}/get`.
        public var pointer: String
        /// Response keys as written (`200`, `2XX`, `default`), each with the JSON pointer of its
        /// response object (`$ref`s followed).
        public var responses: [(key: String, pointer: String)]

        public var description: String { "\(method) \(path)" }

        public static func == (a: Self, b: Self) -> Bool { a.pointer == b.pointer }
        public func hash(into hasher: inout Hasher) { hasher.combine(pointer) }

        /// The path's segments, split once (matched against every request).
        let segments: [Substring]

        init(method: String, path: String, operationId: String?, tags: [String], pointer: String, responses: [(key: String, pointer: String)]) {
            self.method = method
            self.path = path
            self.operationId = operationId
            self.tags = tags
            self.pointer = pointer
            self.responses = responses
            segments = path.split(separator: "/", omittingEmptySubsequences: true)
        }

        /// The literal segments count: a path with more wins over one with more templates.
        var literalCount: Int { segments.filter { !$0.contains("{") }.count }
    }

    /// What a response's status and media type mean under an operation.
    public enum ResponseMatch: Sendable, Equatable {
        /// Declared; `schemaPointer` is the JSON pointer of the body's schema, nil when the
        /// response declares no content (or none for this media type, see `undeclaredMediaType`).
        case declared(key: String, schemaPointer: String?)
        /// The status is not among the operation's responses (and there is no `default`).
        case undeclaredStatus(declared: [String])
        /// The status is declared with content, but not of this media type.
        case undeclaredMediaType(key: String, declared: [String])
    }

    /// The whole document, for compiling schemas from it.
    public let document: JSONValue
    /// `openapi` as written (`3.0.1`, `3.1.0`).
    public let version: String
    /// Path prefixes of the servers (`/api/rest/v1`), longest first; `""` when none are given.
    public let serverPaths: [String]
    public let operations: [Operation]

    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    public init(_ document: JSONValue) throws(SchemaError) {
        guard case .object = document, let version = document["openapi"]?.stringValue else {
            throw .invalidSchema(location: "#", message: "not an OpenAPI description (no 'openapi' version)")
        }
        guard version.hasPrefix("3.") else { throw .invalidSchema(location: "#/openapi", message: "OpenAPI \(version) is not supported (3.0 and 3.1 are)") }
        self.document = document
        self.version = version
        var prefixes = Set<String>()
        for server in document["servers"]?.arrayValue ?? [] {
            guard let url = server["url"]?.stringValue else { continue }
            prefixes.insert(Self.pathPrefix(of: url, variables: server["variables"]))
        }
        serverPaths = prefixes.isEmpty ? [""] : prefixes.sorted { $0.count > $1.count }
        var operations: [Operation] = []
        if case .object(let paths)? = document["paths"] {
            for (path, item) in paths {
                let itemPointer = "/paths/" + Self.escape(path)
                let pathTags: [String] = []
                for method in Self.methods {
                    guard let op = item[method], case .object = op else { continue }
                    let pointer = itemPointer + "/" + method
                    var responses: [(String, String)] = []
                    if case .object(let rs)? = op["responses"] {
                        for (key, _) in rs {
                            responses.append((key, Self.followRef(pointer + "/responses/" + Self.escape(key), in: document)))
                        }
                    }
                    operations.append(
                        Operation(
                            method: method.uppercased(), path: path, operationId: op["operationId"]?.stringValue,
                            tags: (op["tags"]?.arrayValue?.compactMap(\.stringValue)) ?? pathTags, pointer: pointer,
                            responses: responses))
                }
            }
        }
        // More literal segments first: `/cameras/count` before `/cameras/{id}`.
        self.operations = operations.sorted { $0.literalCount > $1.literalCount }
    }

    /// The operation a request's method and URL path (no query) fall under, if any.
    public func operation(method: String, path: String) -> Operation? {
        let method = method.uppercased()
        for prefix in serverPaths {
            guard let rest = Self.strip(prefix, from: path) else { continue }
            let segments = rest.split(separator: "/", omittingEmptySubsequences: true)
            if let op = operations.first(where: { $0.method == method && Self.matches($0.segments, segments) }) { return op }
        }
        return nil
    }

    /// What `status` and `mediaType` (lower case, no parameters; nil without a body) mean for `operation`.
    public func response(of operation: Operation, status: Int, mediaType: String?) -> ResponseMatch {
        let exact = String(status)
        let range = "\(status / 100)XX"
        guard
            let chosen = operation.responses.first(where: { $0.key == exact })
                ?? operation.responses.first(where: { $0.key.uppercased() == range })
                ?? operation.responses.first(where: { $0.key == "default" })
        else { return .undeclaredStatus(declared: operation.responses.map(\.key)) }
        guard case .object(let content)? = value(at: chosen.pointer)?["content"], !content.isEmpty else {
            return .declared(key: chosen.key, schemaPointer: nil)
        }
        guard let mediaType else { return .declared(key: chosen.key, schemaPointer: nil) }
        let major = mediaType.split(separator: "/").first.map { "\($0)/*" } ?? "*/*"
        let keys = content.keys
        guard
            let key = keys.first(where: { $0.lowercased() == mediaType }) ?? keys.first(where: { $0.lowercased() == major })
                ?? keys.first(where: { $0 == "*/*" })
        else { return .undeclaredMediaType(key: chosen.key, declared: keys) }
        let pointer = chosen.pointer + "/content/" + Self.escape(key) + "/schema"
        return .declared(key: chosen.key, schemaPointer: value(at: pointer) == nil ? nil : pointer)
    }

    /// The value at a JSON pointer of the document.
    public func value(at pointer: String) -> JSONValue? { Self.value(at: pointer, in: document) }

    static func value(at pointer: String, in document: JSONValue) -> JSONValue? {
        var current = document
        for token in pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            let key = String(token).replacing("~1", with: "/").replacing("~0", with: "~")
            switch current {
            case .object(let o):
                guard let next = o[key] else { return nil }
                current = next
            case .array(let items):
                guard let i = Int(key), items.indices.contains(i) else { return nil }
                current = items[i]
            default:
                return nil
            }
        }
        return current
    }

    /// Follows local `$ref`s (`#/components/responses/Error`) from `pointer`, at most 16 times.
    static func followRef(_ pointer: String, in document: JSONValue) -> String {
        var pointer = pointer
        for _ in 0..<16 {
            guard let ref = value(at: pointer, in: document)?["$ref"]?.stringValue, ref.hasPrefix("#") else { break }
            pointer = String(ref.dropFirst())
        }
        return pointer
    }

    /// A JSON pointer token: `~` → `~0`, `/` → `~1`.
    public static func escape(_ token: String) -> String {
        token.replacing("~", with: "~0").replacing("/", with: "~1")
    }

    /// The path of a server URL (`https://{host}/api/rest/v1` → `/api/rest/v1`), variables
    /// replaced by their defaults, without a trailing slash.
    static func pathPrefix(of url: String, variables: JSONValue?) -> String {
        var url = url
        if case .object(let vars)? = variables {
            for (name, v) in vars { url = url.replacing("{\(name)}", with: v["default"]?.stringValue ?? "") }
        }
        if let scheme = url.firstRange(of: "://") {
            let afterAuthority = url[scheme.upperBound...].firstIndex(of: "/") ?? url.endIndex
            url = String(url[afterAuthority...])
        }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    static func strip(_ prefix: String, from path: String) -> Substring? {
        guard !prefix.isEmpty else { return Substring(path) }
        guard path.lowercased().hasPrefix(prefix.lowercased()) else { return nil }
        let rest = path.dropFirst(prefix.count)
        return rest.isEmpty || rest.hasPrefix("/") ? rest : nil
    }

    /// Template segments (`{id}`, `{id}.json`) against a path's segments.
    static func matches(_ template: [Substring], _ path: [Substring]) -> Bool {
        guard template.count == path.count else { return false }
        for (t, p) in zip(template, path) {
            guard let open = t.firstIndex(of: "{"), let close = t[open...].firstIndex(of: "}") else {
                if t != p { return false }
                continue
            }
            let head = t[..<open], tail = t[t.index(after: close)...]
            guard p.hasPrefix(head), p.hasSuffix(tail), p.count > head.count + tail.count else { return false }
        }
        return true
    }
}
