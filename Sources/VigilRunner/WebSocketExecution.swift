import NIOSSL
import VigilCore
import VigilJSON

/// WebSocket steps: `WS:` opens a connection, sends and checks the replies in order; `receive:`
/// waits on a connection kept open until a message matches `until`.
///
/// The exchange is recorded as an HTTP one (status 101, the sent messages as the request's body,
/// the received ones as the response's, each a JSON list), so the console, the reports and
/// `--verbose` show it, masked by the redactor like any body.
extension RequestExecution {
    func executeWebSocket(_ spec: RequestSpec, _ step: WebSocketStep, ref: RequestRef) async -> RequestResult {
        let clock = ContinuousClock()
        let started = clock.now
        let timeout = spec.timeout ?? collection.defaults.timeout ?? environment.defaults.timeout ?? context.defaultTimeout
        let deadline = started + timeout
        var result: RequestResult
        var sent: [JSONValue] = []
        var received: [String] = []
        var request: PreparedRequest
        let connection: WebSocketConnection
        if let name = step.receive {
            request = PreparedRequest(method: "RECEIVE", url: name, timeout: timeout)
            result = RequestResult(ref: ref, url: name, outcome: .passed)
            await context.observer.handle(.requestStarted(ref, url: name))
            guard let open = sockets.connection(name) else {
                result.outcome = .error
                result.message = "no connection '\(name)' is open (the step that keeps it open did not run, or failed)"
                return result
            }
            connection = open
        } else {
            // The messages are resolved first: they are searched for secrets with the URL and headers.
            do {
                sent = try step.send.map { tree throws(UnresolvedPlaceholder) in try tree.resolve(store) }
            } catch {
                var r = RequestResult(ref: ref, url: spec.url.source, outcome: .failed)
                r.message = "not sent: \(error)"
                return r
            }
            let opened = await open(spec, step, ref: ref, timeout: timeout, messages: sent.map(Self.text))
            switch opened {
            case .failure(let failed): return failed.result
            case .success(let (c, prepared)):
                connection = c
                request = prepared
                result = RequestResult(ref: ref, url: prepared.url, outcome: .passed)
            }
            for value in sent { connection.send(Self.text(value)) }
        }
        result.attempts = 1
        var matched: ReceivedResponse?
        var failure: String?
        // Each expected reply in order; for `receive:`, messages until one satisfies `until`.
        let wanted = step.receive == nil ? step.expect.count : nil
        var index = 0
        while wanted.map({ index < $0 }) ?? (matched == nil) {
            switch await connection.next(before: deadline) {
            case .success(let text):
                received.append(text)
                let message = Self.message(text)
                let checks = ResponseCheck(response: message, store: store, redactor: context.redactor)
                if let wanted, index < wanted {
                    var e = Expectations()
                    e.body = step.expect[index]
                    result.checks += checks.checks(of: e, defaultStatus: false).map { Self.numbered($0, index + 1) }
                    result.notes += checks.notes
                    matched = message
                } else {
                    var e = Expectations()
                    e.body = step.until
                    let found = checks.checks(of: e, defaultStatus: false)
                    if !found.contains(where: \.failed) || checks.refusedSecret != nil {
                        result.checks += found
                        matched = message
                    }
                }
                index += 1
            case .failure(.ended(let why)):
                failure = "\(why), after \(received.count) message\(received.count == 1 ? "" : "s") received"
            case .failure(.timedOut):
                let what = step.receive == nil ? "reply \(index + 1) of \(step.expect.count)" : "message matching until"
                failure = "no \(what) within \(timeout.shortText) (\(received.count) received)"
            }
            if failure != nil || result.checks.contains(where: \.failed) { break }
        }
        if let failure {
            result.outcome = .error
            result.message = failure
            result.error = .transport(.other, failure)
        }
        let response = ReceivedResponse(
            status: 101, headers: [], body: Array(JSONValue.array(received.map { (try? Self.message($0).json.get()) ?? .string($0) }).serialized().utf8),
            duration: clock.now - started)
        request.body = step.receive == nil ? Array(JSONValue.array(sent).serialized().utf8) : nil
        result.exchange = Exchange(request: request, response: response)
        result.status = 101
        result.duration = clock.now - started
        if result.outcome == .passed, result.failures.isEmpty {
            capture(spec, step, received: received, matched: matched, into: &result)
        }
        if result.outcome == .passed, !result.failures.isEmpty { result.outcome = .failed }
        if step.receive == nil {
            if let name = step.keepOpen, result.outcome == .passed {
                sockets.keep(connection, as: name)
            } else {
                await connection.close()
            }
        }
        return result
    }

    /// Captures: `{ message: N, path: … }` reads reply N; a plain path reads the last reply
    /// checked (or the message that satisfied `until`).
    private func capture(_ spec: RequestSpec, _ step: WebSocketStep, received: [String], matched: ReceivedResponse?, into result: inout RequestResult) {
        for c in spec.captures {
            let source: ReceivedResponse? = c.message.map { $0 <= received.count ? Self.message(received[$0 - 1]) : nil } ?? matched
            guard let source else {
                result.checks.append(
                    CheckResult(.capture(c.name), mark: c.mark, expected: "a message to capture from", actual: "(none received)", outcome: .failed))
                continue
            }
            let captured = ResponseCheck(response: source, store: store, redactor: context.redactor).capture([c])
            result.captures += captured.values
            result.checks += captured.checks
        }
        for (name, value) in result.captures where environment.secretVariables.contains(name) { context.redactor.add(value.interpolationText, name: name) }
    }

    /// Resolves the URL and headers, signs in, and connects; an error result when the upgrade fails.
    private func open(
        _ spec: RequestSpec, _ step: WebSocketStep, ref: RequestRef, timeout: Duration, messages: [String]
    ) async -> Result<(WebSocketConnection, PreparedRequest), RequestResultBox> {
        var request = PreparedRequest(method: "WS", url: spec.url.source, timeout: timeout)
        func failed(_ message: String, outcome: RequestOutcome = .error) -> Result<(WebSocketConnection, PreparedRequest), RequestResultBox> {
            var r = RequestResult(ref: ref, url: request.url, outcome: outcome)
            r.message = message
            r.exchange = Exchange(request: request, response: nil)
            return .failure(RequestResultBox(r))
        }
        let httpURL: String
        do {
            request.url = try spec.url.render(store)
            // An http(s) URL is taken as ws(s): `{{baseUrl}}/api/ws/events/v1` serves.
            let lower = request.url.lowercased()
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") { request.url = "ws" + request.url.dropFirst(4) }
            guard lower.hasPrefix("ws://") || lower.hasPrefix("wss://") || lower.hasPrefix("http") else {
                return failed("not sent: a WS step needs a ws:// or wss:// URL, got '\(request.url)'", outcome: .failed)
            }
            httpURL = "http" + request.url.dropFirst(2)
            for h in collection.defaults.headers where !spec.headers.contains(where: { $0.name.caseInsensitiveEquals(h.name) }) {
                request.headers.append((h.name, try h.value.render(store)))
            }
            for h in spec.headers { request.headers.append((h.name, try h.value.render(store))) }
            _ = try TargetOrigin.of(httpURL, headers: request.headers)
            try checkSecretsStay(request, url: httpURL)
            // The messages, like an HTTP body: every form of a secret, escapes decoded.
            for message in messages {
                var carrying = request
                carrying.body = Array(message.utf8)
                try checkSecretsStay(carrying, url: httpURL)
            }
        } catch {
            return failed("not sent: \(error)", outcome: .failed)
        }
        await context.observer.handle(.requestStarted(ref, url: request.url))
        do {
            if let auth = try authorizer(for: spec) {
                if !credentialOrigins.isEmpty, let origin = try? TargetOrigin.of(httpURL, headers: request.headers), !credentialOrigins.contains(origin) {
                    return failed("not sent: its credentials go only to the servers the environment names, not to \(origin)")
                }
                request.headers.append(("Authorization", try await auth.header(context, timeout: timeout)))
            }
        } catch let error as AuthError {
            return failed(error.message)
        } catch {
            return failed("sign-in failed: \(error)")
        }
        let tls: TLSConfiguration?
        do {
            tls = request.url.lowercased().hasPrefix("wss://") ? try environment.tls.clientConfiguration() : nil
        } catch {
            return failed(error.message)
        }
        // The transport's proxy (the environment's, or HTTP(S)_PROXY), as for HTTP requests: a CONNECT tunnel.
        let proxy = context.transport.proxy?.server(for: httpURL)
        let connection = WebSocketConnection(url: request.url, headers: request.headers, tls: tls, proxy: proxy, timeout: timeout)
        switch await connection.waitOpen(timeout: timeout) {
        case .ready:
            return .success((connection, request))
        case .refused:
            return failed("the server refused the WebSocket upgrade: \(await refusal(httpURL, request))")
        case .ended(let why):
            return failed(why)
        case .timedOut:
            await connection.close()
            return failed("the WebSocket upgrade did not complete within \(timeout.shortText)")
        }
    }

    /// The status (and the start of the body) of a refused upgrade, asked again as plain HTTP:
    /// the WebSocket client does not tell it.
    private func refusal(_ url: String, _ request: PreparedRequest) async -> String {
        var probe = PreparedRequest(method: "GET", url: url, headers: request.headers, timeout: request.timeout)
        probe.headers += [
            ("Connection", "Upgrade"), ("Upgrade", "websocket"), ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
        ]
        guard let answer = try? await context.transport.send(probe) else { return "(its status could not be read)" }
        let body = String(decoding: answer.body, as: UTF8.self)
        let text = context.redactor.redact(body).excerpt(limit: 200)
        let reasons = [400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error", 503: "Service Unavailable"]
        return "\(answer.status)\(reasons[answer.status].map { " \($0)" } ?? "")\(text.isEmpty ? "" : ": \(text)")"
    }

    /// A message as sent: a string as it is, anything else as JSON.
    static func text(_ value: JSONValue) -> String { value.stringValue ?? value.serialized() }

    /// A received message as a response whose body it is (so the body checks and captures apply).
    static func message(_ text: String) -> ReceivedResponse {
        ReceivedResponse(status: 101, headers: [], body: Array(text.utf8), duration: .zero)
    }

    /// A check of reply `n`, named so: `message 2: status`.
    static func numbered(_ check: CheckResult, _ n: Int) -> CheckResult {
        var c = check
        if case .body(let written, let location) = c.kind { c.kind = .body("message \(n): \(written)", location: location.map { "message \(n): \($0)" }) }
        if case .json = c.kind { c.kind = .body("message \(n)", location: nil) }
        return c
    }
}

/// A failed step's result, as an `Error` for `Result`.
struct RequestResultBox: Error {
    var result: RequestResult
    init(_ result: RequestResult) { self.result = result }
}
