import ArgumentParser
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore
import VigilReport

/// `vigil merge REPORT.json… --report KIND=PATH…`: the JSON reports of a run's shards made
/// into the reports of one run.
struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the JSON reports of a sharded run (--shard i/n) into the reports of one run.",
        discussion: """
            Collections are put back in the order of the whole run; the reports are those a single run would
            have written, timings aside. Exits as the run would have: 0 all passed, 1 a check failed, 3 an
            error or an interrupted shard; 2 for a report that cannot be read.
            """
    )

    @Argument(help: ArgumentHelp("The shards' JSON reports (vigil run --report json=FILE).", valueName: "report.json"))
    var inputs: [String] = []

    @Option(
        name: .customLong("report"),
        help: ArgumentHelp("Write a report, KIND=PATH: junit=FILE, json=FILE, html=FILE, markdown=DIR (repeatable).", valueName: "kind=path"),
        transform: ReportRequest.argument)
    var reports: [ReportRequest] = []

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("give the JSON reports to merge: vigil merge shard-1.json shard-2.json … --report KIND=PATH") }
        if reports.isEmpty { throw ValidationError("give at least one --report KIND=PATH to write (junit, json, html, markdown)") }
    }

    func run() async throws {
        var read: [ReadReport] = []
        for path in inputs {
            guard let bytes = InputLoader.bytes(atPath: path) else {
                FileOutput.stderr("error: \(path): no such file, or not readable")
                throw VigilExit.invalidInput.exitCode
            }
            do { read.append(try ReportReader.read(bytes, file: path)) } catch {
                FileOutput.stderr("error: \(error.description)")
                throw VigilExit.invalidInput.exitCode
            }
        }
        let merged: ReportMerge.Merged
        do { merged = try ReportMerge.merge(read) } catch {
            FileOutput.stderr("error: \(error.description)")
            throw VigilExit.invalidInput.exitCode
        }
        for w in merged.warnings { FileOutput.stderr(w) }
        let suites = merged.suites
        let stabilizers = merged.baseURLs.mapValues { DocsStabilizer(baseURL: $0) }
        let suiteStabilizers = merged.suiteBaseURLs.mapValues { DocsStabilizer(baseURL: $0) }
        // The reports were redacted when the shards wrote them.
        let redactor = Redactor()
        var unwritten = false
        for var request in reports {
            do {
                if request.kind == .markdown { request.command = CommandText.current() }
                let reporter = request.makeReporter(stabilizers: stabilizers, suiteStabilizers: suiteStabilizers)
                for c in merged.coverages { reporter.add(c) }
                try reporter.write(suites, redactor: redactor)
            } catch {
                FileOutput.stderr("error: could not write the report \(request.path): \(errorText(error))")
                unwritten = true
            }
        }
        let total = suites.reduce(Tally()) { $0 + $1.tally }
        FileOutput.stdout(
            "merged \(read.count) report\(read.count == 1 ? "" : "s"): \(suites.count) collection run\(suites.count == 1 ? "" : "s"), "
                + "\(total.total) requests: \(total.passed) passed, \(total.failed) failed, \(total.errors) errors, \(total.skipped) skipped")
        if unwritten || total.errors > 0 || suites.contains(where: \.interrupted) { throw VigilExit.runtimeError.exitCode }
        if total.failed > 0 { throw VigilExit.assertionFailed.exitCode }
    }
}
