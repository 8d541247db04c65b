import VigilCore
import VigilJSON
import VigilYAML

/// Identifies a request within a run.
public struct RequestRef: Sendable, Hashable {
    public typealias Section = RequestSection

    public var collection: String
    public var file: String
    public var environment: String
    public var section: Section
    public var index: Int
    public var name: String
    public var method: String
    public var mark: Mark
}

/// How a request ended.
public enum RequestOutcome: Sendable, Hashable {
    case passed
    /// An expectation did not hold, or a value could not be captured or resolved.
    case failed
    case skipped(reason: String)
    /// No usable response: transport, sign-in or runtime error.
    case error

    public var isSkipped: Bool { if case .skipped = self { true } else { false } }
}

/// The request as sent and the response as received, for reports. Secrets are still in
/// here: reporters pass everything through the run's ``Redactor``.
public struct Exchange: Sendable {
    public var request: PreparedRequest
    public var response: ReceivedResponse?
}

/// Everything known about one request once it has finished.
public struct RequestResult: Sendable {
    public var ref: RequestRef
    public var url: String
    public var outcome: RequestOutcome
    /// Every check made of the response, passed, failed or not made, in order: the request's
    /// expectations, then its captures.
    public var checks: [CheckResult] = []
    /// The checks that failed.
    public var failures: [CheckResult] { checks.filter(\.failed) }
    /// Why there was no usable response (`.error`), typed.
    public var error: RequestError?
    /// A one-line cause for `.error` and for failures that are not assertions.
    public var message: String?
    public var status: Int?
    public var duration: Duration = .zero
    public var attempts: Int = 0
    public var captures: [(name: String, value: JSONValue)] = []
    /// Checks a version gate skipped, each with the reason.
    public var notes: [String] = []
    public var exchange: Exchange?
    /// The request as written (read from the file just before it ran), for reports that show it;
    /// dropped with the exchange from kept results. Boxed: a result (and every event) stays small.
    public var spec: RequestSpec? {
        get { specBox?.spec }
        set { specBox = newValue.map(SpecBox.init) }
    }
    private var specBox: SpecBox?

    public init(ref: RequestRef, url: String, outcome: RequestOutcome) {
        self.ref = ref
        self.url = url
        self.outcome = outcome
    }
}

/// A request as written, shared rather than copied with its result.
final class SpecBox: Sendable {
    let spec: RequestSpec
    init(_ spec: RequestSpec) { self.spec = spec }
}

/// A collection's run in one environment.
public struct CollectionResult: Sendable {
    public var collection: String
    public var file: String
    public var environment: String
    /// Results in order, exchanges dropped; empty when the run's context does not keep them
    /// (``RunContext/keepsResults``: observers have seen every one, and a long run stays small).
    public var results: [RequestResult]
    public var duration: Duration
    public var interrupted: Bool
    public var passed = 0
    public var failed = 0
    public var errors = 0
    public var skipped = 0

    public init(collection: String, file: String, environment: String, results: [RequestResult] = [], duration: Duration, interrupted: Bool) {
        self.collection = collection
        self.file = file
        self.environment = environment
        self.results = results
        self.duration = duration
        self.interrupted = interrupted
        for r in results { count(r.outcome) }
    }

    /// Adds one finished request to the totals.
    mutating func count(_ outcome: RequestOutcome) {
        switch outcome {
        case .passed: passed += 1
        case .failed: failed += 1
        case .error: errors += 1
        case .skipped: skipped += 1
        }
    }
}

/// What a run tells its observers, in order.
public enum RunEvent: Sendable {
    /// The collection as written (templates, description, expectations), just before it starts
    /// in `environment`: for reports that show the model beside what was sent.
    case collectionLoaded(CollectionFile, environment: String)
    case collectionStarted(collection: String, file: String, environment: String, requestCount: Int)
    case requestStarted(RequestRef, url: String)
    /// A polled request's attempt finished (retry), with the time spent so far.
    case attempt(RequestRef, number: Int, elapsed: Duration, status: Int?)
    case requestFinished(RequestResult)
    case collectionFinished(CollectionResult)
}

/// Where a run's events go: the runner hands each one over, in order, and awaits the
/// hand-over (a ``RunEventStream`` waits while its buffer is full).
public protocol RunObserver: Sendable {
    func handle(_ event: RunEvent) async
}

/// A reader of run events owned by the one consumer task of a run (console, reports, recorder,
/// matrix grid): called in order, never concurrently, so it needs no lock.
public protocol RunEventConsumer: AnyObject {
    func consume(_ event: RunEvent)
}
