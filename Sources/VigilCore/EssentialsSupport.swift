// What Vigil used of full Foundation, written on FoundationEssentials and the C library.
//
// Why: on Linux, full Foundation (swift-corelibs-foundation) brings CoreFoundation,
// FoundationInternationalization and ICU, whose data alone is 34 MB of a static binary;
// one `NSString`, `CharacterSet` or `String(format:)` anywhere links all of it. The
// modules of the shipped binary import `FoundationEssentials` (Linux) or `Foundation`
// (macOS) and use these instead (docs/performance.md, "Binary size").

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

/// File paths as text, with `NSString`'s path rules: runs of `/` count as one and a trailing
/// `/` is ignored; nothing is resolved against the current folder.
public enum PathText {
    /// The folder of `path` (`a/b.yaml` → `a`, `b.yaml` → empty, `/b` → `/`).
    public static func folder(of path: String) -> String {
        let fixed = fixingSlashes(path)
        if fixed == "/" || fixed.isEmpty { return fixed }
        guard let slash = fixed.lastIndex(of: "/") else { return "" }
        return slash == fixed.startIndex ? "/" : String(fixed[..<slash])
    }

    /// `name` inside `folder` (`a` + `b.yaml` → `a/b.yaml`), slashes kept as they are.
    public static func join(_ folder: String, _ name: String) -> String {
        if name.isEmpty { return folder }
        if folder.isEmpty { return name }
        return folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// The last component of `path` (`a/b.yaml` → `b.yaml`, `/` → `/`).
    public static func lastComponent(_ path: String) -> String {
        let fixed = fixingSlashes(path)
        if fixed.count <= 1 { return fixed }
        guard let slash = fixed.lastIndex(of: "/") else { return fixed }
        return String(fixed[fixed.index(after: slash)...])
    }

    /// `path` without its extension (`a/b.yaml` → `a/b`; `.hidden` and `..` have none).
    public static func deletingExtension(_ path: String) -> String {
        let fixed = fixingSlashes(path)
        if fixed.count <= 1 { return fixed }
        let start = fixed.lastIndex(of: "/").map { fixed.index(after: $0) } ?? fixed.startIndex
        guard let dot = fixed[start...].lastIndex(of: "."), dot != start, fixed[start...] != ".." else { return fixed }
        return String(fixed[..<dot])
    }

    private static func fixingSlashes(_ path: String) -> String {
        guard path.contains("/") else { return path }
        var out = ""
        for c in path where !(c == "/" && out.hasSuffix("/")) { out.append(c) }
        if out.count > 1, out.hasSuffix("/") { out.removeLast() }
        return out
    }

    /// Whether `path` exists, and whether it is a folder (symbolic links followed).
    public static func kind(of path: String) -> (exists: Bool, isFolder: Bool) {
        #if canImport(FoundationEssentials)
            var isFolder = false
        #else
            var isFolder: ObjCBool = false
        #endif
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        #if canImport(FoundationEssentials)
            return (exists, isFolder)
        #else
            return (exists, isFolder.boolValue)
        #endif
    }

    /// Every file and folder under `folder`, as paths relative to it, or nil when it cannot be
    /// listed (what `FileManager.enumerator(atPath:)` gives, in no set order).
    public static func everything(under folder: String) -> [String]? {
        try? FileManager.default.subpathsOfDirectory(atPath: folder)
    }
}

extension StringProtocol {
    /// Without the spaces and tabs at either end (`CharacterSet.whitespaces`: tab, the space
    /// separators, and U+200B ZERO WIDTH SPACE as Foundation has it).
    public func trimmingWhitespace() -> String {
        trimming { $0 == "\t" || $0 == "\u{200B}" || $0.properties.generalCategory == .spaceSeparator }
    }

    /// Without white space and line ends at either end (`CharacterSet.whitespacesAndNewlines`).
    public func trimmingWhitespaceAndNewlines() -> String {
        trimming {
            switch $0 {
            case "\t", "\n", "\u{0B}", "\u{0C}", "\r", "\u{85}", "\u{2028}", "\u{2029}", "\u{200B}": true
            default: $0.properties.generalCategory == .spaceSeparator
            }
        }
    }

    /// Without the characters of `set` at either end (`CharacterSet(charactersIn:)`).
    public func trimming(charactersIn set: String) -> String {
        let scalars = Set(set.unicodeScalars)
        return trimming { scalars.contains($0) }
    }

    private func trimming(_ drop: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !drop($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !drop($0) })!
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[first...last])
        return String(out)
    }

    /// `+` as space and `%XX` decoded, as a form field; nil when an escape is malformed or the
    /// bytes are not UTF-8 (`removingPercentEncoding`, after replacing `+`).
    public func formDecoded() -> String? {
        var bytes: [UInt8] = []
        var utf8 = self.utf8.makeIterator()
        while let b = utf8.next() {
            switch b {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let h = utf8.next().flatMap(Self.hexValue), let l = utf8.next().flatMap(Self.hexValue) else { return nil }
                bytes.append(h << 4 | l)
            default: bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// `printf`-style formatting by the C library (`String(format:)` without Foundation): the
/// same digits and rounding, for numbers only.
public func cFormat(_ format: String, _ arguments: any CVarArg...) -> String {
    withVaList(arguments) { list in
        var buffer = [CChar](repeating: 0, count: 64)
        let needed = Int(vsnprintf(&buffer, buffer.count, format, list))
        guard needed >= buffer.count else { return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        buffer = [CChar](repeating: 0, count: needed + 1)
        return withVaList(arguments) { again in
            _ = vsnprintf(&buffer, buffer.count, format, again)
            return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}

/// An error in words for a message: the system's reason for a file error
/// (`No such file or directory`), else the error as it describes itself.
public func errorText(_ error: any Error) -> String {
    if let e = error as? CocoaError, let posix = e.underlying as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
    if let e = error as? POSIXError { return String(cString: strerror(e.code.rawValue)) }
    if let e = error as? CocoaError, let reason = e.userInfo["NSLocalizedDescription"] as? String { return reason }
    return String(describing: error)
}

/// The whole of standard input, or of the file at `path` (a pipe or a process substitution
/// such as `<(cmd)` too), read with `read(2)`; nil when it cannot be opened or read. With a
/// `limit`, reading stops once that many bytes are in (the head of a file).
public enum FileBytes {
    public static func standardInput() -> [UInt8]? { readAll(STDIN_FILENO) }

    public static func contents(atPath path: String, limit: Int = .max) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readAll(fd, limit: limit)
    }

    private static func readAll(_ fd: Int32, limit: Int = .max) -> [UInt8]? {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: min(65_536, max(1, limit)))
        while out.count < limit {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { return out }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            out += chunk[..<n]
        }
        return Array(out.prefix(limit))
    }
}

/// A file open for writing, written with `write(2)` (`FileHandle` without Foundation).
public final class FileWriter {
    private var fd: Int32

    /// Opens `path` (which must exist) for writing, from its start; throws the system's error.
    public init(path: String) throws {
        fd = open(path, O_WRONLY | O_TRUNC)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// Writes all of `bytes`; throws the system's error.
    public func write(_ bytes: [UInt8]) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glue.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            done += n
        }
    }

    /// Closes the file (once; later calls do nothing).
    public func close() {
        if fd >= 0 { _ = Glue.close(fd) }
        fd = -1
    }

    deinit { close() }
}

/// The C library's functions whose names `FileWriter` reuses.
private enum Glue {
    static func write(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
        #if canImport(Glibc)
            Glibc.write(fd, p, n)
        #elseif canImport(Musl)
            Musl.write(fd, p, n)
        #else
            Darwin.write(fd, p, n)
        #endif
    }

    static func close(_ fd: Int32) -> Int32 {
        #if canImport(Glibc)
            Glibc.close(fd)
        #elseif canImport(Musl)
            Musl.close(fd)
        #else
            Darwin.close(fd)
        #endif
    }
}
