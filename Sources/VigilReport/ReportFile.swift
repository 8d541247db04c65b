import Foundation
import VigilCore
import VigilRunner

/// A report written to a file (or folder) from the run's events. Written after each
/// collection, so a run that fails or is interrupted still leaves a complete report.
public protocol FileReport: RunObserver {
    /// Where the report goes.
    var path: String { get }
    /// Writes the report for what has run so far.
    func write() throws
}

extension FileReport {
    /// Writes `text` to `path` after a last pass through the redactor, creating folders.
    func save(_ text: String, to path: String, redactor: Redactor) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(redactor.redact(text).utf8).write(to: url, options: .atomic)
    }
}

/// Seconds with three decimals, as JUnit and the JSON report write times.
func seconds(_ d: Duration) -> String { String(format: "%.3f", max(0, d.milliseconds) / 1000) }

/// Whole milliseconds.
func millis(_ d: Duration) -> Int64 { Int64(max(0, d.milliseconds).rounded()) }

/// A template context without its nil values (a missing key is a false section).
func templateContext(_ values: [String: Any?]) -> [String: Any] { values.compactMapValues { $0 } }
