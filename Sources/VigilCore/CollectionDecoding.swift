import VigilJSON
import VigilYAML

/// Loads collections from YAML, reporting every mistake of a file together.
public enum CollectionLoader {
    static let collectionKeys = [
        "name", "description", "requires", "variables", "defaults", "auth", "requests", "finally", "normalize", "continueOnFailure", "tags",
        "cookies", "data",
    ]
    static let requestKeys =
        [
            "name", "description", "headers", "query", "json", "form", "body", "file", "expect", "capture",
            "when", "retry", "timeout", "followRedirects", "auth", "requires", "compressed",
            "redirectCredentials", "allowInsecureRedirect", "continueOnFailure", "tags", "cookies", "namespaces", "multipart",
            "WS", "receive", "send", "keepOpen", "until", "forEach", "as",
        ] + methods
    static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    static let defaultsKeys = ["headers", "query", "timeout", "followRedirects", "compressed", "namespaces"]
    static let retryKeys = ["until", "failWhen", "interval", "backoff", "timeout", "onTransportError", "anyMethod"]

    /// Decodes a collection from YAML text. Throws every error of the file as one ``LoadError``.
    public static func load(_ text: String, file: String) throws(LoadError) -> CollectionFile {
        var bytes = Array(text.utf8)
        return try load(bytes: &bytes, file: file)
    }

    /// Decodes a collection from the bytes of a file (UTF-8; invalid bytes are a load error).
    public static func load(bytes: inout [UInt8], file: String) throws(LoadError) -> CollectionFile {
        try read(YAMLSource(bytes: bytes, file: file), keep: true)
    }

    /// Decodes and checks a collection like ``load(bytes:file:)`` but keeps only the facts of
    /// its requests (``RequestFacts``), not the requests: a run reads them again from the file
    /// as it goes (``CollectionFile/stream``). For `vigil run` and `vigil validate`, so that
    /// a collection's size costs time, not memory.
    public static func scan(bytes: [UInt8], file: String) throws(LoadError) -> CollectionFile {
        try read(YAMLSource(bytes: bytes, file: file), keep: false)
    }

    /// ``scan(bytes:file:)`` of a file's bytes already in a ``YAMLSource``. Fragments it
    /// includes must be inside `root` (nil: the file's folder) or one of the `allowed` folders.
    /// A collection with `include:` or `forEach:` steps is kept in memory (they are expanded
    /// and grouped as it loads).
    public static func scan(_ source: YAMLSource, root: String? = nil, allowed: [String] = []) throws(LoadError) -> CollectionFile {
        try read(source, keep: false, root: root, allowed: allowed)
    }

    /// The root keys whose requests are decoded one at a time, as the parser reaches them.
    static let streamedKeys: Set<String> = ["requests", "finally"]

    private static func read(_ source: YAMLSource, keep: Bool, root bound: String? = nil, allowed: [String] = []) throws(LoadError) -> CollectionFile {
        let file = source.file
        let empty = "the file is empty; a collection needs at least 'requests'"
        let log = DiagnosticLog(file: file)
        let d = NodeDecoder(log: log)
        // A large file is parsed on a second thread while this one decodes.
        let reader: any YAMLItemSource =
            YAMLReadAhead.isWorthwhile(bytes: source.count)
            ? YAMLReadAhead(source: source, streaming: streamedKeys)
            : YAMLItemReader(source: source, streaming: streamedKeys)
        var requests: [RequestSpec] = [], finally: [RequestSpec] = []
        var counts = (requests: 0, finally: 0)
        var facts = RequestFacts()
        var connections: [String] = []
        let includes = IncludeExpander(collectionFile: file, root: bound, allowed: allowed)
        // Includes and loops are expanded and grouped in memory: such a collection is not streamed.
        var needsMemory = false
        do {
            while let item = try reader.next() {
                let section: RequestSection = item.key == "finally" ? .finally : .requests
                let specs: [RequestSpec]
                if IncludeExpander.isInclude(item.node) {
                    needsMemory = true
                    specs = includes.expand(item.node, d, chain: [], prefix: [], loops: [])
                } else {
                    guard let spec = request(item.node, d) else { continue }
                    if !spec.loops.isEmpty { needsMemory = true }
                    specs = [spec]
                }
                for spec in specs {
                    checkConnection(spec, open: &connections, d)
                    switch section {
                    case .requests: counts.requests += 1
                    case .finally: counts.finally += 1
                    }
                    if keep {
                        if section == .requests { requests.append(spec) } else { finally.append(spec) }
                    } else {
                        facts.add(spec, section: section)
                    }
                }
            }
        } catch {
            throw LoadError([Diagnostic(file: file, mark: error.mark, message: error.message)])
        }
        guard let root = reader.document, root.scalar?.resolved != .null else {
            throw LoadError([Diagnostic(file: file, mark: Mark(line: 1, column: 1), message: empty)])
        }
        guard var collection = decode(root, d), !log.hasErrors else { throw LoadError(log.diagnostics.sortedByPlace) }
        // A collection that sends nothing would pass without testing anything.
        if counts.requests + counts.finally == 0, let key = root.mapping?.first(where: { $0.key.scalar?.text == "requests" }) {
            throw LoadError([Diagnostic(file: file, mark: key.value.mark, message: "the collection has no requests: a run of it would test nothing")])
        }
        if needsMemory, !keep { return try read(source, keep: true, root: bound, allowed: allowed) }
        if keep {
            collection.requests = requests
            collection.finally = finally
        } else {
            collection.stream = RequestStream(source: source, requestCount: counts.requests, finallyCount: counts.finally, facts: facts)
        }
        return collection
    }

    /// The document's root node; an empty document or a YAML error is a ``LoadError``.
    static func loadRoot(_ bytes: inout [UInt8], file: String, empty: String) throws(LoadError) -> YAMLNode {
        let root: YAMLNode?
        do {
            root = try YAMLLoader().load(bytes: &bytes, file: file)
        } catch {
            throw LoadError([Diagnostic(file: file, mark: error.mark, message: error.message)])
        }
        guard let root else { throw LoadError([Diagnostic(file: file, mark: Mark(line: 1, column: 1), message: empty)]) }
        return root
    }

    static func decode(_ root: YAMLNode, _ d: NodeDecoder) -> CollectionFile? {
        guard let keys = d.mapping(root, "a collection", allowed: collectionKeys) else { return nil }
        d.checkNumbers(root, skipping: ["requests", "finally"])
        let fileName = PathName(path: d.file).lastComponentWithoutExtension
        var c = CollectionFile(file: d.file, name: keys["name"].flatMap { d.string($0.value, "name") } ?? fileName)
        c.description = keys["description"].flatMap { d.string($0.value, "description") }
        if let n = keys["variables"]?.value { c.variables = variables(n, d) }
        if let n = keys["defaults"]?.value { c.defaults = defaults(n, d) }
        if let n = keys["auth"]?.value { c.auth = auth(n, d) }
        if let n = keys["requires"]?.value { c.requires = d.releaseRange(n) }
        if let n = keys["normalize"]?.value { c.normalize = normalizationRules(n, d) }
        if let n = keys["continueOnFailure"]?.value { c.continueOnFailure = d.bool(n, "continueOnFailure") ?? false }
        if let n = keys["tags"]?.value { c.tags = d.tags(n) }
        if let n = keys["cookies"]?.value { c.cookies = d.bool(n, "cookies") ?? true }
        if let n = keys["data"]?.value, let path = d.string(n, "data") { c.data = (path, n.mark) }
        if let n = keys["requests"]?.value {
            c.requests = requests(n, d, "requests")
        } else {
            d.log.error("a collection needs 'requests', a list of requests", at: root.mark)
        }
        if let n = keys["finally"]?.value { c.finally = requests(n, d, "finally") }
        var connections: [String] = []
        for r in c.requests + c.finally { checkConnection(r, open: &connections, d) }
        return c
    }

    static func variables(_ node: YAMLNode, _ d: NodeDecoder) -> [(name: String, value: TemplateTree)] {
        guard let pairs = node.mapping else {
            d.log.error("variables must be a mapping of name to value", at: node.mark)
            return []
        }
        var out: [(name: String, value: TemplateTree)] = []
        for pair in pairs {
            guard let name = d.scalarText(pair.key, "a variable name") else { continue }
            guard Template.isIdentifier(name, allowDots: true) else {
                d.log.error("'\(name)' is not a variable name (letters, digits, '_', '-', '.')", at: pair.key.mark)
                continue
            }
            if let v = d.tree(pair.value) { out.append((name, v)) }
        }
        return out
    }

    /// `normalize: { "$..lastModified": "<time>" }`: JSONPath → marker.
    static func normalizationRules(_ node: YAMLNode, _ d: NodeDecoder) -> [NormalizationRule] {
        guard let pairs = node.mapping else {
            d.log.error("normalize must be a mapping of JSONPath to marker text", at: node.mark)
            return []
        }
        return pairs.compactMap { pair in
            guard let path = d.jsonPath(pair.key, "a normalize path"), let marker = d.scalarText(pair.value, "a marker") else { return nil }
            return NormalizationRule(path: path, marker: marker)
        }
    }

    static func defaults(_ node: YAMLNode, _ d: NodeDecoder) -> RequestDefaults {
        var r = RequestDefaults()
        guard let keys = d.mapping(node, "defaults", allowed: defaultsKeys) else { return r }
        if let n = keys["headers"]?.value { r.headers = headers(n, d) }
        if let n = keys["query"]?.value { r.query = query(n, d) }
        if let n = keys["timeout"]?.value { r.timeout = d.duration(n, "timeout") }
        if let n = keys["followRedirects"]?.value { r.followRedirects = d.bool(n, "followRedirects") }
        if let n = keys["compressed"]?.value { r.compressed = d.bool(n, "compressed") }
        if let n = keys["namespaces"]?.value { r.namespaces = d.namespaces(n) }
        return r
    }

    static func auth(_ node: YAMLNode, _ d: NodeDecoder) -> AuthChoice {
        guard let name = d.string(node, "auth") else { return .inherit }
        return name == "none" ? .none : .profile(name, node.mark)
    }

    static func headers(_ node: YAMLNode, _ d: NodeDecoder) -> [HeaderTemplate] {
        guard let pairs = node.mapping else {
            d.log.error("headers must be a mapping of name to value", at: node.mark)
            return []
        }
        return pairs.compactMap { pair in
            guard let name = d.scalarText(pair.key, "a header name"), let value = d.template(pair.value, "header '\(name)'") else { return nil }
            if !HeaderText.isName(name) {
                d.log.error(
                    "'\(HeaderText.shown(name))' is not a header name: a name is letters, digits and !#$%&'*+-.^_`|~ (no spaces, colons or placeholders)",
                    at: pair.key.mark)
                return nil
            }
            if let text = pair.value.scalar?.text, HeaderText.hasControl(text) {
                d.log.error("header '\(name)' holds a control character (\(HeaderText.shown(text))); a header value cannot", at: pair.value.mark)
                return nil
            }
            return HeaderTemplate(name: name, value: value)
        }
    }

    /// `query:` as a mapping; a null value is a value-less flag (`tasks:` gives `?tasks`).
    static func query(_ node: YAMLNode, _ d: NodeDecoder) -> [QueryTemplate] {
        guard let pairs = node.mapping else {
            d.log.error("query must be a mapping of name to value (an empty value is a flag)", at: node.mark)
            return []
        }
        return pairs.compactMap { pair in
            guard let name = d.scalarText(pair.key, "a query name") else { return nil }
            if pair.value.scalar?.resolved == .null { return QueryTemplate(name: name, value: nil) }
            guard let value = d.template(pair.value, "query '\(name)'") else { return nil }
            return QueryTemplate(name: name, value: value)
        }
    }

    static func requests(_ node: YAMLNode, _ d: NodeDecoder, _ section: String) -> [RequestSpec] {
        guard let items = node.sequence else {
            d.log.error("'\(section)' must be a list of requests", at: node.mark)
            return []
        }
        var out: [RequestSpec] = []
        out.reserveCapacity(items.count)
        for item in items { if let r = request(item, d) { out.append(r) } }
        return out
    }

    static func request(_ node: YAMLNode, _ d: NodeDecoder) -> RequestSpec? {
        d.checkNumbers(node)
        guard let keys = RequestKeys(node, d) else { return nil }
        guard var r = keys.isWebSocket ? webSocketStep(node, keys, d) : httpRequest(node, keys, d) else { return nil }
        if let n = keys.forEach?.value {
            if let loop = loop(n, variable: keys.loopVariable?.value, part: 0, d) { r.loops = [loop] }
        } else if let a = keys.loopVariable {
            d.log.error("'as' names the item of a forEach; this request has no forEach", at: a.key.mark)
        }
        return r
    }

    /// `forEach: "{{list}}"` (or a list written in place) with `as: name` (default `item`).
    static func loop(_ node: YAMLNode, variable: YAMLNode?, part: Int, _ d: NodeDecoder) -> Loop? {
        var name = "item"
        if let variable, let text = d.string(variable, "as") {
            if Template.isIdentifier(text, allowDots: false) {
                name = text
            } else {
                d.log.error("'\(text)' is not a variable name for as: (letters, digits, '_', '-')", at: variable.mark)
            }
        }
        guard let list = d.tree(node) else { return nil }
        switch list {
        case .template(let t) where t.soloPlaceholder != nil: break
        case .array, .value(.array(_)): break
        default:
            d.log.error(
                "forEach takes a list: a variable holding one (\"{{cameraIds}}\", a capture with all: true) or a list written in place; found \(node.kindName)",
                at: node.mark)
            return nil
        }
        return Loop(id: "\(d.file):\(node.mark)", list: list, variable: name, mark: node.mark, file: d.file, part: part)
    }

    static func httpRequest(_ node: YAMLNode, _ keys: RequestKeys, _ d: NodeDecoder) -> RequestSpec? {
        rejectWebSocketKeys(keys, d)
        guard keys.methodCount == 1, let (method, methodPair) = keys.methods.first else {
            if keys.methodCount == 0 {
                let lower = node.mapping?.first { methods.contains(($0.key.scalar?.text ?? "").uppercased()) }
                let hint = lower.map { " ('\($0.key.scalar!.text)' must be written in capitals: \($0.key.scalar!.text.uppercased()))" } ?? ""
                d.log.error("a request needs one method key: \(methods.joined(separator: ", "))\(hint)", at: node.mark)
            } else {
                d.log.error(
                    "a request has exactly one method key; found \(keys.methods.map(\.method).joined(separator: " and "))",
                    at: keys.methods[1].pair.key.mark)
            }
            return nil
        }
        guard let url = d.template(methodPair.value, "the URL") else { return nil }
        checkSingleBraces(url, methodPair.value, d)
        let name = keys.name.flatMap { d.scalarText($0.value, "name") } ?? "\(method) \(url.source)"
        var r = RequestSpec(name: name, mark: node.mark, method: method, url: url, urlMark: methodPair.value.mark)
        r.description = keys.description.flatMap { d.string($0.value, "description") }
        if let n = keys.headers?.value { r.headers = headers(n, d) }
        if let n = keys.query?.value { r.query = query(n, d) }
        if keys.hasBody {
            let bodies = keys.bodies
            if bodies.count > 1 {
                d.log.error("a request has one body; found \(bodies.map(\.kind).joined(separator: " and "))", at: bodies[1].pair.key.mark)
            } else if let (kind, pair) = bodies.first {
                let n = pair.value
                r.bodyMark = n.mark
                switch kind {
                case "json": r.body = d.tree(n).map(RequestBody.json)
                case "form": r.body = .form(query(n, d))
                case "body": r.body = d.template(n, "body").map(RequestBody.text)
                case "multipart": r.body = d.multipart(n).map(RequestBody.multipart)
                default: r.body = d.template(n, "file").map(RequestBody.file)
                }
            }
        }
        if let n = keys.expect?.value { r.expect = d.expectations(n, "expect") }
        if let n = keys.capture?.value { r.captures = captures(n, d) }
        if let n = keys.when?.value { r.when = conditions(n, d) }
        if let n = keys.retry?.value {
            r.retry = retry(n, d)
            if let p = r.retry, p.onTransportError > 0, !p.anyMethod, ["POST", "PATCH"].contains(r.method) {
                d.log.error(
                    "onTransportError retries only idempotent methods; a \(r.method) may have been applied before the connection failed (add anyMethod: true if it is safe to send again)",
                    at: n.mark)
            }
        }
        if let n = keys.timeout?.value { r.timeout = d.duration(n, "timeout") }
        if let n = keys.followRedirects?.value { r.followRedirects = d.bool(n, "followRedirects") }
        if let n = keys.compressed?.value { r.compressed = d.bool(n, "compressed") }
        if let n = keys.redirectCredentials?.value { r.redirectCredentials = d.bool(n, "redirectCredentials") }
        if let n = keys.allowInsecureRedirect?.value { r.allowInsecureRedirect = d.bool(n, "allowInsecureRedirect") }
        if let n = keys.continueOnFailure?.value { r.continueOnFailure = d.bool(n, "continueOnFailure") }
        if let n = keys.tags?.value { r.tags = d.tags(n) }
        if let n = keys.cookies?.value { r.cookies = d.bool(n, "cookies") }
        if let n = keys.namespaces?.value { r.namespaces = d.namespaces(n) }
        if let n = keys.auth?.value { r.auth = auth(n, d) }
        if let n = keys.requires?.value { r.requires = d.releaseRange(n) }
        return r
    }

    static func conditions(_ node: YAMLNode, _ d: NodeDecoder) -> [Condition] {
        guard let pairs = node.mapping else {
            d.log.error("when must be a mapping of variable name to matcher, e.g. { ptzCameraId: { exists: true } }", at: node.mark)
            return []
        }
        return pairs.compactMap { pair in
            guard let name = d.scalarText(pair.key, "a variable name"), let m = d.matcher(pair.value) else { return nil }
            return Condition(variable: name, matcher: m, mark: pair.key.mark)
        }
    }

    static func retry(_ node: YAMLNode, _ d: NodeDecoder) -> RetryPolicy? {
        guard let keys = d.mapping(node, "retry", allowed: retryKeys) else { return nil }
        var p = RetryPolicy()
        if let n = keys["until"]?.value { p.until = d.expectations(n, "retry until") }
        if let n = keys["failWhen"]?.value { p.failWhen = d.expectations(n, "retry failWhen") }
        if let n = keys["interval"]?.value, let v = d.duration(n, "interval") { p.interval = v }
        if let n = keys["timeout"]?.value, let v = d.duration(n, "timeout") { p.timeout = v }
        p.polls = ["until", "failWhen", "timeout", "backoff"].contains { keys[$0] != nil }
        if let n = keys["onTransportError"]?.value, let v = d.int(n, "onTransportError") {
            if (0...10).contains(v) { p.onTransportError = v } else { d.log.error("onTransportError takes 0 to 10 retries", at: n.mark) }
        }
        if let n = keys["anyMethod"]?.value { p.anyMethod = d.bool(n, "anyMethod") ?? false }
        if !p.polls, p.onTransportError == 0, keys["interval"] != nil {
            d.log.error("retry needs until, failWhen, timeout or onTransportError", at: node.mark)
        }
        if let n = keys["backoff"]?.value {
            if let s = n.scalar, let v = Double(s.text), v >= 1, v.isFinite {
                p.backoff = v
            } else {
                d.log.error("backoff must be a number of at least 1", at: n.mark)
            }
        }
        return p
    }
}

/// A file path's last component, for default names.
struct PathName {
    let path: String
    var lastComponentWithoutExtension: String {
        let last = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return last }
        return String(last[..<dot])
    }
}
