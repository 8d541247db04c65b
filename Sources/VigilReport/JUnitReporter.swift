#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore
import VigilRunner

/// JUnit XML for CI test views: one `testsuite` per collection and environment, one
/// `testcase` per request; failures with expected and actual, skipped with the reason, times.
///
/// Checked against the Jenkins xUnit plugin's `junit-10.xsd` (jenkinsci/xunit-plugin,
/// `src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd`) in ReportTests.
public final class JUnitReporter: FileReport {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func spool(_ record: RequestRecord, of suite: SuiteRecord, ordinal: Int, into shelf: SpoolShelf) throws {
        try shelf.append(testcase(record, classname: "\(suite.collection) · \(suite.environment)"), for: suite, part: "testcases")
    }

    /// Each suite's element around its spooled test cases.
    public func write(_ suites: [SuiteRecord], from shelf: SpoolShelf, redactor: Redactor) throws {
        let output = try ReportOutput(path: path, redactor: redactor)
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let all = suites.reduce(Tally()) { $0 + $1.tally }
        let time = suites.reduce(Duration.zero) { $0 + $1.duration }
        x += "<testsuites name=\"vigil\" tests=\"\(all.total)\" failures=\"\(all.failed)\" errors=\"\(all.errors)\" time=\"\(seconds(time))\">\n"
        let host = ProcessInfo.processInfo.hostName
        let iso = Date.ISO8601FormatStyle()
        for (i, s) in suites.enumerated() {
            let name = "\(s.collection) · \(s.environment)"
            x +=
                "  <testsuite name=\(attr(name)) id=\"\(i)\" package=\(attr(s.file)) tests=\"\(s.tally.total)\" failures=\"\(s.tally.failed)\" errors=\"\(s.tally.errors)\""
            x +=
                " skipped=\"\(s.tally.skipped)\" time=\"\(seconds(s.duration))\" timestamp=\(attr(s.started.formatted(iso))) hostname=\(attr(host)) file=\(attr(s.file))>\n"
            x += "    <properties>\n"
            x += "      <property name=\"collection\" value=\(attr(s.collection))/>\n"
            x += "      <property name=\"environment\" value=\(attr(s.environment))/>\n"
            if s.interrupted || !s.finished { x += "      <property name=\"interrupted\" value=\"true\"/>\n" }
            x += "    </properties>\n"
            try output.write(x)
            x = ""
            try shelf.forEach(for: s, part: "testcases") { try output.write($0) }
            if s.interrupted || !s.finished { x += "    <system-err>The run was interrupted.</system-err>\n" }
            x += "  </testsuite>\n"
        }
        try output.write(x + "</testsuites>\n")
        try output.commit()
    }

    private func testcase(_ r: RequestRecord, classname: String) -> String {
        let name = (r.ref.section == .finally ? "finally: " : "") + r.ref.name
        var x = "    <testcase name=\(attr(name)) classname=\(attr(classname)) time=\"\(seconds(r.duration))\">\n"
        let location = "\(r.ref.markFile):\(r.ref.mark.line):\(r.ref.mark.column)"
        let line = "\(r.ref.method) \(r.url)" + (r.status.map { " → \($0)" } ?? "") + (r.attempts > 1 ? " (\(r.attempts) attempts)" : "")
        switch r.outcome {
        case .passed:
            break
        case .skipped(let reason):
            x += "      <skipped message=\(attr(reason))/>\n"
        case .failed:
            let first = r.failures.first.map(\.description) ?? r.message ?? "failed"
            var body = r.message.map { [$0] } ?? []
            for f in r.failures {
                body.append(
                    "\(f.subject)\n  expected: \(f.expected)\n  actual:   \(f.actual)"
                        + (f.mark.map { "\n  at \(r.ref.markFile):\($0.line):\($0.column)" } ?? ""))
            }
            body.append("\(line)\nrequest at \(location)")
            x += "      <failure message=\(attr(first)) type=\"assertion\">\(text(body.joined(separator: "\n\n")))</failure>\n"
        case .error:
            let message = r.message ?? "no response"
            x += "      <error message=\(attr(message)) type=\"error\">\(text("\(message)\n\n\(line)\nrequest at \(location)"))</error>\n"
        }
        if r.attempts > 1 {
            let polls = r.polls.map { "attempt \($0.number): \($0.status.map(String.init) ?? "-") after \($0.elapsed.shortText)" }
            x += "      <system-out>\(text("polled \(r.attempts) times in \(r.duration.shortText)\n" + polls.joined(separator: "\n")))</system-out>\n"
        }
        return x + "    </testcase>\n"
    }

    /// A quoted, escaped attribute value.
    private func attr(_ s: String) -> String { "\"" + XML.escape(s, attribute: true) + "\"" }
    private func text(_ s: String) -> String { XML.escape(s, attribute: false) }
}

/// XML 1.0 escaping; characters XML cannot hold are dropped.
enum XML {
    static func escape(_ s: String, attribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\n" where attribute: out += "&#10;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || (0xFFFE...0xFFFF).contains(u.value) { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
