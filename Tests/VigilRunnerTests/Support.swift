import Synchronization
import VigilCore
import VigilRunner
import XProtectEmulator

/// Collects run events for assertions.
final class EventLog: RunObserver {
    private let events = Mutex<[RunEvent]>([])

    func handle(_ event: RunEvent) { events.withLock { $0.append(event) } }

    var results: [RequestResult] {
        events.withLock { $0 }.compactMap { if case .requestFinished(let r) = $0 { r } else { nil } }
    }
}

/// A transport that runs a hook before each request, around the real one.
struct HookedTransport: HTTPTransport {
    let inner: any HTTPTransport
    let before: @Sendable (PreparedRequest) async -> Void

    func send(_ request: PreparedRequest) async throws(TransportError) -> ReceivedResponse {
        await before(request)
        return try await inner.send(request)
    }

    func shutdown() async { await inner.shutdown() }
}

/// Counts calls across tasks.
final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int {
        value.withLock {
            $0 += 1; return $0
        }
    }
    var current: Int { value.withLock { $0 } }
}

/// An environment pointing at a running emulator, signing in as its administrator.
func emulatorEnvironment(renewBefore: String = "60s", password: String = "admin") throws -> Environment {
    try EnvironmentLoader.load(
        """
        name: test
        variables:
          api: "{{baseUrl}}/api/rest/v1"
        auth:
          xprotect:
            type: xprotect-basic
            username: admin
            password: \(password)
            renewBefore: \(renewBefore)
        """, file: "env.yaml", processEnvironment: [:])
}

/// Runs `yaml` against `emulator` with `transport` (a plain one by default).
func run(
    _ yaml: String, on emulator: EmbeddedEmulator, environment: Environment? = nil,
    transport: (any HTTPTransport)? = nil, redactor: Redactor = Redactor()
) async throws -> (CollectionResult, EventLog) {
    let collection = try CollectionLoader.load(yaml, file: "c.yaml")
    let log = EventLog()
    let t = try transport ?? TransportFactory.make(tls: TLSSettings())
    let context = RunContext(transport: t, redactor: redactor, observer: log, defaultTimeout: .seconds(10))
    let result = await CollectionRunner(context: context).run(
        collection, in: try environment ?? emulatorEnvironment(),
        provided: [("baseUrl", .string(emulator.baseURL))])
    await t.shutdown()
    return (result, log)
}

/// A response with a JSON body and a Content-Length, as text.
func jsonResponse(_ body: String, status: String = "200 OK", extra: String = "") -> String {
    "HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\(extra)\r\n\(body)"
}
