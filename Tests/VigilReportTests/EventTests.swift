import Foundation
import Synchronization
import Testing
@testable import VigilReport
@testable import VigilRunner
import VigilCore
import VigilJSON
import VigilYAML

/// Run events as values: the stream, the dispatcher and the reporters, fed arrays of events,
/// with no process and no socket.
enum Events {
    static func ref(_ file: String, _ env: String, _ index: Int, _ name: String, section: RequestSection = .requests) -> RequestRef {
        RequestRef(
            collection: file, file: file, environment: env, section: section, index: index, name: name, method: "GET",
            mark: Mark(line: 3 + index, column: 5))
    }

    static func started(_ file: String, _ env: String) -> RunEvent {
        .collectionStarted(collection: file, file: file, environment: env, requestCount: 2)
    }

    static func finished(_ file: String, _ env: String, interrupted: Bool = false) -> RunEvent {
        .collectionFinished(CollectionResult(collection: file, file: file, environment: env, duration: .milliseconds(5), interrupted: interrupted))
    }

    /// A request that passed a status check and failed a body check (or passed both).
    static func request(_ file: String, _ env: String, _ index: Int, _ name: String, fails: Bool, body: String = #"{"state":"Running"}"#) -> RunEvent {
        var r = RequestResult(ref: ref(file, env, index, name), url: "http://h/\(index)", outcome: fails ? .failed : .passed)
        r.status = 200
        r.attempts = 1
        r.checks = [
            CheckResult(.status, mark: nil, expected: "200", actual: "200", outcome: .passed),
            CheckResult(
                .body("data.state", location: "$['data']['state']"), mark: Mark(line: 9, column: 9), expected: "\"Success\"",
                actual: fails ? "\"Running\"" : "\"Success\"", outcome: fails ? .failed : .passed),
        ]
        r.exchange = Exchange(
            request: PreparedRequest(method: "GET", url: "http://h/\(index)"),
            response: ReceivedResponse(
                status: 200, headers: [("Content-Type", "application/json")], body: Array(body.utf8),
                duration: .milliseconds(3)))
        return .requestFinished(r)
    }
}

/// Keeps what it is given.
final class Recording: RunEventConsumer {
    var events: [RunEvent] = []
    func consume(_ event: RunEvent) { events.append(event) }

    /// `started a@e`, `R1 a@e`, `finished a@e`.
    var lines: [String] {
        events.map { e in
            switch e {
            case .collectionStarted(_, let file, let env, _): "started \(file)@\(env)"
            case .requestFinished(let r): "\(r.ref.name) \(r.ref.file)@\(r.ref.environment)\(r.exchange == nil ? " (light)" : "")"
            case .collectionFinished(let c): "finished \(c.file)@\(c.environment)"
            default: "other"
            }
        }
    }
}

@Suite struct RunEventStreamTests {
    @Test func eventsArriveInOrderAndTheEndIsSeen() async {
        let stream = RunEventStream(capacity: 4)
        let producer = Task {
            for i in 0..<100 { await stream.handle(Events.request("a", "e", i, "R\(i)", fails: false)) }
            stream.finish()
        }
        var names: [String] = []
        for await event in stream {
            if case .requestFinished(let r) = event { names.append(r.ref.name) }
        }
        await producer.value
        #expect(names == (0..<100).map { "R\($0)" })
    }

    @Test func aSenderWaitsWhileTheBufferIsFull() async throws {
        let stream = RunEventStream(capacity: 2)
        let sent = Mutex(0)
        let producer = Task {
            for i in 0..<5 {
                await stream.handle(Events.request("a", "e", i, "R\(i)", fails: false))
                sent.withLock { $0 += 1 }
            }
            stream.finish()
        }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        while sent.withLock({ $0 }) < 2, clock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(sent.withLock { $0 } == 2, "two events fill the buffer; the third waits for the consumer")
        var count = 0
        for await _ in stream { count += 1 }
        await producer.value
        #expect(count == 5)
    }
}

@Suite struct RunEventDispatcherTests {
    /// Two environments interleave; the console sees each block whole, the reports everything
    /// at once, and what is held for the console drops its bodies.
    @Test func theConsoleSeesOneCollectionAndEnvironmentAtATime() {
        let console = Recording(), report = Recording()
        let dispatcher = RunEventDispatcher(console: console, others: [report], grouped: true, keepsExchanges: false)
        let interleaved: [RunEvent] = [
            Events.started("a", "e1"), Events.started("a", "e2"),
            Events.request("a", "e2", 0, "R1", fails: false), Events.request("a", "e1", 0, "R1", fails: false),
            Events.finished("a", "e2"),
            Events.request("a", "e1", 1, "R2", fails: true), Events.finished("a", "e1"),
            Events.started("b", "e2"), Events.started("b", "e1"), Events.request("b", "e1", 0, "S1", fails: false),
        ]
        for e in interleaved { dispatcher.consume(e) }
        #expect(report.lines.count == interleaved.count)
        #expect(report.lines[2] == "R1 a@e2")
        #expect(
            console.lines == [
                "started a@e1", "R1 a@e1", "R2 a@e1", "finished a@e1",
                "started a@e2", "R1 a@e2 (light)", "finished a@e2",
                "started b@e2",
            ])
    }

    /// Held for the console: no progress, no passed checks or captures, bodies only when verbose.
    @Test func whatIsHeldIsWhatTheConsoleShows() {
        #expect(RunEventDispatcher.held(.requestStarted(Events.ref("a", "e", 0, "R"), url: "u"), keepsExchanges: false) == nil)
        #expect(RunEventDispatcher.held(.attempt(Events.ref("a", "e", 0, "R"), number: 1, elapsed: .zero, status: nil), keepsExchanges: false) == nil)
        guard case .requestFinished(let light)? = RunEventDispatcher.held(Events.request("a", "e", 0, "R", fails: true), keepsExchanges: false),
            case .requestFinished(let verbose)? = RunEventDispatcher.held(Events.request("a", "e", 0, "R", fails: true), keepsExchanges: true)
        else {
            Issue.record("a finished request is held")
            return
        }
        #expect(light.exchange == nil && verbose.exchange != nil)
        #expect(light.checks.map(\.failed) == [true] && light.failures.count == 1)
    }

    @Test func withoutAMatrixNothingIsHeld() {
        let console = Recording()
        let dispatcher = RunEventDispatcher(console: console, others: [], grouped: false, keepsExchanges: false)
        for e in [Events.started("a", "e"), Events.request("a", "e", 0, "R1", fails: false), Events.finished("a", "e")] { dispatcher.consume(e) }
        #expect(console.lines == ["started a@e", "R1 a@e", "finished a@e"])
    }
}

@Suite struct ReportersFromEventsTests {
    static let run: [RunEvent] = [
        Events.started("c.yaml", "e"),
        Events.request("c.yaml", "e", 0, "Passes", fails: false),
        Events.request("c.yaml", "e", 1, "Fails", fails: true),
        Events.finished("c.yaml", "e"),
    ]

    func write(_ kind: ReportRequest.Kind) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-report-\(UUID().uuidString).\(kind.rawValue)").path
        let set = ReportSet([ReportRequest(kind: kind, path: path).makeReporter()], redactor: Redactor())
        for e in Self.run { set.consume(e) }
        #expect(set.writeAll().isEmpty)
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func theJSONReportListsPassedAndFailedChecks() throws {
        let json = try JSONValue(parsing: Array(try write(.json).utf8))
        #expect(json["summary"]?["passed"]?.intValue == 1)
        #expect(json["summary"]?["failed"]?.intValue == 1)
        let passed = json["suites"]?[0]?["requests"]?[0]?["assertions"]
        #expect(passed?[1]?["subject"] == "`data.state`")
        #expect(passed?[1]?["expectation"] == "is \"Success\"")
        #expect(passed?[1]?["result"] == "passed")
        let failed = json["suites"]?[0]?["requests"]?[1]?["assertions"]
        #expect(failed?[0]?["result"] == "passed", "the status check passed")
        #expect(failed?[1]?["result"] == "failed")
        #expect(failed?[1]?["actual"] == "\"Running\"")
    }

    @Test func theJUnitReportHasTheFailureWithExpectedAndActual() throws {
        let xml = try write(.junit)
        #expect(xml.contains("tests=\"2\" failures=\"1\""), "\(xml)")
        #expect(xml.contains("<failure message=\"$['data']['state']: expected &quot;Success&quot;, got &quot;Running&quot;\" type=\"assertion\">"), "\(xml)")
    }

    @Test func theConsoleShowsEachRequestTheFailureAndTheTotals() throws {
        let pipe = Pipe()
        let output = TerminalOutput(fd: pipe.fileHandleForWriting.fileDescriptor, redactor: Redactor())
        let console = ConsoleReporter(output: output, environment: ["NO_COLOR": "1"])
        for e in Self.run { console.consume(e) }
        let totals = console.finish(elapsed: .milliseconds(12))
        output.flush()
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(totals.passed == 1 && totals.failed == 1)
        #expect(text.contains("✓ Passes  GET http://h/0 → 200"), "\(text)")
        #expect(text.contains("✗ Fails"), "\(text)")
        #expect(text.contains("$['data']['state']: expected \"Success\", got \"Running\""), "\(text)")
        #expect(text.contains("1 passed, 1 failed"), "\(text)")
    }
}

@Suite struct RunEventStreamBatchingTests {
    /// A lone event reaches a waiting consumer within the linger, not only when a batch is full.
    @Test func aLoneEventIsDeliveredAfterTheLinger() async throws {
        let stream = RunEventStream(capacity: 8, batch: 4, linger: .milliseconds(20))
        let consumer = Task { () -> String? in
            var it = stream.makeAsyncIterator()
            guard case .requestFinished(let r)? = await it.next() else { return nil }
            return r.ref.name
        }
        try await Task.sleep(for: .milliseconds(50))  // the consumer is waiting now
        await stream.handle(Events.request("a", "e", 0, "Lone", fails: false))
        #expect(await consumer.value == "Lone")
        stream.finish()
    }

    /// Events still lingering when the stream ends are all delivered, then the end.
    @Test func finishingDeliversWhatLingers() async throws {
        let stream = RunEventStream(capacity: 8, batch: 8, linger: .seconds(60))
        let consumer = Task { () -> Int in
            var count = 0
            for await _ in stream { count += 1 }
            return count
        }
        try await Task.sleep(for: .milliseconds(50))
        for i in 0..<3 { await stream.handle(Events.request("a", "e", i, "R\(i)", fails: false)) }
        stream.finish()
        #expect(await consumer.value == 3)
    }
}

@Suite struct TerminalSafetyTests {
    @Test func controlCharactersAreShownEscaped() {
        #expect(TerminalText.escaped("plain text\tok") == "plain text\tok")
        #expect(TerminalText.escaped("\u{1B}]0;pwned\u{07}\r\u{0}\u{7F}\u{9B}") == #"\e]0;pwned\x07\r\x00\x7f\u{9b}"#)
        // Bidirectional overrides and isolates reorder what is shown ("Trojan Source").
        #expect(TerminalText.escaped("a\u{202E}b\u{2066}c\u{2069}é→") == #"a\u{202e}b\u{2066}c\u{2069}é→"#)
        #expect(TerminalText.escapedKeepingLines("one\n\u{1B}two\n") == "one\n\\etwo\n")
    }

    /// A hostile server's bytes in a failure, a header and a body reach the console escaped.
    @Test func theConsoleNeverWritesAServersControlBytes() throws {
        let hostile = "\u{1B}]0;pwned\u{07}\u{1B}[2J"
        var r = RequestResult(ref: Events.ref("c.yaml", "e", 0, "Hostile"), url: "http://h/\(hostile)", outcome: .failed)
        r.status = 200
        r.attempts = 1
        r.message = "server said \(hostile)"
        r.checks = [CheckResult(.body("a", location: nil), mark: nil, expected: "1", actual: "\"\(hostile)\"", outcome: .failed)]
        r.exchange = Exchange(
            request: PreparedRequest(method: "GET", url: "http://h/x"),
            response: ReceivedResponse(status: 200, headers: [("X-Evil", hostile)], body: Array("line \(hostile)\nnext".utf8), duration: .zero))
        let pipe = Pipe()
        let output = TerminalOutput(fd: pipe.fileHandleForWriting.fileDescriptor, redactor: Redactor())
        let console = ConsoleReporter(output: output, environment: ["NO_COLOR": "1"], verbosity: .verbose)
        for e in [Events.started("c.yaml", "e"), .requestFinished(r), Events.finished("c.yaml", "e")] { console.consume(e) }
        output.flush()
        try pipe.fileHandleForWriting.close()
        let bytes = Array(pipe.fileHandleForReading.readDataToEndOfFile())
        #expect(!bytes.contains(0x1B) && !bytes.contains(0x07), "raw control bytes reached the console")
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#"\e]0;pwned\x07\e[2J"#), "\(text)")
    }
}
