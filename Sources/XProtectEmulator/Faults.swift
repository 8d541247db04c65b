/// Faults the emulator injects into identity-provider and Config API answers. All are off by default.
///
/// Injection is deterministic: each rate is applied as an evenly spaced schedule over the sequence of
/// eligible requests (a rate of 0.25 hits exactly every 4th request), each fault kind with its own phase
/// so equal rates do not collide. Discovery documents and IIS 404 pages are never faulted.
public struct EmulatorFaults: Sendable, Hashable {
    /// Extra delay before every REST and IDP answer.
    public var latency: Duration
    /// Share (0...1) of requests answered 5xx without being processed.
    public var serverErrorRate: Double
    /// The 5xx status to use; `nil` rotates 500, 502, 503.
    public var serverErrorStatus: Int?
    /// Share of connections closed mid-response (headers and half the body sent, then the socket closes).
    public var resetRate: Double
    /// Share of answers whose body is cut in half (with a matching `Content-Length`).
    public var truncatedBodyRate: Double
    /// Share of answers whose body is made invalid JSON.
    public var invalidJSONRate: Double
    /// Events and State WebSocket connections are dropped (closed without a close frame) after the
    /// server has sent this many frames.
    public var webSocketDropAfterFrames: Int?

    public init(
        latency: Duration = .zero,
        serverErrorRate: Double = 0,
        serverErrorStatus: Int? = nil,
        resetRate: Double = 0,
        truncatedBodyRate: Double = 0,
        invalidJSONRate: Double = 0,
        webSocketDropAfterFrames: Int? = nil
    ) {
        self.latency = latency
        self.serverErrorRate = serverErrorRate
        self.serverErrorStatus = serverErrorStatus
        self.resetRate = resetRate
        self.truncatedBodyRate = truncatedBodyRate
        self.invalidJSONRate = invalidJSONRate
        self.webSocketDropAfterFrames = webSocketDropAfterFrames
    }

    /// Parses the command-line form: comma-separated `key=value` pairs, e.g.
    /// `latency=200ms,5xx=0.1,reset=0.05,truncate=0.1,invalid-json=0.1,ws-drop=3`.
    ///
    /// Keys: `latency` (`250ms`, `1.5s`, `300us`, a bare number is milliseconds), `5xx` (alias
    /// `error`), `5xx-status` (500, 502, 503 …), `reset`, `truncate`, `invalid-json`, `ws-drop` (a
    /// number of frames, at least 1). Rates are 0...1 or a
    /// percentage (`10%`). `none` or an empty string means no faults.
    public init(parsing spec: String) throws {
        self.init()
        let trimmed = spec.trimmingSpaces
        if trimmed.isEmpty || trimmed.lowercased() == "none" { return }
        for part in trimmed.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }
            guard pair.count == 2, !pair[0].isEmpty else { throw EmulatorError.invalidFault("expected key=value, got '\(part)'") }
            let key = pair[0].lowercased(), value = pair[1]
            switch key {
            case "latency", "delay": latency = try Self.parseDuration(value)
            case "5xx", "error", "errors", "server-error": serverErrorRate = try Self.parseRate(value, key: key)
            case "5xx-status", "status":
                guard let code = Int(value), (500...599).contains(code) else {
                    throw EmulatorError.invalidFault("5xx-status must be 500...599, got '\(value)'")
                }
                serverErrorStatus = code
            case "reset", "resets": resetRate = try Self.parseRate(value, key: key)
            case "truncate", "truncated": truncatedBodyRate = try Self.parseRate(value, key: key)
            case "invalid-json", "invalidjson", "garbage": invalidJSONRate = try Self.parseRate(value, key: key)
            case "ws-drop":
                guard let frames = Int(value), frames >= 1 else {
                    throw EmulatorError.invalidFault("ws-drop must be a number of frames (1 or more), got '\(value)'")
                }
                webSocketDropAfterFrames = frames
            default:
                throw EmulatorError.invalidFault(
                    "unknown fault '\(pair[0])' (known: latency, 5xx, 5xx-status, reset, truncate, invalid-json, ws-drop)")
            }
        }
    }

    /// True when no fault of REST and IDP answers is configured (`ws-drop` aside).
    var isEmpty: Bool {
        latency == .zero && serverErrorRate == 0 && resetRate == 0 && truncatedBodyRate == 0 && invalidJSONRate == 0
    }

    static func parseRate(_ text: String, key: String) throws -> Double {
        var t = text
        var scale = 1.0
        if t.hasSuffix("%") { t.removeLast(); scale = 100 }
        guard let v = Double(t), v >= 0, v / scale <= 1 else {
            throw EmulatorError.invalidFault("\(key) must be a rate between 0 and 1 (or 0%...100%), got '\(text)'")
        }
        return v / scale
    }

    static func parseDuration(_ text: String) throws -> Duration {
        let t = text.lowercased()
        let units: [(String, Double)] = [("ms", 1e-3), ("us", 1e-6), ("µs", 1e-6), ("s", 1)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            if let v = Double(t.dropLast(suffix.count)), v >= 0 { return .nanoseconds(Int64(v * scale * 1e9)) }
            throw EmulatorError.invalidFault("invalid latency '\(text)'")
        }
        guard let ms = Double(t), ms >= 0 else { throw EmulatorError.invalidFault("invalid latency '\(text)'") }
        return .nanoseconds(Int64(ms * 1e6))
    }
}

/// Errors of the emulator's public API.
public enum EmulatorError: Error, CustomStringConvertible, Sendable {
    case invalidFault(String)
    case invalidSeed(String)
    case couldNotStart(String)

    public var description: String {
        switch self {
        case .invalidFault(let m): "invalid --fault: \(m)"
        case .invalidSeed(let m): "invalid seed file: \(m)"
        case .couldNotStart(let m): "emulator could not start: \(m)"
        }
    }
}

/// What to do to one answer.
enum FaultDecision: Sendable, Equatable {
    case none
    case serverError(Int)
    case reset
    case truncate
    case invalidJSON
}

/// The deterministic fault schedule (an accumulator per kind, each with its own starting phase).
actor FaultScheduler {
    private let faults: EmulatorFaults
    private var accumulators: [Double] = [0.0, 0.25, 0.5, 0.75]
    private var rotation = 0

    init(_ faults: EmulatorFaults) { self.faults = faults }

    func next() -> FaultDecision {
        let rates = [faults.resetRate, faults.serverErrorRate, faults.truncatedBodyRate, faults.invalidJSONRate]
        var fired: [Bool] = []
        for i in 0..<4 {
            guard rates[i] > 0 else { fired.append(false); continue }
            accumulators[i] += rates[i]
            if accumulators[i] >= 1 - 1e-9 {
                accumulators[i] -= 1
                fired.append(true)
            } else {
                fired.append(false)
            }
        }
        if fired[0] { return .reset }
        if fired[1] {
            if let status = faults.serverErrorStatus { return .serverError(status) }
            let statuses = [500, 502, 503]
            defer { rotation += 1 }
            return .serverError(statuses[rotation % statuses.count])
        }
        if fired[2] { return .truncate }
        if fired[3] { return .invalidJSON }
        return .none
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
