import VigilYAML

/// The entries of a request's mapping, sorted out in one pass over its keys.
///
/// A request has up to twenty possible keys; looking each up in turn cost a tenth of loading
/// a large collection. Unknown keys are logged here, with a hint.
struct RequestKeys {
    /// `description` is documentation only: accepted, not decoded.
    var name, description, headers, query, json, form, body, file, expect, capture: YAMLPair?
    var when, retry, timeout, followRedirects, auth, requires: YAMLPair?
    /// Method keys present, in the order of ``CollectionLoader/methods``.
    var methods: [(method: String, pair: YAMLPair)] = []

    /// Nil (logged) when `node` is not a mapping.
    init?(_ node: YAMLNode, _ d: NodeDecoder) {
        guard let pairs = node.mapping else {
            d.log.error("a request must be a mapping, found \(node.kindName)", at: node.mark)
            return nil
        }
        for pair in pairs {
            guard let key = pair.key.scalar?.text else {
                d.log.error("keys in a request must be plain text", at: pair.key.mark)
                continue
            }
            switch key {
            case "name": name = pair
            case "description": description = pair
            case "headers": headers = pair
            case "query": query = pair
            case "json": json = pair
            case "form": form = pair
            case "body": body = pair
            case "file": file = pair
            case "expect": expect = pair
            case "capture": capture = pair
            case "when": when = pair
            case "retry": retry = pair
            case "timeout": timeout = pair
            case "followRedirects": followRedirects = pair
            case "auth": auth = pair
            case "requires": requires = pair
            case "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS": methods.append((key, pair))
            default:
                d.log.error("unknown key '\(key)' in a request\(Suggestion.hint(for: key, among: CollectionLoader.requestKeys))", at: pair.key.mark)
            }
        }
        if methods.count > 1 {
            let order = CollectionLoader.methods
            methods.sort { order.firstIndex(of: $0.method)! < order.firstIndex(of: $1.method)! }
        }
    }

    /// The body keys present, in the order `json`, `form`, `body`, `file`.
    var bodies: [(kind: String, pair: YAMLPair)] {
        [("json", json), ("form", form), ("body", body), ("file", file)].compactMap { kind, pair in pair.map { (kind, $0) } }
    }
}
