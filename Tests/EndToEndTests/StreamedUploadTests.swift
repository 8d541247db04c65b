import Foundation
import Testing
import VigilTestSupport

/// Issue 15: a 100 MB multipart upload is streamed from disk: the bytes arrive intact, and the
/// `vigil` process never holds the file (peak RSS under 60 MB).
@Suite struct StreamedUploadTests {
    static let size = 100 * 1024 * 1024

    /// Runs `vigil` and samples its peak resident set (VmHWM) until it ends; returns its exit
    /// status, output and peak in bytes.
    static func vigilPeak(_ arguments: [String], in directory: URL) throws -> (status: Int32, output: String, peak: Int) {
        let process = Process()
        process.executableURL = vigilBinary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        process.environment = env
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-peak-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        let handle = try FileHandle(forWritingTo: out)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        var peak = 0
        while process.isRunning {
            if let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                let kb = Int(line.split(separator: " ").dropFirst().first { !$0.isEmpty }?.description ?? "")
            {
                peak = max(peak, kb * 1024)
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        process.waitUntilExit()
        try handle.close()
        let output = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: out)
        return (process.terminationStatus, output, peak)
    }

    /// A folder the sink saves into, removed at the end of the test by the caller.
    static func sinkFolder() throws -> URL {
        let received = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: received, withIntermediateDirectories: true)
        return received
    }

    /// `size` bytes at `file`: megabyte chunks of varied bytes (`seed`), each numbered in its first bytes.
    static func writeBigFile(_ file: URL, seed: Int) throws {
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let writer = try FileHandle(forWritingTo: file)
        var chunk = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* (31 - seed) &+ $0 >> 13 &+ seed) }
        for n in 0..<(size / chunk.count) {
            chunk[0] = UInt8(truncatingIfNeeded: n)
            chunk[1] = UInt8(truncatingIfNeeded: n >> 8)
            try writer.write(contentsOf: chunk)
        }
        try writer.close()
    }

    @Test func aHundredMegabyteUploadIsStreamed() async throws {
        let received = try Self.sinkFolder()
        defer { try? FileManager.default.removeItem(at: received) }
        let server = try await UploadSinkServer.start(savingTo: received)
        defer { Task { await server.stop() } }
        let dir = try scratch([
            "c.yaml": """
            name: Big upload
            requests:
              - name: Upload 100 MB
                POST: "\(server.baseURL)/upload"
                multipart:
                  upload: { file: big.bin }
                timeout: 120s
                expect:
                  status: 201
                  body: { size: { gt: \(Self.size) } }
            """
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("big.bin")
        try Self.writeBigFile(file, seed: 7)

        let run = try await Task.detached { try Self.vigilPeak(["run", "c.yaml"], in: dir) }.value
        #expect(run.status == 0, "\(run.output)")
        let got = try #require(server.received.first)
        // The body is the part's head, the file's bytes as they are, and the closing boundary.
        let boundary = try #require(got.contentType?.split(separator: "boundary=").last.map(String.init))
        let prefix = Data(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"big.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        let suffix = Data("\r\n--\(boundary)--\r\n".utf8)
        let body = try Data(contentsOf: got.file)
        let original = try Data(contentsOf: file)
        #expect(got.count == prefix.count + Self.size + suffix.count)
        #expect(body.prefix(prefix.count) == prefix)
        #expect(body.suffix(suffix.count) == suffix)
        #expect(body.dropFirst(prefix.count).dropLast(suffix.count) == original)
        #expect(run.peak > 0 && run.peak < 60 * 1024 * 1024, "peak RSS \(run.peak / 1024 / 1024) MB")
        print("100 MB multipart upload: vigil peak RSS \(run.peak / 1024 / 1024) MB")
    }

    /// A `file:` body over 1 MiB is streamed the same way: 100 MB arrive as they are, and the
    /// run's memory stays flat.
    @Test func aHundredMegabyteFileBodyIsStreamed() async throws {
        let received = try Self.sinkFolder()
        defer { try? FileManager.default.removeItem(at: received) }
        let server = try await UploadSinkServer.start(savingTo: received)
        defer { Task { await server.stop() } }
        let dir = try scratch([
            "c.yaml": """
            name: Big body
            requests:
              - name: Send 100 MB
                PUT: "\(server.baseURL)/upload"
                file: big.bin
                timeout: 120s
                expect: { status: 201 }
            """
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("big.bin")
        try Self.writeBigFile(file, seed: 3)
        let run = try await Task.detached { try Self.vigilPeak(["run", "c.yaml"], in: dir) }.value
        #expect(run.status == 0, "\(run.output)")
        let got = try #require(server.received.first)
        #expect(got.count == Self.size)
        #expect(try Data(contentsOf: got.file) == (try Data(contentsOf: file)))
        #expect(run.peak > 0 && run.peak < 60 * 1024 * 1024, "peak RSS \(run.peak / 1024 / 1024) MB")
    }
}
