import Rainbow
import Synchronization
import VigilCore
import VigilRunner

/// The console reporter: one line per request, the details of each failure, a summary.
///
/// `VigilReport` holds the reporters. Each consumes ``RunEvent``s and writes only through a
/// ``Redactor``-backed output, so no secret reaches a terminal or a file.
public final class ConsoleReporter: RunObserver {
    public enum Verbosity: Sendable { case quiet, normal }

    private let out: TerminalOutput
    private let color: Bool
    private let verbosity: Verbosity
    private let state = Mutex(Totals())

    struct Totals {
        var passed = 0, failed = 0, errors = 0, skipped = 0, collections = 0
        var interrupted = false
    }

    /// Colour is used only on a terminal and never when `NO_COLOR` is set.
    public init(output: TerminalOutput, environment: [String: String], verbosity: Verbosity = .normal) {
        out = output
        self.verbosity = verbosity
        color = output.isTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }

    private func paint(_ s: String, _ style: (String) -> String) -> String { color ? style(s) : s }

    public func handle(_ event: RunEvent) {
        switch event {
        case .collectionStarted(let name, let file, let environment, _):
            state.withLock { $0.collections += 1 }
            guard verbosity == .normal else { return }
            out.line(paint("\(name)", { $0.bold }) + paint("  \(file) · \(environment)", { $0.dim }))
        case .collectionLoaded, .requestStarted, .attempt:
            break
        case .requestFinished(let r):
            state.withLock {
                switch r.outcome {
                case .passed: $0.passed += 1
                case .failed: $0.failed += 1
                case .error: $0.errors += 1
                case .skipped: $0.skipped += 1
                }
            }
            report(r)
        case .collectionFinished(let c):
            if c.interrupted { state.withLock { $0.interrupted = true } }
            if verbosity == .normal { out.line() }
            out.flush()
        case .warning(let text):
            out.line(paint("warning: ", { $0.yellow }) + text)
        }
    }

    private func report(_ r: RequestResult) {
        let prefix = r.ref.section == .finally ? "finally: " : ""
        let timing = r.attempts > 1 ? "\(r.duration.shortText), \(r.attempts) attempts" : r.duration.shortText
        switch r.outcome {
        case .passed:
            guard verbosity == .normal else { return }
            out.line("  " + paint("✓", { $0.green }) + " \(prefix)\(r.ref.name)  " + paint("\(r.ref.method) \(r.url) → \(r.status ?? 0) (\(timing))", { $0.dim }))
        case .skipped(let reason):
            guard verbosity == .normal else { return }
            out.line("  " + paint("–", { $0.yellow }) + " \(prefix)\(r.ref.name)  " + paint("skipped: \(reason)", { $0.yellow }))
        case .failed, .error:
            let status = r.status.map { " → \($0)" } ?? ""
            let mark = paint("✗", { $0.red })
            let where_ = "\(r.ref.file):\(r.ref.mark.line):\(r.ref.mark.column)"
            out.line("  \(mark) \(prefix)\(r.ref.name)  " + paint("\(r.ref.method) \(r.url)\(status)\(r.attempts > 0 ? " (\(timing))" : "")", { $0.dim }))
            if let message = r.message { out.line("      " + paint(message, { $0.red })) }
            for f in r.failures {
                out.line("      \(f.subject): expected " + paint(f.expected, { $0.green }) + ", got " + paint(f.actual, { $0.red }))
                if let m = f.mark { out.line(paint("        at \(r.ref.file):\(m.line):\(m.column)", { $0.dim })) }
            }
            out.line(paint("      request at \(where_)", { $0.dim }))
        }
    }

    /// Prints the closing summary line and returns the totals.
    @discardableResult
    public func finish(elapsed: Duration) -> (passed: Int, failed: Int, errors: Int, skipped: Int) {
        let t = state.withLock { $0 }
        var parts = ["\(t.passed) passed", "\(t.failed + t.errors) failed"]
        if t.skipped > 0 { parts.append("\(t.skipped) skipped") }
        let line = parts.joined(separator: ", ")
        let tail = " (\(t.collections) collection\(t.collections == 1 ? "" : "s"), \(elapsed.shortText)\(t.interrupted ? ", interrupted" : ""))"
        let styled = t.failed + t.errors > 0 ? paint(line, { $0.red.bold }) : paint(line, { $0.green.bold })
        out.line(styled + paint(tail, { $0.dim }))
        out.flush()
        return (t.passed, t.failed, t.errors, t.skipped)
    }
}
