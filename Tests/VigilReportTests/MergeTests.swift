import Foundation
import Testing
@testable import VigilReport
@testable import VigilRunner
import VigilCore
import VigilJSON
import VigilYAML

/// Issue 14, points 3 and 4 as values: the run's planned order (console and reports), the JSON
/// report read back, and the merge of shards.
enum MergeRun {
    /// A collection as written, with a default header, a polled request and a `finally`.
    static let collection: CollectionFile = {
        let text = """
            name: Written
            description: As written.
            defaults:
              headers: { Accept: application/json }
            requests:
              - name: Create
                POST: "{{api}}/things"
                json: { name: "{{thing}}" }
                capture: { id: result.id }
                expect: { status: 201, body: { result.name: "{{thing}}" } }
              - name: Wait
                GET: "{{api}}/things/{{id}}"
                retry: { interval: 1s, timeout: 5s, until: { body: { state: done } } }
            finally:
              - name: Delete
                DELETE: "{{api}}/things/{{id}}"
            """
        return try! CollectionLoader.load(text, file: "w.yaml")
    }()

    /// `w.yaml` in `env`: the first request passed, the second was skipped (its expectations
    /// come from the request as written), `finally` passed.
    static func written(_ env: String) -> [RunEvent] {
        var create = RequestResult(ref: ref(0, "Create", env), url: "http://h/api/things", outcome: .passed)
        create.spec = collection.requests[0]
        create.status = 201
        create.captures = [("id", .string("7"))]
        create.checks = [CheckResult(.status, mark: Mark(line: 10, column: 19), expected: "201", actual: "201", outcome: .passed)]
        var wait = RequestResult(ref: ref(1, "Wait", env), url: "{{api}}/things/{{id}}", outcome: .skipped(reason: "an earlier request failed"))
        wait.spec = collection.requests[1]
        var delete = RequestResult(ref: ref(0, "Delete", env, section: .finally), url: "http://h/api/things/7", outcome: .passed)
        delete.spec = collection.finally[0]
        delete.status = 204
        return [
            .collectionLoaded(collection, environment: env),
            .collectionStarted(collection: "Written", file: "w.yaml", environment: env, requestCount: 3),
            .requestFinished(create), .requestFinished(wait), .requestFinished(delete),
            .collectionFinished(CollectionResult(collection: "Written", file: "w.yaml", environment: env, duration: .milliseconds(9), interrupted: false)),
        ]
    }

    static func ref(_ index: Int, _ name: String, _ env: String, section: RequestSection = .requests) -> RequestRef {
        RequestRef(
            collection: "Written", file: "w.yaml", environment: env, section: section, index: index, name: name, method: "GET",
            mark: Mark(line: 6 + index, column: 5))
    }

    /// The suites of `events`, as a run with `order` keeps them.
    static func suites(_ events: [RunEvent], order: RunOrder? = nil) -> [SuiteRecord] {
        let log = ReportLog(redactor: Redactor(), order: order)
        for e in events { log.handle(e) }
        return log.suites
    }

    /// The JSON report of `suites`, read back.
    static func roundTrip(_ suites: [SuiteRecord], baseURLs: [String: String] = [:], shard: Shard? = nil) throws -> ReadReport {
        let text = JSONReporter.document(suites, baseURLs: baseURLs, shard: shard).serialized(pretty: true)
        return try ReportReader.read(Array(text.utf8), file: "r.json")
    }

    /// What `report` writes for `suites`.
    static func written(_ request: ReportRequest.Kind, _ suites: [SuiteRecord]) throws -> String {
        let path = SpoolRun.temporary("merge-\(request.rawValue)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ReportRequest(kind: request, path: path).makeReporter().write(suites, redactor: Redactor())
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        let pages = try FileManager.default.subpathsOfDirectory(atPath: path).sorted().filter { $0.hasSuffix(".md") }
        return try pages.map { "== \($0)\n" + (try String(contentsOfFile: path + "/" + $0, encoding: .utf8)) }.joined()
    }
}

@Suite struct RunOrderTests {
    /// `--jobs 2`: `b` starts and finishes before `a`; the console still shows `a` first, `b`
    /// once `a` is done, and `c` (not started yet when `a` ends) live after them.
    @Test func theConsoleShowsCollectionsInTheRunsOrderWhateverRunsFirst() {
        let console = Recording()
        let order = RunOrder(files: ["a", "b", "c"], environments: ["e"])
        let dispatcher = RunEventDispatcher(console: console, others: [], grouped: true, keepsExchanges: false, order: order)
        for e in [
            Events.started("b", "e"), Events.request("b", "e", 0, "B1", fails: false), Events.finished("b", "e"),
            Events.started("a", "e"), Events.request("a", "e", 0, "A1", fails: true),
        ] {
            dispatcher.consume(e)
        }
        #expect(console.lines == ["started a@e", "A1 a@e"])
        dispatcher.consume(Events.finished("a", "e"))
        #expect(console.lines == ["started a@e", "A1 a@e", "finished a@e", "started b@e", "B1 b@e (light)", "finished b@e"])
        dispatcher.consume(Events.started("c", "e"))
        #expect(console.lines.last == "started c@e")
    }

    /// A matrix with jobs: collection by collection, then environment by environment.
    @Test func reportsListSuitesInThePlanWithTheirPositionsAndFileIndices() {
        let order = RunOrder(files: ["b.yaml", "a.yaml"], environments: ["e1", "e2"], fileIndices: ["a.yaml": 5, "b.yaml": 2])
        let events = [
            Events.started("a.yaml", "e2"), Events.started("b.yaml", "e2"), Events.started("a.yaml", "e1"), Events.started("b.yaml", "e1"),
        ]
        let suites = MergeRun.suites(events, order: order)
        #expect(suites.map { "\($0.file)@\($0.environment)" } == ["b.yaml@e1", "b.yaml@e2", "a.yaml@e1", "a.yaml@e2"])
        #expect(suites.map(\.position) == [0, 1, 2, 3])
        #expect(suites.map(\.fileIndex) == [2, 2, 5, 5])
        // Not in the plan: after it, in the order started.
        let extra = MergeRun.suites(events + [Events.started("z.yaml", "e1")], order: order)
        #expect(extra.last?.file == "z.yaml" && extra.last!.position > 3)
    }
}

@Suite struct JSONReportReadBackTests {
    /// Every report written from the JSON report read back is the one written from the run.
    @Test(arguments: ReportRequest.Kind.allCases)
    func everyReportFromTheJSONIsTheReportFromTheRun(_ kind: ReportRequest.Kind) throws {
        let suites = MergeRun.suites(SpoolRun.events + MergeRun.written("e1"))
        let read = try MergeRun.roundTrip(suites)
        #expect(read.suites.count == suites.count)
        let (x, y) = (try MergeRun.written(kind, read.suites), try MergeRun.written(kind, suites))
        #expect(x == y, "\(firstDifference(x, y))")
    }

    @Test func theRequestAsWrittenAndTheChecksComeBack() throws {
        let suites = MergeRun.suites(MergeRun.written("e"))
        let read = try MergeRun.roundTrip(suites, baseURLs: ["e": "http://h"], shard: try Shard(index: 2, count: 3))
        #expect(read.baseURLs == ["e": "http://h"])
        #expect(read.shard == (try Shard(index: 2, count: 3)))
        let create = try #require(read.suites.first?.requests.first)
        #expect(create.written?.text == suites[0].requests[0].written?.text)
        #expect(create.written?.text.hasPrefix("POST {{api}}/things\nAccept: application/json\n") == true)
        #expect(create.checks == suites[0].requests[0].checks)
        #expect(create.ref == suites[0].requests[0].ref)
        let wait = try #require(read.suites.first?.requests[1])
        #expect(wait.written?.retry?.hasPrefix("Repeated every 1s") == true)
        #expect(wait.written?.variables == ["api", "id"])
        #expect(Assertions.list(wait).map(\.sentence) == Assertions.list(suites[0].requests[1]).map(\.sentence))
        #expect(Assertions.list(wait).map(\.sentence).first == "status is below 400")
        #expect(read.suites.first?.collectionDescription == "As written.")
    }

    @Test(arguments: [
        ("[]", "not a Vigil JSON report"), ("{", "r.json:1:2: not JSON"),
        (#"{"schemaVersion": 2, "suites": []}"#, "schema version 2; this vigil reads version 1"),
        (#"{"schemaVersion": 1, "suites": [{"collection": "c"}]}"#, "r.json: suites[0].started: missing"),
        (#"{"schemaVersion": 1, "shard": {"index": 4, "count": 3}, "suites": []}"#, "shard: --shard takes i/n with i from 1 to n"),
    ])
    func aBadReportIsNamedWithTheField(_ text: String, _ message: String) {
        #expect {
            _ = try ReportReader.read(Array(text.utf8), file: "r.json")
        } throws: { error in
            (error as? ReportReadError)?.description.contains(message) == true
        }
    }

    @Test func aReportWithoutChecksIsFromAnOlderVigil() throws {
        var doc = JSONReporter.document(MergeRun.suites(MergeRun.written("e")))
        guard case .object(var root) = doc, case .array(var suites)? = root["suites"], case .object(var suite) = suites[0],
            case .array(var requests)? = suite["requests"], case .object(var request) = requests[0]
        else { throw ReportReadError("unexpected document") }
        request["checks"] = nil
        requests[0] = .object(request)
        suite["requests"] = .array(requests)
        suites[0] = .object(suite)
        root["suites"] = .array(suites)
        doc = .object(root)
        #expect {
            _ = try ReportReader.read(Array(doc.serialized().utf8), file: "old.json")
        } throws: { error in
            (error as? ReportReadError)?.description.contains("old.json: suites[0].requests[0].checks: missing: the report was written by a vigil older")
                == true
        }
    }
}

@Suite struct ReportMergeTests {
    /// Three shards of a matrix run (two environments), each read back: merged, they are the
    /// whole run's suites in its order, positions renumbered.
    @Test func shardsMergeIntoTheWholeRunInItsOrder() throws {
        let files = ["c.yaml", "a.yaml", "b.yaml"], envs = ["e1", "e2"]
        let indices = Dictionary(uniqueKeysWithValues: files.enumerated().map { ($1, $0) })
        func events(_ file: String) -> [RunEvent] {
            envs.flatMap { [Events.started(file, $0), Events.request(file, $0, 0, "R", fails: file == "b.yaml"), Events.finished(file, $0)] }
        }
        let whole = MergeRun.suites(files.flatMap(events), order: RunOrder(files: files, environments: envs, fileIndices: indices))
        var shards: [ReadReport] = []
        for i in [3, 1, 2] {
            let shard = try Shard(index: i, count: 3)
            let mine = shard.select(files)
            let suites = MergeRun.suites(mine.flatMap(events), order: RunOrder(files: mine, environments: envs, fileIndices: indices))
            shards.append(try MergeRun.roundTrip(suites, baseURLs: ["e1": "http://one", "e2": "http://two-\(i)"], shard: shard))
        }
        let merged = try ReportMerge.merge(shards)
        #expect(merged.warnings.isEmpty)
        #expect(merged.suites.map(\.key) == whole.map(\.key))
        #expect(merged.suites.map(\.position) == Array(0..<6))
        #expect(merged.suites.map(\.tally) == whole.map(\.tally))
        // b.yaml is second by path: shard 2, whose e2 had its own base URL; the first report's wins for the environment.
        let b2 = try #require(merged.suites.first { $0.file == "b.yaml" && $0.environment == "e2" })
        #expect(merged.suiteBaseURLs[b2.key] == "http://two-2")
        #expect(merged.baseURLs == ["e1": "http://one", "e2": "http://two-3"])
        for kind in [ReportRequest.Kind.junit, .json] {
            let read = try MergeRun.written(kind, try MergeRun.roundTrip(whole).suites)
            let mergedText = try MergeRun.written(kind, merged.suites)
            #expect(mergedText == read, "\(firstDifference(mergedText, read))")
        }
    }

    @Test func theSameCollectionInTwoReportsIsAnError() throws {
        let one = try MergeRun.roundTrip(MergeRun.suites([Events.started("a.yaml", "e"), Events.finished("a.yaml", "e")]))
        var two = one
        two.file = "s.json"
        #expect {
            _ = try ReportMerge.merge([one, two])
        } throws: { error in
            (error as? ReportReadError)?.description
                == "a.yaml in environment 'e' is in both r.json and s.json: merge the shards of one run (each file is in one shard)"
        }
    }

    @Test func shardsOfDifferentSplitsOrTheSameShardTwiceAreErrors() throws {
        func report(_ file: String, _ shard: String) throws -> ReadReport {
            ReadReport(file: file, suites: [], baseURLs: [:], shard: try Shard(parsing: shard))
        }
        #expect {
            _ = try ReportMerge.merge([try report("a.json", "1/3"), try report("b.json", "2/4")])
        } throws: { error in
            (error as? ReportReadError)?.description == "a.json is a shard of 3 and b.json a shard of 4: merge the shards of one run"
        }
        #expect {
            _ = try ReportMerge.merge([try report("a.json", "2/3"), try report("b.json", "2/3")])
        } throws: { error in
            (error as? ReportReadError)?.description == "a.json and b.json are both shard 2/3"
        }
        let partial = try ReportMerge.merge([try report("a.json", "2/4"), try report("b.json", "4/4")])
        #expect(partial.warnings == ["warning: shards 1/4, 3/4 missing: the merged report lacks their collections"])
    }
}

/// The first line where `a` and `b` differ, for a failure message.
func firstDifference(_ a: String, _ b: String) -> String {
    let la = a.split(separator: "\n", omittingEmptySubsequences: false), lb = b.split(separator: "\n", omittingEmptySubsequences: false)
    for (i, (x, y)) in zip(la, lb).enumerated() where x != y { return "line \(i + 1): \(x) ≠ \(y)" }
    return la.count == lb.count ? "" : "\(la.count) lines ≠ \(lb.count) lines"
}

@Suite struct CoverageMergeTests {
    /// Two shards against one description: an operation either exercised counts, the rest is missed.
    @Test func anOperationAnyShardExercisedIsExercised() throws {
        func coverage(_ exercised: [String], _ missed: [String], unmatched: [String], violations: [String]) -> OpenAPICoverage {
            OpenAPICoverage(
                environment: "e", source: "api.yaml", mode: "fail", operationCount: 3, exercisedCount: exercised.count,
                tags: [OpenAPICoverage.Tag(name: "cameras", exercised: exercised, missed: missed)], unmatched: unmatched,
                responsesWithViolations: violations.count, violations: violations)
        }
        let one = coverage(["GET /cameras"], ["GET /cameras/{id}", "PATCH /cameras/{id}"], unmatched: ["GET /x"], violations: ["v1"])
        let two = coverage(["PATCH /cameras/{id}"], ["GET /cameras", "GET /cameras/{id}"], unmatched: ["GET /x", "GET /a"], violations: ["v2"])
        var a = try MergeRun.roundTrip([])
        a.coverages = [one]
        a.file = "a.json"
        var b = try MergeRun.roundTrip([])
        b.coverages = [two]
        b.file = "b.json"
        let merged = try ReportMerge.merge([a, b]).coverages
        #expect(merged.count == 1)
        #expect(
            merged.first?.tags == [OpenAPICoverage.Tag(name: "cameras", exercised: ["GET /cameras", "PATCH /cameras/{id}"], missed: ["GET /cameras/{id}"])])
        #expect(merged.first?.exercisedCount == 2)
        #expect(merged.first?.unmatched == ["GET /a", "GET /x"])
        #expect(merged.first?.responsesWithViolations == 2 && merged.first?.violations == ["v1", "v2"])
    }

    @Test func theCoverageComesBackFromTheJSONReport() throws {
        let c = OpenAPICoverage(
            environment: "e", source: "api.yaml", mode: "report", operationCount: 2, exercisedCount: 1,
            tags: [OpenAPICoverage.Tag(name: "t", exercised: ["GET /a"], missed: ["GET /b"])], unmatched: ["GET /z"], responsesWithViolations: 1,
            violations: ["'R': GET /a: status 404 is not declared"])
        let report = JSONReporter(path: SpoolRun.temporary("coverage.json"))
        report.add(c)
        try report.write([], redactor: Redactor())
        defer { try? FileManager.default.removeItem(atPath: report.path) }
        let read = try ReportReader.read(Array(try Data(contentsOf: URL(fileURLWithPath: report.path))), file: "c.json")
        #expect(read.coverages == [c])
    }
}
