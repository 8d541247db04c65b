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
    /// progress line. The text must already fit the terminal (``columns``): one that wrapped
    /// would leave a stale line behind.
    public func transient(_ text: String) {
        let shown = redactor.redact(text)
        buffer.withLock { $0.append(contentsOf: Array("\r\u{1B}[2K\(shown)".utf8)) }
        flush()
    }

    /// The terminal's width, asked each time (it may be resized); `COLUMNS`, then 80, when the
    /// descriptor is not a terminal or does not say.
    public var columns: Int {
        var size = winsize()
        if isTerminal, ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let text = getenv("COLUMNS"), let n = Int(String(cString: text)), n > 0 { return n }
        return 80
    }

    /// Erases a line written by ``transient(_:)``.
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
