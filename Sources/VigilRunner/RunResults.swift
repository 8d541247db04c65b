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
    /// For a request of an included fragment: the fragment's file (where `mark` is).
    public var sourceFile: String? = nil

    /// The file `mark` is in: the fragment's, or the collection's.
    public var markFile: String { sourceFile ?? file }

    public init(
        collection: String, file: String, environment: String, section: Section, index: Int, name: String, method: String, mark: Mark,
        sourceFile: String? = nil
    ) {
        self.sourceFile = sourceFile
        self.collection = collection
        self.file = file
        self.environment = environment
        self.section = section
        self.index = index
        self.name = name
        self.method = method
        self.mark = mark
    }
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
    /// The request as first sent.
    public var request: PreparedRequest
    /// The last response (after the redirects followed).
    public var response: ReceivedResponse?
    /// Every redirect followed, in order: `request` went out first, then each hop.
    public var redirects: [RedirectHop] = []
}

/// One redirect: the answer that asked for it, and the request Vigil sent next (or refused to).
public struct RedirectHop: Sendable, Equatable {
    /// The redirect's status (301, 302, 303, 307, 308) and its `Location`, as sent.
    public var status: Int
    public var location: String
    /// The next request's method (a 303, or a 301/302 after a POST, becomes GET) and URL.
    public var method: String
    public var url: String
    /// Headers not sent again on this hop (credentials, on a hop to another origin).
    public var droppedHeaders: [String] = []
    /// The hop was not taken (https to http, or a secret body to another origin).
    public var refused = false

    public init(status: Int, location: String, method: String, url: String, droppedHeaders: [String] = [], refused: Bool = false) {
        self.status = status
        self.location = location
        self.method = method
        self.url = url
        self.droppedHeaders = droppedHeaders
        self.refused = refused
    }

    /// `302 → GET http://b/y (Authorization not sent: another origin)`: one line.
    public var summary: String {
        var text = "\(status) → \(method) \(url)"
        if refused { text += " (refused)" }
        if !droppedHeaders.isEmpty { text += " (\(droppedHeaders.joined(separator: ", ")) not sent: another origin)" }
        return text
    }
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
    /// The end of an environment's run with an OpenAPI description: which operations it exercised.
    case openAPICoverage(OpenAPICoverage)
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
