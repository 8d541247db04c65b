import VigilJSON
import VigilYAML

/// A collection: a scenario of requests run in order, then its `finally` requests.
public struct CollectionFile: Sendable {
    public var file: String
    public var name: String
    public var description: String?
    /// Defaults for the collection's variables, lowest precedence.
    public var variables: [(name: String, value: TemplateTree)]
    public var defaults: RequestDefaults
    /// The auth profile of the environment to use, unless a request names another.
    public var auth: AuthChoice
    public var requests: [RequestSpec]
    /// Always run, even after a failure: cleanup.
    public var finally: [RequestSpec]
    /// The releases the whole collection applies to (a version gate).
    public var requires: ReleaseRange?
    /// How recordings of this collection's responses are made stable (`--record`).
    public var normalize: [NormalizationRule] = []
    /// The folder its `file:` bodies must be inside (``FileBounds``); nil: the file's own folder.
    public var root: String?
    /// `continueOnFailure: true`: a failed request does not skip the rest (requests may say otherwise).
    public var continueOnFailure = false
    /// `tags: [smoke]`: apply to every request, for `--tag` and `--skip-tag`.
    public var tags: [String] = []
    /// `cookies: false`: no cookie jar (requests may turn it on again with `cookies: true`).
    public var cookies = true
    /// `data: users.csv`: the data file the collection runs once per row of, as written.
    public var data: (path: String, mark: Mark)?
    /// For one row's run of a data-driven collection: the row, whose columns are variables.
    public var dataRow: DataRow?
    /// For one row's run: every column of its data file (for the checks before the run).
    public var dataColumns: [String] = []
    /// Set for a collection loaded by ``CollectionLoader/scan(bytes:file:)``: its requests are
    /// not in `requests` and `finally` but read again from the file as they run.
    public var stream: RequestStream?

    /// How many requests the `requests` list has, wherever they are kept.
    public var requestCount: Int { stream?.requestCount ?? requests.count }
    /// How many requests the `finally` list has, wherever they are kept.
    public var finallyCount: Int { stream?.finallyCount ?? finally.count }

    /// What the checks before a run need to know of the requests.
    public var facts: RequestFacts { stream?.facts ?? RequestFacts(requests: requests, finally: finally) }

    /// The collection with its requests in `requests` and `finally` (decoded from the file
    /// when it was scanned).
    public var inMemory: CollectionFile {
        guard stream != nil else { return self }
        var c = self
        c.requests = Array(specs(.requests))
        c.finally = Array(specs(.finally))
        c.stream = nil
        return c
    }

    /// The requests of a list, in order, from memory or from the file.
    public func specs(_ section: RequestSection) -> RequestSpecs {
        if let stream { return RequestSpecs(stream: stream, section: section) }
        return RequestSpecs(list: section == .requests ? requests : finally)
    }

    public init(
        file: String, name: String, description: String? = nil, variables: [(name: String, value: TemplateTree)] = [],
        defaults: RequestDefaults = RequestDefaults(), auth: AuthChoice = .inherit,
        requests: [RequestSpec] = [], finally: [RequestSpec] = []
    ) {
        self.file = file
        self.name = name
        self.description = description
        self.variables = variables
        self.defaults = defaults
        self.auth = auth
        self.requests = requests
        self.finally = finally
    }
}

/// A recording rule: every value a query selects is replaced by a stable marker.
public struct NormalizationRule: Sendable {
    public var path: JSONPath
    public var marker: String

    public init(path: JSONPath, marker: String) {
        self.path = path
        self.marker = marker
    }
}

/// Which auth profile a collection or request uses.
public enum AuthChoice: Sendable, Hashable {
    /// The collection's choice (for a request), or none (for a collection).
    case inherit
    case none
    case profile(String, Mark)
}

/// What every request of a collection gets unless it says otherwise.
public struct RequestDefaults: Sendable {
    public var headers: [HeaderTemplate] = []
    public var query: [QueryTemplate] = []
    public var timeout: Duration?
    public var followRedirects: Bool?
    /// Ask for `gzip` or `deflate` answers (`Accept-Encoding`); any compressed answer is decoded.
    public var compressed: Bool?
    /// XML namespaces for XPath (prefix → URI), for every request (a request's own win).
    public var namespaces: [(prefix: String, uri: String)] = []

    public init() {}
}

public struct HeaderTemplate: Sendable, Hashable {
    public var name: String
    public var value: Template

    public init(name: String, value: Template) {
        self.name = name
        self.value = value
    }
}

public struct QueryTemplate: Sendable, Hashable {
    public var name: String
    /// nil for a value-less flag (`?tasks&noData`).
    public var value: Template?

    public init(name: String, value: Template?) {
        self.name = name
        self.value = value
    }
}

/// One request of a collection, as written.
public struct RequestSpec: Sendable {
    public var name: String
    /// What the request shows, in prose (`description:`): in docs and reports.
    public var description: String?
    public var mark: Mark
    public var method: String
    public var url: Template
    public var urlMark: Mark
    public var headers: [HeaderTemplate] = []
    public var query: [QueryTemplate] = []
    public var body: RequestBody?
    /// Where the body's value is written.
    public var bodyMark: Mark?
    public var expect = Expectations()
    public var captures: [Capture] = []
    public var when: [Condition] = []
    public var retry: RetryPolicy?
    public var timeout: Duration?
    public var followRedirects: Bool?
    /// On a redirect to another origin, keep the credentials (and a body holding a secret).
    public var redirectCredentials: Bool?
    /// Follow a redirect from https to http.
    public var allowInsecureRedirect: Bool?
    /// Ask for a compressed answer (`Accept-Encoding: gzip, deflate`).
    public var compressed: Bool?
    public var auth: AuthChoice = .inherit
    /// The releases this request applies to (a version gate).
    public var requires: ReleaseRange?
    /// Whether the requests after this one still run when it fails; nil: the collection's choice.
    public var continueOnFailure: Bool?
    /// `tags: [smoke]`, besides its collection's.
    public var tags: [String] = []
    /// `cookies: false`: this request neither sends nor stores cookies; nil: the collection's choice.
    public var cookies: Bool?
    /// XML namespaces for XPath (prefix → URI), over the collection's `defaults.namespaces`.
    public var namespaces: [(prefix: String, uri: String)] = []
    /// Set for a WebSocket step (`WS:` or `receive:`); `method` is then `WS` or `RECEIVE`.
    public var webSocket: WebSocketStep?
    /// Set for a request of an included fragment: its file and the include chain.
    public var origin: RequestOrigin?
    /// For an included request: the names of the include steps, then its own (`name` is them
    /// joined with ` › `); empty for a request of the collection itself.
    public var nameParts: [String] = []
    /// The `forEach:` loops it runs in, outermost first (its own last).
    public var loops: [Loop] = []

    /// The file the request is written in: its fragment's, or nil for the collection's own.
    public var sourceFile: String? { origin?.file }

    public init(name: String, mark: Mark, method: String, url: Template, urlMark: Mark) {
        self.name = name
        self.mark = mark
        self.method = method
        self.url = url
        self.urlMark = urlMark
    }
}

/// The body of a request.
public enum RequestBody: Sendable, Hashable {
    /// JSON, templated recursively.
    case json(TemplateTree)
    /// `application/x-www-form-urlencoded` fields.
    case form([QueryTemplate])
    /// Raw text.
    case text(Template)
    /// A file's bytes, path relative to the collection.
    case file(Template)
    /// `multipart/form-data`: text fields and files.
    case multipart([MultipartPart])
}

/// What a response must satisfy.
public struct Expectations: Sendable {
    public var status: StatusExpectation?
    public var headers: [HeaderExpectation] = []
    public var body: [BodyExpectation] = []
    /// Matched against the response time in milliseconds.
    public var durationMs: Matcher?
    /// The whole body must conform to this JSON Schema.
    public var schema: SchemaExpectation?
    /// The body as text (decoded by its charset, UTF-8 by default).
    public var text: Matcher?
    public var textMark: Mark?
    /// Cookies the response set (`Set-Cookie`, redirects followed included).
    public var cookies: [CookieExpectation] = []
    /// XPath 1.0 on an XML or HTML body.
    public var xpath: [XPathExpectation] = []

    public init() {}

    public var isEmpty: Bool {
        status == nil && headers.isEmpty && body.isEmpty && durationMs == nil && schema == nil && text == nil && cookies.isEmpty && xpath.isEmpty
    }
}

/// `expect: { schema: … }`: a JSON Schema the body must conform to, from a file (relative to
/// the collection, inside its bounds) or written inline.
public struct SchemaExpectation: Sendable {
    public enum Source: Sendable, Hashable {
        case file(String)
        case inline(JSONValue)

        /// The file's path as written, or `inline schema`.
        public var name: String {
            if case .file(let path) = self { return path }
            return "inline schema"
        }
    }

    public var source: Source
    public var mark: Mark

    public init(source: Source, mark: Mark) {
        self.source = source
        self.mark = mark
    }

    /// The file's path as written, or `inline schema`.
    public var name: String { source.name }
}

/// Checks values against JSON Schemas for the `schema:` matcher; the runner provides one
/// (it knows the collection's folder, its bounds and the compiled-schema cache).
public protocol SchemaChecking: Sendable {
    /// Nil when `value` conforms; otherwise the violations (or why the schema cannot be used), in words.
    func problems(of value: JSONValue, against source: SchemaExpectation.Source) -> String?
}

/// One `body:` expectation: a compiled query and what its value must be.
public struct BodyExpectation: Sendable {
    public var path: JSONPath
    public var matcher: Matcher
    public var mark: Mark
    /// The releases this single check applies to (`{ requires: 2023 R1, eq: … }`).
    public var requires: ReleaseRange?

    public init(path: JSONPath, matcher: Matcher, mark: Mark, requires: ReleaseRange? = nil) {
        self.path = path
        self.matcher = matcher
        self.mark = mark
        self.requires = requires
    }
}

/// The expected status: a code, a list of codes, a class (`2xx`) or operators.
public enum StatusExpectation: Sendable, Hashable {
    case codes([Int])
    case classes([Int])
    case matcher(Matcher)

    public var summary: String {
        switch self {
        case .codes(let c): return c.map(String.init).joined(separator: " or ")
        case .classes(let c): return c.map { "\($0)xx" }.joined(separator: " or ")
        case .matcher(let m): return m.summary
        }
    }
}

/// A value taken from a response into a variable.
public struct Capture: Sendable {
    public enum Source: Sendable {
        /// `all`: every selected value as a list; `first`: the first of several.
        case body(JSONPath, all: Bool, first: Bool)
        /// Which values of which header (``HeaderSelector``).
        case header(HeaderSelector)
        case status
        /// The whole body as text (with `regex`, what it matches).
        case text
        /// A cookie the response set, or one of its attributes.
        case cookie(CookieSelector)
        /// An XPath 1.0 expression on an XML or HTML body.
        case xpath(String)
    }

    public var name: String
    public var source: Source
    /// Applied to the captured text; the first group (or the whole match) is kept.
    public var regex: String?
    /// When nothing is selected, leave the variable unset instead of failing
    /// (later requests test it with `when: { name: { exists: true } }`).
    public var optional: Bool
    /// `override: true`: the capture is meant to replace an environment variable of the same
    /// name (no warning).
    public var overrides: Bool
    /// For a WebSocket step: which reply (1-based) a `path` is read from.
    public var message: Int?
    public var mark: Mark

    public init(name: String, source: Source, regex: String? = nil, optional: Bool = false, overrides: Bool = false, mark: Mark) {
        self.name = name
        self.source = source
        self.regex = regex
        self.optional = optional
        self.overrides = overrides
        self.mark = mark
    }
}

/// A `when:` condition: a variable and what it must satisfy.
public struct Condition: Sendable {
    public var variable: String
    public var matcher: Matcher
    public var mark: Mark

    public init(variable: String, matcher: Matcher, mark: Mark) {
        self.variable = variable
        self.matcher = matcher
        self.mark = mark
    }
}

/// Repeating a request until a condition holds.
public struct RetryPolicy: Sendable {
    /// What must hold; nil means "the request's `expect`".
    public var until: Expectations?
    /// Stops at once when this holds (a terminal error state).
    public var failWhen: Expectations?
    public var interval: Duration = .milliseconds(500)
    /// Multiplies the interval after each attempt.
    public var backoff: Double = 1
    /// Wall-clock budget for all attempts.
    public var timeout: Duration = .seconds(30)
    /// Whether the request is repeated until a condition holds (any of until, failWhen,
    /// timeout or backoff given); false for a block that only retries transport errors.
    public var polls = true
    /// How many times to send again after a transport error (no response at all).
    public var onTransportError = 0
    /// Allow transport retries for POST and PATCH, which may not be idempotent.
    public var anyMethod = false

    public init() {}
}
