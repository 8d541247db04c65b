import Foundation
import VigilCore
import VigilRunner

/// A report written to a file (or folder) from the records of a run.
public protocol FileReport: Sendable {
    /// Where the report goes.
    var path: String { get }
    /// Writes the report for what has run so far.
    func write(_ suites: [SuiteRecord], redactor: Redactor) throws
}

/// The file reports of a run, fed by one ``ReportLog`` (events are recorded and redacted
/// once, whatever the number of reports) and written once, when the run has ended (failed and
/// interrupted runs included: a stop ends the run quickly, then the reports are written).
public final class ReportSet: RunEventConsumer {
    public let reports: [any FileReport]
    private let log: ReportLog

    public init(_ reports: [any FileReport], redactor: Redactor) {
        self.reports = reports
        log = ReportLog(redactor: redactor)
    }

    public func consume(_ event: RunEvent) {
        log.handle(event)
    }

    /// Writes every report; returns those that could not be written.
    public func writeAll() -> [(path: String, error: any Error)] {
        let suites = log.suites
        var failed: [(path: String, error: any Error)] = []
        for report in reports {
            do { try report.write(suites, redactor: log.redactor) } catch { failed.append((report.path, error)) }
        }
        return failed
    }
}

extension FileReport {
    /// Writes `text` to `path` after a last pass through the redactor, creating folders. `-` is
    /// standard output. A regular file is replaced atomically; anything else that exists (a
    /// device such as `/dev/stdout`, a FIFO) is written in place, never replaced; a symbolic
    /// link is followed.
    func save(_ text: String, to path: String, redactor: Redactor) throws {
        let data = Data(redactor.redact(text).utf8)
        if path == "-" {
            try FileHandle.standardOutput.write(contentsOf: data)
            return
        }
        var url = URL(fileURLWithPath: path)
        // Follow symbolic links, a dangling one too: the report goes where the link points.
        for _ in 0..<16 {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: url.path) else { break }
            url = target.hasPrefix("/") ? URL(fileURLWithPath: target) : url.deletingLastPathComponent().appendingPathComponent(target)
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
            (try? FileManager.default.attributesOfItem(atPath: url.path)[.type] as? FileAttributeType) != .typeRegular
        {
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            return
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    }
}

/// Seconds with three decimals, as JUnit and the JSON report write times.
func seconds(_ d: Duration) -> String { String(format: "%.3f", max(0, d.milliseconds) / 1000) }

/// Whole milliseconds.
func millis(_ d: Duration) -> Int64 { Int64(max(0, d.milliseconds).rounded()) }

/// A template context without its nil values (a missing key is a false section).
func templateContext(_ values: [String: Any?]) -> [String: Any] { values.compactMapValues { $0 } }
