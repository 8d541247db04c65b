import Foundation
import Synchronization
import Testing

/// The repository root, found from this file's path.
let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    fatalError("no Package.swift above \(#filePath)")
}()

/// The `vigil` binary built beside the test bundle.
let vigilBinary: URL = {
    let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [bundleDir, bundleDir.deletingLastPathComponent()] {
        let url = candidate.appendingPathComponent("vigil")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return repositoryRoot.appendingPathComponent(".build/debug/vigil")
}()

/// What a finished `vigil` process left behind.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var all: String { stdout + stderr }
}

/// Runs `vigil` with `arguments` in `directory`; `environment` is added to the process's own;
/// `signal` is sent to the process after the given time (and each of `signals` after its own).
///
/// The process is started and waited for on threads of its own, not on the Swift concurrency
/// pool (two threads on a two-core machine), so an in-process server of the same test process
/// keeps being served while the child runs.
func vigil(
    _ arguments: [String], in directory: URL = repositoryRoot, environment: [String: String] = [:],
    signal: (after: Duration, number: Int32)? = nil, signals: [(after: Duration, number: Int32)] = []
) async throws -> ProcessResult {
    let signals = (signal.map { [$0] } ?? []) + signals
    return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ProcessResult, any Error>) in
        Thread.detachNewThread {
            let process = Process()
            process.executableURL = vigilBinary
            process.arguments = arguments
            process.currentDirectoryURL = directory
            var env = ProcessInfo.processInfo.environment
            env["NO_COLOR"] = "1"
            for (k, v) in environment { env[k] = v }
            process.environment = env
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: error)
                return
            }
            for signal in signals {
                let pid = process.processIdentifier
                let seconds = Double(signal.after.components.seconds) + Double(signal.after.components.attoseconds) / 1e18
                DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { kill(pid, signal.number) }
            }
            let stderrData = Mutex(Data())
            let done = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                let data = err.fileHandleForReading.readDataToEndOfFile()
                stderrData.withLock { $0 = data }
                done.signal()
            }
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            done.wait()
            process.waitUntilExit()
            continuation.resume(
                returning: ProcessResult(
                    status: process.terminationStatus,
                    stdout: String(decoding: stdout, as: UTF8.self),
                    stderr: String(decoding: stderrData.withLock { $0 }, as: UTF8.self)))
        }
    }
}

/// A fresh temporary folder holding `files` (name → text).
func scratch(_ files: [String: String]) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (name, text) in files {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return dir
}

/// An embedded-emulator environment with the default administrator.
func embeddedEnvironment(profile: String = "2025 R2", extra: String = "") -> String {
    """
    name: Test emulator
    server: embedded
    profile: \(profile)
    variables:
      api: "{{baseUrl}}/api/rest/v1"
    auth:
      xprotect:
        type: xprotect-basic
        username: admin
        password: admin
    \(extra)
    """
}
