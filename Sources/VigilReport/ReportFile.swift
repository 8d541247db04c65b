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
import VigilCore
import VigilRunner

/// A report written to a file (or folder): its parts are spooled as the run goes
/// (``spool(_:of:ordinal:into:)``) and the file is assembled from them once, at the end.
public protocol FileReport: AnyObject {
    /// Where the report goes.
    var path: String { get }
    /// Whether it needs every record of a collection run kept until the end (Markdown: a page
    /// names the later requests that use each capture).
    var keepsRecords: Bool { get }
    /// Spools what it shows of one finished request, the `ordinal`-th of its collection run.
    func spool(_ record: RequestRecord, of suite: SuiteRecord, ordinal: Int, into shelf: SpoolShelf) throws
    /// Writes the report for what has run so far: the suites' summaries, their spooled parts.
    func write(_ suites: [SuiteRecord], from shelf: SpoolShelf, redactor: Redactor) throws
    /// Takes the OpenAPI coverage of an environment's run, to show at the end (JSON, HTML).
    func add(_ coverage: OpenAPICoverage)
}

extension FileReport {
    public var keepsRecords: Bool { false }
    public func add(_ coverage: OpenAPICoverage) {}

    /// Writes the report of records held in memory (each suite's `requests`), through a spool of its own.
    public func write(_ suites: [SuiteRecord], redactor: Redactor) throws {
        let shelf = SpoolShelf(spool: try ReportSpool(), owner: 0)
        defer { shelf.spool.remove() }
        for s in suites {
            for (i, r) in s.requests.enumerated() { try spool(r, of: s, ordinal: i, into: shelf) }
        }
        try write(suites, from: shelf, redactor: redactor)
    }
}

/// One report's files in the spool: a part (`requests`, `failures`) of each collection run.
public struct SpoolShelf {
    public let spool: ReportSpool
    public let owner: Int

    func name(_ suite: SuiteRecord, _ part: String) -> String { "\(owner)-\(suite.serial)-\(part)" }

    func append(_ text: String, for suite: SuiteRecord, part: String) throws {
        try spool.append(text, to: name(suite, part))
    }

    func forEach(for suite: SuiteRecord, part: String, _ body: (String) throws -> Void) throws {
        try spool.forEach(in: name(suite, part), body)
    }
}

/// The file reports of a run, fed by one ``ReportLog`` (events are recorded and redacted
/// once, whatever the number of reports). Each finished request is spooled by every report
/// as it arrives; the reports are written once, when the run has ended (failed and
/// interrupted runs included: a stop ends the run quickly, then the reports are written), and
/// the spool is removed then.
public final class ReportSet: RunEventConsumer {
    public let reports: [any FileReport]
    private let log: ReportLog
    private var spool: Result<ReportSpool, any Error>?
    /// Reports that could not spool a part: they are not written.
    private var failures: [Int: any Error] = [:]

    /// `showsFileBodies` (`--verbose`): bodies read from files are shown, not only named.
    /// `order`: the run's order of suites (``RunOrder``), whatever order they run in.
    public init(_ reports: [any FileReport], redactor: Redactor, showsFileBodies: Bool = false, order: RunOrder? = nil) {
        self.reports = reports
        log = ReportLog(redactor: redactor, keepsRecords: reports.contains { $0.keepsRecords }, showsFileBodies: showsFileBodies, order: order)
    }

    deinit { if case .success(let s)? = spool { s.remove() } }

    /// The spool folder, once made.
    var spoolDirectory: String? { try? spool?.get().directory }

    /// The spool folder, made on first use.
    private func spoolFolder() throws -> ReportSpool {
        if spool == nil { spool = Result { try ReportSpool() } }
        return try spool!.get()
    }

    public func consume(_ event: RunEvent) {
        if case .openAPICoverage(let c) = event {
            for report in reports { report.add(c) }
            return
        }
        let finished = log.handle(event)
        if let finished, let folder = try? spoolFolder() {
            for (i, report) in reports.enumerated() where failures[i] == nil {
                do {
                    try report.spool(finished.record, of: finished.suite, ordinal: finished.ordinal, into: SpoolShelf(spool: folder, owner: i))
                } catch { failures[i] = error }
            }
        }
        if case .collectionFinished = event, let folder = try? spool?.get() {
            do {
                try folder.flush()
            } catch {
                for i in reports.indices where failures[i] == nil { failures[i] = error }
            }
        }
    }

    /// Writes every report, then removes the spool; returns the reports that could not be written.
    public func writeAll() -> [(path: String, error: any Error)] {
        let suites = log.suites
        var failed: [(path: String, error: any Error)] = []
        let folder: ReportSpool
        do { folder = try spoolFolder() } catch { return reports.map { ($0.path, error) } }
        defer { folder.remove() }
        for (i, report) in reports.enumerated() {
            if let error = failures[i] {
                failed.append((report.path, error))
                continue
            }
            do { try report.write(suites, from: SpoolShelf(spool: folder, owner: i), redactor: log.redactor) } catch { failed.append((report.path, error)) }
        }
        return failed
    }
}

/// A report file being written, piece by piece, each piece passed through the redactor once
/// more. `-` is standard output. A regular file is replaced atomically when it is complete
/// (written to a temporary file beside it, then renamed); anything else that exists (a device
/// such as `/dev/stdout`, a FIFO) is written in place, never replaced; a symbolic link is
/// followed. Folders are created.
final class ReportOutput {
    private var fd: Int32
    private let closes: Bool
    private let target: String
    private let temporary: String?
    private let redactor: Redactor
    private var buffer: [UInt8] = []

    init(path: String, redactor: Redactor) throws {
        self.redactor = redactor
        guard path != "-" else {
            (fd, closes, target, temporary) = (1, false, "-", nil)
            return
        }
        // Standard output or error named by a path (`/dev/stdout`, `/dev/fd/2`, the file standard
        // output is redirected to): written to that descriptor, where the console writes too,
        // never replaced. (`/dev/stdout` of a pipe links to `pipe:[…]`, no path to follow.)
        if let standard = Self.standardDescriptor(named: path) {
            (fd, closes, target, temporary) = (standard, false, path, nil)
            return
        }
        // A path that is not a link (`lstat`) and names a file is used as given: URLs and
        // FileManager's calls (which build an error for every path that is not a link) cost more
        // than the rest of writing a small page, and a run of 10,000 collections writes 10,000.
        var info = stat()
        let name = PathText.lastComponent(path)
        var target = path
        var folder = PathText.folder(of: path)
        if lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK || name.isEmpty || name == "." || name == ".." || path.hasSuffix("/") {
            // Follow symbolic links, a dangling one too: the report goes where the link points.
            var url = URL(fileURLWithPath: path)
            for _ in 0..<16 {
                guard lstat(url.path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK,
                    let target = try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)
                else { break }
                url = target.hasPrefix("/") ? URL(fileURLWithPath: target) : url.deletingLastPathComponent().appendingPathComponent(target)
            }
            target = url.path
            folder = url.deletingLastPathComponent().path
        }
        self.target = target
        closes = true
        if stat(target, &info) == 0, info.st_mode & S_IFMT != S_IFDIR, info.st_mode & S_IFMT != S_IFREG {
            temporary = nil
            fd = open(target, O_WRONLY)
            guard fd >= 0 else { throw ReportIOError.last("open \(path)") }
            return
        }
        if folder.isEmpty { folder = "." }
        if stat(folder, &info) != 0 || info.st_mode & S_IFMT != S_IFDIR {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let temporary = PathText.join(folder, ".\(PathText.lastComponent(target)).vigil-\(UUID().uuidString.prefix(8))")
        self.temporary = temporary
        fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o666)
        guard fd >= 0 else { throw ReportIOError.last("create \(temporary)") }
        buffer.reserveCapacity(1 << 16)
    }

    /// Whether `path` is the same file as standard output.
    static func isStandardOutput(_ path: String) -> Bool { standardDescriptor(named: path) == 1 }

    /// Standard output's and standard error's files (device and inode), looked at once.
    private static let standardFiles: [(descriptor: Int32, device: UInt64, inode: UInt64)] = [Int32(1), Int32(2)].compactMap { (d: Int32) in
        var info = stat()
        guard fstat(d, &info) == 0 else { return nil }
        return (d, UInt64(info.st_dev), UInt64(info.st_ino))
    }

    /// 1 or 2 when `path` is the same file as standard output or error, else nil.
    private static func standardDescriptor(named path: String) -> Int32? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return standardFiles.first { $0.device == UInt64(info.st_dev) && $0.inode == UInt64(info.st_ino) }?.descriptor
    }

    deinit {
        if closes, fd >= 0 { close(fd) }
        if let temporary, fd >= 0 { unlink(temporary) }
    }

    /// Appends `text`, redacted.
    func write(_ text: String) throws {
        try write(redacted: redactor.redact(text))
    }

    /// Appends `text`, already redacted (by this output's redactor).
    func write(redacted text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Whether `path` is a regular file (not a link) whose bytes are `text` already: a docs page
    /// that a run makes again unchanged is left as it is (no new file, no rename). Creating
    /// 10,000 files, and renaming them over the pages of the run before, was most of what the
    /// Markdown pages still cost: the file system allocating inodes.
    static func holds(_ path: String, _ text: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && holds(path, info, text)
    }

    /// ``holds(_:_:)`` of a path whose `lstat` is `info`.
    private static func holds(_ path: String, _ info: stat, _ text: String) -> Bool {
        let count = text.utf8.count
        guard info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) == count,
            let existing = FileBytes.contents(atPath: path, limit: count + 1)
        else { return false }
        return existing.elementsEqual(text.utf8)
    }

    /// Writes `text` to a new file at `path`, when nothing is there (`O_EXCL`, links not
    /// followed) and its folder exists; false, with nothing done, otherwise. A docs page that
    /// did not exist needs no temporary file beside it and no rename: a run into an emptied
    /// folder made and renamed 10,000 of them. (Cut short, such a page differs from the next
    /// run's and is replaced then; a page that exists is still replaced atomically.)
    static func create(_ path: String, _ text: String) throws -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard fd >= 0 else { return false }
        do {
            try writeAll(fd, Array(text.utf8), what: "write \(path)")
        } catch {
            close(fd)
            unlink(path)
            throw error
        }
        guard close(fd) == 0 else {
            let error = ReportIOError.last("write \(path)")
            unlink(path)
            throw error
        }
        return true
    }

    private func flush() throws {
        try writeAll(fd, buffer, what: "write \(target)")
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and puts the file in place.
    func commit() throws {
        try flush()
        guard closes else { return }
        let result = close(fd)
        fd = -1
        guard let temporary else { return }
        guard result == 0, rename(temporary, target) == 0 else {
            let error = ReportIOError.last("write \(target)")
            unlink(temporary)
            throw error
        }
    }
}

extension FileReport {
    /// Writes `text` to `path` (see ``ReportOutput``) after a last pass through the redactor;
    /// with `unlessUnchanged`, a regular file that holds those bytes already is left as it is.
    func save(_ text: String, to path: String, redactor: Redactor, unlessUnchanged: Bool = false) throws {
        try ReportOutput.save(text, to: path, redactor: redactor, unlessUnchanged: unlessUnchanged)
    }
}

extension ReportOutput {
    /// ``FileReport/save(_:to:redactor:unlessUnchanged:)``.
    static func save(_ text: String, to path: String, redactor: Redactor, unlessUnchanged: Bool = false) throws {
        let redacted = redactor.redact(text)
        if unlessUnchanged {
            var info = stat()
            if lstat(path, &info) == 0 {
                if holds(path, info, redacted) { return }
            } else if errno == ENOENT, try create(path, redacted) {
                return
            }
        }
        let output = try ReportOutput(path: path, redactor: redactor)
        try output.write(redacted: redacted)
        try output.commit()
    }
}

/// Seconds with three decimals, as JUnit and the JSON report write times.
func seconds(_ d: Duration) -> String { cFormat("%.3f", max(0, d.milliseconds) / 1000) }

/// Whole milliseconds.
func millis(_ d: Duration) -> Int64 { Int64(max(0, d.milliseconds).rounded()) }

/// A template context without its nil values (a missing key is a false section).
func templateContext(_ values: [String: Any?]) -> [String: Any] { values.compactMapValues { $0 } }
