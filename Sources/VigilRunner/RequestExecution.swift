#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore
import VigilJSON

/// Executes single requests of one collection run: resolve, sign in, send, poll, check, capture.
struct RequestExecution {
    let context: RunContext
    let collection: CollectionFile
    let environment: Environment
    let store: VariableStore
    /// The run's variables without captures: what auth profiles are resolved from.
    let authStore: VariableStore
    /// The origins of every URL the environment names (and of token URLs), resolved before the
    /// run: requests that carry credentials must go to one of them. Empty: not known, no limit.
    let credentialOrigins: Set<HTTPURL.Origin>
    /// The origins a request holding a secret of the environment may go to: the credential
    /// origins and those the environment lists in `secretOrigins:` (resolved once per run).
    var secretOrigins: Set<HTTPURL.Origin> {
        credentialOrigins.union(grantedSecretOrigins)
    }
    /// `secretOrigins:` of the environment, as origins.
    let grantedSecretOrigins: Set<HTTPURL.Origin>
    /// WebSocket connections kept open by earlier steps (`keepOpen:`), closed after `finally`.
    let sockets = WebSocketConnections()
    /// The run's cookie jar (`cookies: false` on the collection or a request leaves it out).
    let jar = SharedCookieJar()

    func ref(_ spec: RequestSpec, index: Int, section: RequestRef.Section) -> RequestRef {
        RequestRef(
            collection: collection.name, file: collection.file, environment: environment.name,
            section: section, index: index, name: spec.name, method: spec.method, mark: spec.mark, sourceFile: spec.sourceFile)
    }

    func execute(_ spec: RequestSpec, ref: RequestRef) async -> RequestResult {
        if let gate = spec.requires, let reason = gateReason(gate, release: store.release) {
            return RequestResult(ref: ref, url: spec.url.source, outcome: .skipped(reason: reason))
        }
        if let refused = secretInWhen(spec) {
            var r = RequestResult(ref: ref, url: spec.url.source, outcome: .failed)
            r.message = "not run: when: \(refused)"
            return r
        }
        if let reason = skipReason(spec) {
            return RequestResult(ref: ref, url: spec.url.source, outcome: .skipped(reason: reason))
        }
        if let step = spec.webSocket { return await executeWebSocket(spec, step, ref: ref) }
        let prepared: PreparedRequest
        do {
            prepared = try prepare(spec)
        } catch {
            var r = RequestResult(ref: ref, url: spec.url.source, outcome: .failed)
            r.message = "not sent: \(error)"
            return r
        }
        await context.observer.handle(.requestStarted(ref, url: prepared.url))
        var result = RequestResult(ref: ref, url: prepared.url, outcome: .passed)
        let clock = ContinuousClock()
        let started = clock.now
        var transportRetry = TransportRetryPolicy(spec.retry)
        var polling = spec.retry.flatMap { $0.polls ? PollingPolicy($0) : nil }
        var setCookies: [String] = []
        let namespaces = spec.namespaces + collection.defaults.namespaces.filter { d in !spec.namespaces.contains { $0.prefix == d.prefix } }
        func responseCheck(_ response: ReceivedResponse) -> ResponseCheck {
            let check = ResponseCheck(response: response, store: store, redactor: context.redactor, setCookies: setCookies)
            check.namespaces = namespaces
            return check
        }
        while true {
            result.attempts += 1
            let sent = await send(prepared, spec)
            result.exchange = Exchange(request: sent.request, response: sent.response, redirects: sent.redirects)
            setCookies = sent.setCookies
            guard let response = sent.response else {
                let error = sent.error ?? .transport(.other, "no response")
                if !Task.isCancelled, let wait = transportRetry.next(after: error, elapsed: clock.now - started) {
                    await context.observer.handle(.attempt(ref, number: result.attempts, elapsed: clock.now - started, status: nil))
                    try? await Task.sleep(for: wait)
                    continue
                }
                result.outcome = .error
                result.error = error
                result.duration = clock.now - started
                let tries = result.attempts > 1 ? " (after \(result.attempts) attempts)" : ""
                result.message = error.description + tries
                break
            }
            result.status = response.status
            result.duration = response.duration
            let check = responseCheck(response)
            guard let retry = spec.retry, var policy = polling else {
                result.checks = check.checks(of: spec.expect, defaultStatus: true)
                if let schema = spec.expect.schema { result.checks.append(schemaCheck(schema, response, from: spec.sourceFile)) }
                result.notes = check.notes
                if let note = sent.note, !result.failures.isEmpty { result.message = note }
                break
            }
            let elapsed = clock.now - started
            await context.observer.handle(.attempt(ref, number: result.attempts, elapsed: elapsed, status: response.status))
            let failWhenChecks = retry.failWhen.map { check.checks(of: $0, defaultStatus: false) } ?? []
            let failWhenHeld = retry.failWhen != nil && !failWhenChecks.contains(where: \.failed)
            let goal = failWhenHeld ? [] : check.checks(of: retry.until ?? spec.expect, defaultStatus: true)
            // A comparison refused for using a secret ends the poll at once, failed: asking again
            // would not change it.
            if let refused = check.refusedSecret {
                result.checks = (failWhenChecks + goal).filter { $0.actual.hasSuffix(refused.description) }
                break
            }
            let decision = policy.decide(goalHeld: !failWhenHeld && !goal.contains(where: \.failed), failWhenHeld: failWhenHeld, elapsed: elapsed)
            polling = policy
            switch decision {
            case .failed:
                result.checks = [
                    CheckResult(
                        .failWhen, mark: spec.mark, expected: "not to reach a failWhen state",
                        actual: "failWhen held after \(result.attempts) attempt(s): \(check.bodyExcerpt)", outcome: .failed)
                ]
            case .reached:
                result.checks = retry.until == nil ? goal : check.checks(of: spec.expect, defaultStatus: true)
                result.notes = check.notes
            case .gaveUp:
                result.checks = goal.map {
                    var c = $0
                    if c.failed { c.actual += " (gave up after \(result.attempts) attempts in \(elapsed.shortText))" }
                    return c
                }
            case .wait(let wait):
                try? await Task.sleep(for: wait)
                // A stop during the wait ends the poll here, with what the last answer showed.
                guard Task.isCancelled else { continue }
                result.message = "interrupted while polling, after \(result.attempts) attempts in \((clock.now - started).shortText)"
                result.checks = goal
            }
            break
        }
        result.duration = result.attempts > 1 || result.outcome == .error ? clock.now - started : result.duration
        if let conformance = context.openAPI, let exchange = result.exchange, let response = exchange.response {
            conform(exchange, response, to: conformance, into: &result)
        }
        if result.outcome == .passed, result.failures.isEmpty, let response = result.exchange?.response {
            let captured = responseCheck(response).capture(spec.captures)
            result.captures = captured.values
            result.checks += captured.checks
            registerCapturedSecrets(spec.captures, captured.values)
        }
        if result.outcome == .passed, !result.failures.isEmpty { result.outcome = .failed }
        return result
    }

    /// A value captured into a variable the environment lists in `secrets:`, or from a header
    /// whose values are always masked (`Set-Cookie`, `Authorization`…), or a cookie's value, is
    /// a secret from now on.
    private func registerCapturedSecrets(_ captures: [Capture], _ values: [(name: String, value: JSONValue)]) {
        for (name, value) in values {
            let fromSecretHeader = captures.contains {
                guard $0.name == name else { return false }
                if case .cookie(let selector) = $0.source { return selector.attribute == .value }
                guard case .header(let selector) = $0.source else { return false }
                return Redactor.secretHeaders.contains(selector.name.lowercased())
            }
            let declared = environment.secretVariables.contains(name)
            guard fromSecretHeader || declared else { continue }
            // A variable listed in `secrets:` is the user's secret wherever its value came from.
            let label = declared ? name : nil
            if case .array(let items) = value {
                for item in items { context.redactor.add(item.interpolationText, name: label) }
            } else {
                context.redactor.add(value.interpolationText, name: label)
            }
        }
    }

    /// A `when:` condition that would compare a secret of the user's environment: its outcome
    /// (the request run or skipped) would tell the collection about the secret, so it is refused.
    private func secretInWhen(_ spec: RequestSpec) -> SecretComparison? {
        for condition in spec.when {
            let value = try? store.value(named: condition.variable)
            if let name = context.redactor.comparedSecret(condition.matcher, subject: value, store) { return SecretComparison(secret: name) }
        }
        return nil
    }

    /// Why `when:` skips the request, if it does.
    private func skipReason(_ spec: RequestSpec) -> String? {
        for condition in spec.when {
            let value = try? store.value(named: condition.variable)
            do {
                if let m = try condition.matcher.check(value, store) {
                    if value == nil { return "when: \(condition.variable) has no value" }
                    return "when: \(condition.variable) is \(m.actual), needs \(m.expected)"
                }
            } catch {
                return "when: \(error.description)"
            }
        }
        return nil
    }

    /// Resolves every template of the request.
    /// Throws ``UnresolvedPlaceholder``, ``FileBoundsError`` or ``SecretToUnnamedOrigin``: the
    /// request is then not sent.
    func prepare(_ spec: RequestSpec) throws -> PreparedRequest {
        var url = try spec.url.render(store)
        var headers: [(name: String, value: String)] = []
        for h in collection.defaults.headers where !spec.headers.contains(where: { $0.name.caseInsensitiveEquals(h.name) }) {
            headers.append((h.name, try h.value.render(store)))
        }
        for h in spec.headers { headers.append((h.name, try h.value.render(store))) }
        // Defaults: the request's own values win, then the collection's, then the
        // environment's, whose headers and query go only to the origins it names (the one a
        // `Host` header names, if it names another).
        let environmentDefaults = try environmentDefaultsApply(to: url, headers: headers)
        let fromCollection = collection.defaults.query.filter { d in !spec.query.contains { $0.name == d.name } }
        let own = fromCollection + spec.query
        let fromEnvironment = environmentDefaults ? environment.defaults.query.filter { d in !own.contains { $0.name == d.name } } : []
        let query = fromEnvironment + own
        if !query.isEmpty {
            var parts: [String] = []
            for q in query {
                let name = FormEncoding.encode(q.name)
                if let v = q.value { parts.append("\(name)=\(FormEncoding.encode(try v.render(store)))") } else { parts.append(name) }
            }
            url += (url.contains("?") ? "&" : "?") + parts.joined(separator: "&")
        }
        if environmentDefaults {
            for h in environment.defaults.headers where !headers.contains(where: { $0.name.caseInsensitiveEquals(h.name) }) {
                headers.append((h.name, try h.value.render(store)))
            }
        }
        if let bad = headers.first(where: { !HeaderText.isName($0.name) || HeaderText.hasControl($0.value) }) {
            throw HeaderInjection(name: bad.name, value: bad.value)
        }
        func setDefault(_ name: String, _ value: String) {
            if !headers.contains(where: { $0.name.caseInsensitiveEquals(name) }) { headers.append((name, value)) }
        }
        var body: [UInt8]?
        var streamed: StreamedBody?
        var bodyFile: String?
        switch spec.body {
        case .json(let tree):
            body = Array(try tree.resolve(store).serialized().utf8)
            setDefault("Content-Type", "application/json")
        case .form(let fields):
            var parts: [String] = []
            for f in fields { parts.append("\(FormEncoding.encode(f.name))=\(FormEncoding.encode(try f.value?.render(store) ?? ""))") }
            body = Array(parts.joined(separator: "&").utf8)
            setDefault("Content-Type", "application/x-www-form-urlencoded")
        case .text(let t):
            body = Array(try t.render(store).utf8)
            setDefault("Content-Type", "text/plain; charset=utf-8")
        case .file(let t):
            // Up to 1 MiB read whole (`--verbose` shows it); larger files are streamed from disk
            // as they are sent, like multipart files, so memory stays flat whatever their size.
            let path = try t.render(store)
            let full = try resolveFile(path, maxBytes: MultipartPart.maxFileBytes, from: spec.sourceFile)
            let size = (try? FileManager.default.attributesOfItem(atPath: full))?[.size] as? Int ?? 0
            if size > Self.inMemoryFileBytes {
                streamed = StreamedBody(pieces: [.file(path: full, size: size)])
            } else {
                guard let data = FileManager.default.contents(atPath: full) else { throw FileBoundsError("file '\(path)' cannot be read") }
                body = Array(data)
            }
            bodyFile = path
            setDefault("Content-Type", "application/octet-stream")
        case .multipart(let parts):
            let form = try multipart(parts, from: spec.sourceFile)
            // Text fields only: one body in memory, shown like any other; with files: streamed.
            if form.files.isEmpty {
                body = form.body.pieces.flatMap { piece -> [UInt8] in if case .bytes(let b) = piece { b } else { [] } }
            } else {
                streamed = form.body
                bodyFile = "multipart/form-data with \(form.files.joined(separator: ", "))"
            }
            setDefault("Content-Type", "multipart/form-data; boundary=\(form.boundary)")
        case nil:
            break
        }
        setDefault("User-Agent", "vigil/\(VigilVersion.current)")
        // Shown as sent (the transport would add `identity` otherwise, out of sight).
        setDefault(
            "Accept-Encoding",
            spec.compressed ?? collection.defaults.compressed ?? environment.defaults.compressed ?? environment.compressed ? "gzip, deflate" : "identity")
        let timeout = spec.timeout ?? collection.defaults.timeout ?? environment.defaults.timeout ?? context.defaultTimeout
        var request = PreparedRequest(method: spec.method, url: url, headers: headers, body: body, timeout: timeout)
        request.bodyFile = bodyFile
        request.streamedBody = streamed
        try checkSecretsStay(request)
        return request
    }
}

extension RequestExecution {
    /// `file:` bodies up to this size are read whole; larger ones are streamed.
    static let inMemoryFileBytes = 1 << 20

    /// Whether the environment's default headers and query go with this request: only to an
    /// origin the environment names (they often carry an API key).
    /// Throws ``HostHeaderInvalid`` for a `Host` header that is not `host[:port]`.
    func environmentDefaultsApply(to url: String, headers: [(name: String, value: String)]) throws(HostHeaderInvalid) -> Bool {
        if let host = headers.last(where: { $0.name.caseInsensitiveEquals("Host") })?.value, let parsed = try? HTTPURL(url) {
            let origin = try TargetOrigin.origin(host: host, secure: parsed.origin.secure)
            return (!environment.defaults.headers.isEmpty || !environment.defaults.query.isEmpty) && credentialOrigins.contains(origin)
        }
        guard !environment.defaults.headers.isEmpty || !environment.defaults.query.isEmpty else { return false }
        guard let origin = try? HTTPURL(url).origin else { return false }
        return credentialOrigins.contains(origin)
    }
}

/// A header that is not a token name, or whose value holds a control character (a line break
/// above all) once its placeholders are resolved: the request is not sent, and the message says
/// so (rather than blaming the server).
struct HeaderInjection: Error, CustomStringConvertible {
    var name: String
    var value: String = ""
    /// Where the header is, when not in the request's own headers (a multipart field's).
    var place: String = ""
    var description: String {
        guard HeaderText.isName(name) || !place.isEmpty else {
            return "'\(HeaderText.shown(name))' is not a header name (letters, digits and !#$%&'*+-.^_`|~)"
        }
        guard HeaderText.breaksALine(value) else {
            return "header '\(name)'\(place) holds a control character once resolved (ESC, DEL, …); a header value cannot"
        }
        return "header '\(name)'\(place) holds a line break (CR or LF) or NUL once resolved; a header value cannot, it would start another header"
    }
}

/// Vigil's version, for the User-Agent and `--version`.
public enum VigilVersion {
    public static let current = "0.1.0"
}

extension RequestExecution {
    /// The folder the collection's files (and its fragments) must be inside.
    var collectionRoot: String {
        let folder = PathText.folder(of: collection.file)
        return collection.root ?? (folder.isEmpty ? "." : folder)
    }
}
