#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where reports put their parts while the run goes: one file in a private folder (mode 0700)
/// of the temporary directory, where every report's fragments (a request's JSON, HTML section
/// or JUnit test case) are appended as they come, and an index in memory of where each named
/// part's fragments are. The final file is assembled by reading them back in order, never
/// holding the run in memory. Removed by ``remove()``.
///
/// One file, not one per report, collection run and part: 10,000 collection runs made 80,000
/// small files, and creating them cost the file system more than the run itself.
public final class ReportSpool {
    /// The spool folder.
    public let directory: String
    private let path: String
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    /// Bytes already written to the file.
    private var written = 0
    /// Each part's fragments, in the order appended: where they start in the file, how long.
    private var fragments: [String: [(offset: Int, length: Int)]] = [:]
    private var removed = false

    /// Makes the private folder and its file.
    public init() throws {
        let base = FileManager.default.temporaryDirectory.path
        var template = Array((base + "/vigil-reports-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw ReportIOError.last("create a spool folder in \(base)")
        }
        directory = String(cString: made)
        path = directory + "/spool"
        fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw ReportIOError.last("create the spool file \(path)") }
        buffer.reserveCapacity(1 << 16)
    }

    deinit { remove() }

    /// Appends one fragment to the part `name`.
    public func append(_ text: String, to name: String) throws {
        let bytes = text.utf8
        fragments[name, default: []].append((written + buffer.count, bytes.count))
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes what is buffered (a collection run ended).
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try writeAll(fd, buffer, what: "write the spool file \(path)")
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Each fragment of the part `name` in the order appended (none if there is no such part).
    public func forEach(in name: String, _ body: (String) throws -> Void) throws {
        guard let list = fragments[name] else { return }
        try flush()
        var bytes: [UInt8] = []
        for fragment in list {
            if bytes.count < fragment.length { bytes = [UInt8](repeating: 0, count: fragment.length) }
            var done = 0
            while done < fragment.length {
                let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, fragment.length - done, off_t(fragment.offset + done)) }
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { throw ReportIOError.last("read the spool file \(path)") }
                done += n
            }
            try body(String(decoding: bytes[0..<fragment.length], as: UTF8.self))
        }
    }

    /// Removes the folder and everything in it (also when the spool goes away).
    public func remove() {
        guard !removed else { return }
        removed = true
        if fd >= 0 {
            #if canImport(Glibc)
                Glibc.close(fd)
            #elseif canImport(Musl)
                Musl.close(fd)
            #else
                Darwin.close(fd)
            #endif
            fd = -1
        }
        fragments = [:]
        try? FileManager.default.removeItem(atPath: directory)
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
