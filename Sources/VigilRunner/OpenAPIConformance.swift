import Synchronization
import VigilCore
import VigilJSON
import VigilSchema

/// Checks every response of a run against an OpenAPI description (an environment's `openapi:`
/// or `--openapi`): the request's method and path name an operation; the status is one the
/// operation declares (or `default`); a JSON body conforms to the schema of that status and
/// media type. Keeps which operations the run exercised, for the coverage at the end.
///
/// One per environment, shared by its collections (and their tasks): state behind a mutex;
/// schemas compiled once per (operation, status, media type).
public final class OpenAPIConformance: Sendable {
    /// `fail`: a violation fails its request. `report`: violations are listed, never failing.
    public enum Mode: String, Sendable, CaseIterable {
        case fail, report
    }

    public let spec: OpenAPIDescription
    /// Where the description came from, as shown (a file path or a URL).
    public let source: String
    public let mode: Mode
    let baseURI: String
    /// Reads the files the description's `$ref`s name (a description read from a file).
    let resolver: SchemaFileResolver?

    struct State {
        var exercised: [String: Int] = [:]
        var unmatched: [String: Int] = [:]
        var violations = 0
        /// The first ``listedViolations`` responses that broke the contract, in words.
        var listed: [String] = []
        var schemas: [String: Result<CompiledSchema, SchemaError>] = [:]
    }
    private let state = Mutex(State())

    public init(spec: OpenAPIDescription, source: String, mode: Mode, baseURI: String = "urn:vigil:openapi", resolver: SchemaFileResolver? = nil) {
        self.spec = spec
        self.source = source
        self.mode = mode
        self.baseURI = baseURI
        self.resolver = resolver
    }

    /// What the description says of one exchange.
    public struct Finding: Sendable {
        /// The operation the request fell under; nil when none matches.
        public var operation: OpenAPIDescription.Operation?
        /// Each way the response breaks the operation's contract, in words.
        public var problems: [String]
    }

    /// Checks one response to `method` `url` (the URL the response came from).
    /// How many broken responses the coverage lists (all are counted).
    static let listedViolations = 50

    public func check(method: String, url: String, response: ReceivedResponse, request: String = "") -> Finding {
        let path = (try? HTTPURL(url))?.path ?? url
        let bare = String(path.prefix { $0 != "?" })
        guard let operation = spec.operation(method: method, path: bare) else {
            state.withLock { $0.unmatched["\(method.uppercased()) \(bare)", default: 0] += 1 }
            return Finding(operation: nil, problems: [])
        }
        let mediaType = response.header("Content-Type").map {
            String($0.prefix { $0 != ";" }).trimmingWhitespace().lowercased()
        }
        var problems: [String] = []
        switch spec.response(of: operation, status: response.status, mediaType: response.body.isEmpty ? nil : mediaType) {
        case .undeclaredStatus(let declared):
            problems.append("status \(response.status) is not declared (declared: \(declared.joined(separator: ", ")))")
        case .undeclaredMediaType(let key, let declared):
            problems.append("\(key): content type \(mediaType ?? "(none)") is not declared (declared: \(declared.joined(separator: ", ")))")
        case .declared(let key, let pointer?):
            guard let media = mediaType, media == "application/json" || media.hasSuffix("+json") else { break }
            switch response.json {
            case .failure:
                problems.append("\(key): the body is not JSON")
            case .success(let body):
                switch schema(at: pointer) {
                case .failure(let error):
                    problems.append("\(key): the description's schema cannot be used: \(error)")
                case .success(let schema):
                    do {
                        let result = try schema.validate(body, maxViolations: 10)
                        if !result.isValid {
                            var text = result.violations.map { "\($0.instancePath): \($0.message)" }.joined(separator: "; ")
                            if result.totalCount > result.violations.count { text += "; and \(result.totalCount - result.violations.count) more" }
                            problems.append("\(key): \(result.totalCount) violation\(result.totalCount == 1 ? "" : "s"): \(text)")
                        }
                    } catch {
                        problems.append("\(key): cannot check: \(error)")
                    }
                }
            }
        case .declared(_, nil):
            break
        }
        state.withLock {
            $0.exercised[operation.pointer, default: 0] += 1
            if !problems.isEmpty {
                $0.violations += 1
                if $0.listed.count < Self.listedViolations {
                    $0.listed.append("\(request.isEmpty ? "" : "'\(request)': ")\(operation): \(problems.joined(separator: "; "))")
                }
            }
        }
        return Finding(operation: operation, problems: problems)
    }

    private func schema(at pointer: String) -> Result<CompiledSchema, SchemaError> {
        if let known = state.withLock({ $0.schemas[pointer] }) { return known }
        let compiled: Result<CompiledSchema, SchemaError>
        do {
            compiled = .success(try CompiledSchema(spec.document, baseURI: baseURI, entry: "#" + pointer, loader: resolver?.load))
        } catch {
            compiled = .failure(error)
        }
        state.withLock { $0.schemas[pointer] = compiled }
        return compiled
    }

    /// The operations the run exercised so far, by tag, and the requests that matched none.
    public func coverage(environment: String) -> OpenAPICoverage {
        state.withLock { s in
            var tags: [String: OpenAPICoverage.Tag] = [:]
            var order: [String] = []
            for op in spec.operations.sorted(by: { ($0.path, $0.method) < ($1.path, $1.method) }) {
                for tag in op.tags.isEmpty ? ["(untagged)"] : op.tags {
                    if tags[tag] == nil {
                        tags[tag] = .init(name: tag)
                        order.append(tag)
                    }
                    let name = op.description
                    if s.exercised[op.pointer] != nil { tags[tag]!.exercised.append(name) } else { tags[tag]!.missed.append(name) }
                }
            }
            return OpenAPICoverage(
                environment: environment, source: source, mode: mode.rawValue,
                operationCount: spec.operations.count, exercisedCount: spec.operations.filter { s.exercised[$0.pointer] != nil }.count,
                tags: order.sorted().map { tags[$0]! }, unmatched: s.unmatched.keys.sorted(), responsesWithViolations: s.violations,
                violations: s.listed)
        }
    }
}

/// Which operations of an OpenAPI description a run exercised: a value for the reports.
public struct OpenAPICoverage: Sendable, Equatable {
    public struct Tag: Sendable, Equatable {
        public var name: String
        /// `GET /cameras`, in path order.
        public var exercised: [String] = []
        public var missed: [String] = []

        public init(name: String, exercised: [String] = [], missed: [String] = []) {
            self.name = name
            self.exercised = exercised
            self.missed = missed
        }
    }

    public var environment: String
    public var source: String
    public var mode: String
    public var operationCount: Int
    public var exercisedCount: Int
    public var tags: [Tag]
    /// Requests that matched no operation (`GET /api/rest/v1/nothing`), once each.
    public var unmatched: [String]
    public var responsesWithViolations: Int
    /// The first responses that broke the contract: `'Name': GET /cameras/{id}: status 404 is not declared`.
    public var violations: [String] = []

    public init(
        environment: String, source: String, mode: String, operationCount: Int, exercisedCount: Int, tags: [Tag], unmatched: [String],
        responsesWithViolations: Int, violations: [String] = []
    ) {
        self.environment = environment
        self.source = source
        self.mode = mode
        self.operationCount = operationCount
        self.exercisedCount = exercisedCount
        self.tags = tags
        self.unmatched = unmatched
        self.responsesWithViolations = responsesWithViolations
        self.violations = violations
    }

    /// `OpenAPI coverage (Emulator): 12 of 40 operations (30%); 0 responses broke the contract`
    public var summaryLine: String {
        let percent = operationCount == 0 ? 0 : exercisedCount * 100 / operationCount
        var line = "OpenAPI coverage (\(environment)): \(exercisedCount) of \(operationCount) operation\(operationCount == 1 ? "" : "s") (\(percent)%)"
        line += "; \(responsesWithViolations) response\(responsesWithViolations == 1 ? "" : "s") broke the contract"
        if !unmatched.isEmpty { line += "; \(unmatched.count) request\(unmatched.count == 1 ? "" : "s") matched no operation" }
        return line
    }
}

extension RequestExecution {
    /// The response against the run's OpenAPI description: a check of the request in `fail`
    /// mode, a note in `report` mode; a request that matches no operation gets a note.
    func conform(_ exchange: Exchange, _ response: ReceivedResponse, to conformance: OpenAPIConformance, into result: inout RequestResult) {
        let last = exchange.redirects.last { !$0.refused }
        let finding = conformance.check(
            method: last?.method ?? exchange.request.method, url: last?.url ?? exchange.request.url, response: response, request: result.ref.name)
        guard let operation = finding.operation else {
            result.notes.append("OpenAPI: no operation of \(conformance.source) matches this request")
            return
        }
        let kind = CheckResult.Kind.openAPI(operation.description)
        let expected = "a response the operation declares"
        if finding.problems.isEmpty {
            if conformance.mode == .fail { result.checks.append(CheckResult(kind, mark: nil, expected: expected, actual: "it conforms", outcome: .passed)) }
        } else if conformance.mode == .fail {
            result.checks.append(CheckResult(kind, mark: nil, expected: expected, actual: finding.problems.joined(separator: "; "), outcome: .failed))
        } else {
            result.notes.append("OpenAPI \(operation): \(finding.problems.joined(separator: "; ")) (openapi mode: report)")
        }
    }
}
