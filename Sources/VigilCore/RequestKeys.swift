import VigilYAML

/// The entries of a request's mapping, sorted out in one pass over its keys.
///
/// A request has up to twenty possible keys; looking each up in turn cost a tenth of loading
/// a large collection. Unknown keys are logged here, with a hint.
struct RequestKeys {
    /// The request's entries; the fields below index into them (copying the pairs
    /// themselves cost a retain and a release of each node).
    private let pairs: [YAMLPair]
    /// One slot per ``Key`` (a test checks there are enough).
    static let slotCount = 32
    private var slots = InlineArray<32, Int16>(repeating: -1)
    /// Method keys present (index into the entries), in the order of ``CollectionLoader/methods``.
    private var methodSlots: [(method: String, index: Int)] = []

    enum Key: Int, CaseIterable {
        // `description` is documentation only: accepted, not decoded.
        case name, description, headers, query, json, form, body, file, expect, capture
        case when, retry, timeout, followRedirects, auth, requires, compressed, redirectCredentials, allowInsecureRedirect
        case continueOnFailure, tags, cookies, namespaces, multipart
        // WebSocket steps.
        case ws, receive, send, keepOpen, until
        // Iteration.
        case forEach, loopAs
    }

    subscript(_ key: Key) -> YAMLPair? {
        let i = slots[key.rawValue]
        return i < 0 ? nil : pairs[Int(i)]
    }

    var name: YAMLPair? { self[.name] }
    var description: YAMLPair? { self[.description] }
    var headers: YAMLPair? { self[.headers] }
    var query: YAMLPair? { self[.query] }
    var json: YAMLPair? { self[.json] }
    var form: YAMLPair? { self[.form] }
    var body: YAMLPair? { self[.body] }
    var file: YAMLPair? { self[.file] }
    var expect: YAMLPair? { self[.expect] }
    var capture: YAMLPair? { self[.capture] }
    var when: YAMLPair? { self[.when] }
    var retry: YAMLPair? { self[.retry] }
    var timeout: YAMLPair? { self[.timeout] }
    var followRedirects: YAMLPair? { self[.followRedirects] }
    var auth: YAMLPair? { self[.auth] }
    var requires: YAMLPair? { self[.requires] }
    var compressed: YAMLPair? { self[.compressed] }
    var redirectCredentials: YAMLPair? { self[.redirectCredentials] }
    var allowInsecureRedirect: YAMLPair? { self[.allowInsecureRedirect] }
    var continueOnFailure: YAMLPair? { self[.continueOnFailure] }
    var tags: YAMLPair? { self[.tags] }
    var cookies: YAMLPair? { self[.cookies] }
    var namespaces: YAMLPair? { self[.namespaces] }
    var multipart: YAMLPair? { self[.multipart] }
    var forEach: YAMLPair? { self[.forEach] }
    var loopVariable: YAMLPair? { self[.loopAs] }
    var isWebSocket: Bool { slots[Key.ws.rawValue] >= 0 || slots[Key.receive.rawValue] >= 0 }
    var hasBody: Bool { [Key.json, .form, .body, .file, .multipart].contains { slots[$0.rawValue] >= 0 } }

    /// Method keys present, in the order of ``CollectionLoader/methods``.
    var methods: [(method: String, pair: YAMLPair)] { methodSlots.map { ($0.method, pairs[$0.index]) } }
    var methodCount: Int { methodSlots.count }

    /// Nil (logged) when `node` is not a mapping.
    init?(_ node: YAMLNode, _ d: NodeDecoder) {
        guard let pairs = node.mapping else {
            d.log.error("a request must be a mapping, found \(node.kindName)", at: node.mark)
            return nil
        }
        self.pairs = pairs
        for (i, pair) in pairs.enumerated() {
            guard let key = pair.key.scalar?.text else {
                d.log.error("keys in a request must be plain text", at: pair.key.mark)
                continue
            }
            let slot: Key
            switch key {
            case "name": slot = .name
            case "description": slot = .description
            case "headers": slot = .headers
            case "query": slot = .query
            case "json": slot = .json
            case "form": slot = .form
            case "body": slot = .body
            case "file": slot = .file
            case "expect": slot = .expect
            case "capture": slot = .capture
            case "when": slot = .when
            case "retry": slot = .retry
            case "timeout": slot = .timeout
            case "followRedirects": slot = .followRedirects
            case "auth": slot = .auth
            case "requires": slot = .requires
            case "compressed": slot = .compressed
            case "redirectCredentials": slot = .redirectCredentials
            case "allowInsecureRedirect": slot = .allowInsecureRedirect
            case "continueOnFailure": slot = .continueOnFailure
            case "tags": slot = .tags
            case "cookies": slot = .cookies
            case "namespaces": slot = .namespaces
            case "multipart": slot = .multipart
            case "WS": slot = .ws
            case "receive": slot = .receive
            case "send": slot = .send
            case "keepOpen": slot = .keepOpen
            case "until": slot = .until
            case "forEach": slot = .forEach
            case "as": slot = .loopAs
            case "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS":
                methodSlots.append((key, i))
                continue
            default:
                d.log.error("unknown key '\(key)' in a request\(Suggestion.hint(for: key, among: CollectionLoader.requestKeys))", at: pair.key.mark)
                continue
            }
            slots[slot.rawValue] = Int16(clamping: i)
        }
        if methodSlots.count > 1 {
            let order = CollectionLoader.methods
            methodSlots.sort { order.firstIndex(of: $0.method)! < order.firstIndex(of: $1.method)! }
        }
    }

    /// The body keys present, in the order `json`, `form`, `body`, `file`, `multipart`.
    var bodies: [(kind: String, pair: YAMLPair)] {
        [("json", json), ("form", form), ("body", body), ("file", file), ("multipart", multipart)].compactMap { kind, pair in pair.map { (kind, $0) } }
    }
}
