import Foundation

/// Where reports put their parts while the run goes: a private folder (mode 0700) in the
/// temporary directory, one file per report, collection run and part, each a sequence of
/// fragments (a request's JSON, HTML section or JUnit test case), so the final file is
/// assembled by streaming them, never holding the run in memory. Removed by ``remove()``.
public final class ReportSpool {
    /// The spool folder.
    public let directory: String
    private var files: [String: SpoolFile] = [:]
    private var removed = false

    /// Makes the private folder.
    public init() throws {
        let base = FileManager.default.temporaryDirectory.path
        var template = Array((base + "/vigil-reports-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw ReportIOError.last("create a spool folder in \(base)")
        }
        directory = String(cString: made)
    }

    deinit { remove() }

    /// Appends one fragment to the spool file `name`.
    public func append(_ text: String, to name: String) throws {
        if files[name] == nil { files[name] = try SpoolFile(path: directory + "/" + name) }
        try files[name]!.append(text)
    }

    /// Flushes and closes the files whose names start with `prefix` (a collection run that ended).
    public func close(prefix: String = "") throws {
        for name in files.keys where name.hasPrefix(prefix) {
            defer { files[name] = nil }
            try files[name]!.close()
        }
    }

    /// Each fragment of the spool file `name` in the order appended (none if there is no such file).
    public func forEach(in name: String, _ body: (String) throws -> Void) throws {
        try files[name]?.close()
        files[name] = nil
        let fd = open(directory + "/" + name, O_RDONLY)
        guard fd >= 0 else {
            if errno == ENOENT { return }
            throw ReportIOError.last("read the spool file \(name)")
        }
        defer { Foundation.close(fd) }
        var buffer: [UInt8] = []
        var start = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw ReportIOError.last("read the spool file \(name)") }
            if n == 0 { break }
            buffer.append(contentsOf: chunk[0..<n])
            while buffer.count - start >= 4 {
                let length = buffer[start..<start + 4].reversed().reduce(0) { $0 << 8 | Int($1) }
                guard buffer.count - start - 4 >= length else { break }
                try body(String(decoding: buffer[start + 4..<start + 4 + length], as: UTF8.self))
                start += 4 + length
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
        }
    }

    /// Removes the folder and everything in it (also when the spool goes away).
    public func remove() {
        guard !removed else { return }
        removed = true
        for file in files.values { try? file.close() }
        files = [:]
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A spool file being written: fragments, each its length (4 bytes, little-endian) then its UTF-8.
private final class SpoolFile {
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let path: String

    init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { throw ReportIOError.last("create the spool file \(path)") }
        buffer.reserveCapacity(1 << 16)
    }

    deinit { if fd >= 0 { Foundation.close(fd) } }

    func append(_ text: String) throws {
        let length = text.utf8.count
        for shift in stride(from: 0, to: 32, by: 8) { buffer.append(UInt8(truncatingIfNeeded: length >> shift)) }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    func flush() throws {
        try writeAll(fd, buffer, what: "write the spool file \(path)")
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        guard fd >= 0 else { return }
        defer {
            Foundation.close(fd)
            fd = -1
        }
        try flush()
    }
}

/// Writes every byte of `bytes` to `fd`.
func writeAll(_ fd: Int32, _ bytes: [UInt8], what: @autoclosure () -> String) throws {
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
        if n < 0 {
            if errno == EINTR { continue }
            throw ReportIOError.last(what())
        }
        done += n
    }
}

/// A failed file operation of a report, with the system's reason.
public struct ReportIOError: Error, LocalizedError, CustomStringConvertible {
    public var description: String
    public var errorDescription: String? { description }

    static func last(_ what: String) -> ReportIOError {
        ReportIOError(description: "could not \(what): \(String(cString: strerror(errno)))")
    }
}
