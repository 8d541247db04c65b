import VigilYAML

/// A WebSocket step: opens a connection (`WS:`), sends messages and checks the replies, or waits
/// on a connection an earlier step kept open (`receive:`) until a message matches.
public struct WebSocketStep: Sendable {
    /// The connection this step waits on (`receive:`); nil for a step that opens one.
    public var receive: String?
    /// Messages to send, in order: JSON templates (a string is sent as text).
    public var send: [TemplateTree] = []
    /// One entry per expected reply, in order: JSONPath → matcher, like `expect.body`.
    public var expect: [[BodyExpectation]] = []
    /// For `receive:`: messages are read until one satisfies all of these (the first, when empty).
    public var until: [BodyExpectation] = []
    /// The name the connection stays open under (until the end of the collection).
    public var keepOpen: String?

    public init() {}
}

extension CollectionLoader {
    static let webSocketKeys = ["name", "description", "headers", "send", "expect", "capture", "keepOpen", "when", "timeout", "auth", "requires"]
    static let receiveKeys = ["name", "description", "until", "capture", "when", "timeout", "requires"]

    /// A step with `WS:` or `receive:`, after checking it has no method key and not both.
    static func webSocketStep(_ node: YAMLNode, _ keys: RequestKeys, _ d: NodeDecoder) -> RequestSpec? {
        if keys[.ws] != nil, let receive = keys[.receive] {
            d.log.error("a step either opens a connection (WS:) or waits on one (receive:), not both", at: receive.key.mark)
            return nil
        }
        if let m = keys.methods.first {
            d.log.error("a WebSocket step has no HTTP method; found \(m.method)", at: m.pair.key.mark)
            return nil
        }
        return webSocketRequest(node, keys, d)
    }

    /// `send`, `keepOpen` and `until` in an HTTP request.
    static func rejectWebSocketKeys(_ keys: RequestKeys, _ d: NodeDecoder) {
        for key in [RequestKeys.Key.send, .keepOpen, .until] {
            if let pair = keys[key] {
                d.log.error("'\(pair.key.scalar?.text ?? "")' belongs to a WebSocket step (WS: or receive:)", at: pair.key.mark)
            }
        }
    }

    /// A `WS:` or `receive:` step.
    static func webSocketRequest(_ node: YAMLNode, _ keys: RequestKeys, _ d: NodeDecoder) -> RequestSpec? {
        let opening = keys[.ws] != nil
        let allowed = opening ? webSocketKeys : receiveKeys
        for pair in node.mapping ?? [] {
            // Unknown keys were reported already (RequestKeys); here, keys of requests that do not apply.
            guard let key = pair.key.scalar?.text, requestKeys.contains(key), key != "WS", key != "receive", !allowed.contains(key) else { continue }
            let what = opening ? "a WS step" : "a receive step"
            d.log.error("'\(key)' does not apply to \(what)\(Suggestion.hint(for: key, among: allowed))", at: pair.key.mark)
        }
        var step = WebSocketStep()
        let spec: RequestSpec
        if let pair = keys[.ws] {
            guard let url = d.template(pair.value, "the URL") else { return nil }
            let name = keys.name.flatMap { d.scalarText($0.value, "name") } ?? "WS \(url.source)"
            spec = RequestSpec(name: name, mark: node.mark, method: "WS", url: url, urlMark: pair.value.mark)
        } else {
            guard let pair = keys[.receive], let connection = d.scalarText(pair.value, "receive") else { return nil }
            step.receive = connection
            let name = keys.name.flatMap { d.scalarText($0.value, "name") } ?? "receive \(connection)"
            spec = RequestSpec(name: name, mark: node.mark, method: "RECEIVE", url: Template(literal: connection), urlMark: pair.value.mark)
        }
        var r = spec
        r.description = keys.description.flatMap { d.string($0.value, "description") }
        if opening {
            if let n = keys.headers?.value { r.headers = headers(n, d) }
            if let n = keys[.send]?.value {
                for item in d.list(n) { if let t = d.tree(item) { step.send.append(t) } }
            }
            if let n = keys.expect?.value {
                for item in d.list(n) { step.expect.append(messageChecks(item, d, "each expect entry")) }
            }
            if let n = keys[.keepOpen]?.value { step.keepOpen = d.scalarText(n, "keepOpen") }
            if let n = keys.auth?.value { r.auth = auth(n, d) }
        } else if let n = keys[.until]?.value {
            step.until = messageChecks(n, d, "until")
        }
        if let n = keys.capture?.value { r.captures = captures(n, d) }
        if let n = keys.when?.value { r.when = conditions(n, d) }
        if let n = keys.timeout?.value { r.timeout = d.duration(n, "timeout") }
        if let n = keys.requires?.value { r.requires = d.releaseRange(n) }
        for c in r.captures {
            if let m = c.message, m < 1 || (opening && m > step.expect.count) {
                let range = opening ? "1 to \(step.expect.count), one per expect entry" : "1"
                d.log.error("capture '\(c.name)': message \(m) is out of range (\(range))", at: c.mark)
            }
        }
        r.webSocket = step
        return r
    }

    /// A mapping of JSONPath to matcher that one message must satisfy.
    static func messageChecks(_ node: YAMLNode, _ d: NodeDecoder, _ what: String) -> [BodyExpectation] {
        guard let pairs = node.mapping else {
            d.log.error("\(what) must be a mapping of JSONPath to expected value, e.g. { commandId: 1, status: 200 }", at: node.mark)
            return []
        }
        var out: [BodyExpectation] = []
        for pair in pairs {
            let (gate, value) = d.splitGate(pair.value)
            guard let path = d.jsonPath(pair.key, "a message path"), let m = d.matcher(value) else { continue }
            out.append(BodyExpectation(path: path, matcher: m, mark: pair.key.mark, requires: gate))
        }
        return out
    }

    /// `receive:` must name a connection an earlier step keeps open (`keepOpen:`); `open` is
    /// the names kept open by the steps before `r`.
    static func checkConnection(_ r: RequestSpec, open: inout [String], _ d: NodeDecoder) {
        guard let step = r.webSocket else { return }
        if let name = step.receive, !open.contains(name) {
            let known = open.isEmpty ? " (no earlier step has keepOpen:)" : Suggestion.hint(for: name, among: open)
            d.log.error("receive: '\(name)' is not a connection an earlier step keeps open\(known)", at: r.urlMark)
        }
        if let name = step.keepOpen { open.append(name) }
    }
}
