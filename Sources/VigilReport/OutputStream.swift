#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization
import VigilCore

/// Buffered text output to a file descriptor, every line passed through the run's ``Redactor``.
/// Flushes at the end of each collection, when the buffer is large, or per line on a terminal.
public final class TerminalOutput: Sendable {
    private let fd: Int32
    private let redactor: Redactor
    private let buffer = Mutex<[UInt8]>([])
    /// Whether the descriptor is a terminal.
    public let isTerminal: Bool

    public init(fd: Int32 = 1, redactor: Redactor) {
        self.fd = fd
        self.redactor = redactor
        isTerminal = isatty(fd) == 1
    }

    /// Writes `text` (redacted) and a newline.
    public func line(_ text: String = "") {
        let bytes = Array(redactor.redact(text).utf8) + [10]
        let full = buffer.withLock { b -> Bool in
            b.append(contentsOf: bytes)
            return b.count >= 64 * 1024
        }
        if full || isTerminal { flush() }
    }

    /// Replaces the current terminal line with `text` (redacted), without a newline: a live
    /// progress line. Cut to `width` characters so it never wraps.
    public func transient(_ text: String, width: Int = 100) {
        let shown = redactor.redact(text)
        let cut = shown.excerpt(limit: width - 1)
        buffer.withLock { $0.append(contentsOf: Array("\r\u{1B}[2K\(cut)".utf8)) }
        flush()
    }

    /// Erases a line written by ``transient(_:width:)``.
    public func clearTransient() {
        buffer.withLock { $0.append(contentsOf: Array("\r\u{1B}[2K".utf8)) }
        flush()
    }

    public func flush() {
        let bytes = buffer.withLock { b -> [UInt8] in
            defer { b.removeAll(keepingCapacity: true) }
            return b
        }
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }
}
