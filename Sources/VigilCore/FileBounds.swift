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

/// Where a collection may read files from (`file:` bodies): inside its root, by default the
/// folder given on the command line, or the current directory when that holds it (never the
/// home folder or above it), and inside
/// any folder granted with `--allow-path`. Absolute paths, `..` escapes and symbolic links that
/// lead out are refused, so a shared collection cannot read the user's files.
public struct FileBounds: Sendable, Hashable {
    /// Real paths (symbolic links resolved), without a trailing slash.
    public var roots: [String]
    /// Files larger than this are refused instead of read into memory.
    public var maxBytes: Int

    public init(roots: [String], maxBytes: Int = 64 * 1024 * 1024) {
        self.roots = roots.map(Self.realPath)
        self.maxBytes = maxBytes
    }

    /// The root for a collection given as `argument` on the command line (a file or a folder):
    /// the current directory when it holds it (a project's `collections/` beside its `data/`),
    /// otherwise the folder itself. Never the home folder, the file system's root or a folder
    /// above the home folder: run from `~` as `vigil run Downloads/vendor/smoke.yaml`, a shared
    /// collection's root is `Downloads/vendor`, not everything the user has (`~/.ssh`).
    public static func root(
        forArgument argument: String, currentDirectory: String = FileManager.default.currentDirectoryPath,
        home: String? = getenv("HOME").map { String(cString: $0) }
    ) -> String {
        let (exists, isFolder) = PathText.kind(of: argument)
        let folder = exists && isFolder ? argument : PathText.folder(of: argument)
        let real = realPath(folder.isEmpty ? "." : folder)
        let cwd = realPath(currentDirectory)
        guard real != cwd, real.hasPrefix(cwd == "/" ? "/" : cwd + "/") else { return real }
        if cwd == "/" { return real }
        if let home, !home.isEmpty {
            let realHome = realPath(home)
            if realHome == cwd || realHome.hasPrefix(cwd + "/") { return real }
        }
        return cwd
    }

    /// The real path of `path` (relative to `directory`) when it is a readable regular file
    /// within the bounds; otherwise why not.
    public func resolve(_ path: String, relativeTo directory: String) -> Result<String, FileBoundsError> {
        let joined = path.hasPrefix("/") ? path : PathText.join(directory, path)
        let real = Self.realPath(joined)
        guard roots.contains(where: { real == $0 || real.hasPrefix($0 == "/" ? "/" : $0 + "/") }) else {
            let why = path.hasPrefix("/") ? "an absolute path" : (real != Self.lexical(joined) ? "a symbolic link leads" : "it leads")
            return .failure(
                FileBoundsError("file '\(path)' is outside the collection's folder (\(why) out of \(roots.first ?? "")); grant a folder with --allow-path DIR"))
        }
        guard case (true, false) = PathText.kind(of: real) else {
            if Self.isSymbolicLinkLoop(joined) {
                return .failure(FileBoundsError("file '\(path)' is a loop of symbolic links"))
            }
            return .failure(FileBoundsError("file '\(path)' does not exist or is a folder"))
        }
        // A FIFO, socket or device would block or never end when read: refused here, before
        // the run, not when the request is sent.
        var info = stat()
        guard stat(real, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            return .failure(FileBoundsError("file '\(path)' is not a regular file (a pipe, socket or device)"))
        }
        let size = Int(info.st_size)
        guard size <= maxBytes else {
            return .failure(FileBoundsError("file '\(path)' is \(size) bytes, more than the \(maxBytes)-byte limit"))
        }
        return .success(real)
    }

    /// Whether resolving `path` goes round a loop of symbolic links (`ELOOP`).
    static func isSymbolicLinkLoop(_ path: String) -> Bool {
        guard let resolved = realpath(path, nil) else { return errno == ELOOP }
        free(resolved)
        return false
    }

    static func realPath(_ path: String) -> String {
        let url = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL
        var p = url.path
        while p.count > 1, p.hasSuffix("/") { p.removeLast() }
        return p
    }

    private static func lexical(_ path: String) -> String {
        var p = URL(fileURLWithPath: path).standardizedFileURL.path
        while p.count > 1, p.hasSuffix("/") { p.removeLast() }
        return p
    }
}

/// Why a file may not be read.
public struct FileBoundsError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
