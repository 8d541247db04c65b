#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

import VigilYAML

/// A problem found while loading or checking input, with the place it was found.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: Sendable, Hashable { case error, warning }

    public var file: String
    public var mark: Mark
    public var message: String
    public var severity: Severity
    /// For a problem inside an included fragment: the include steps that brought it in,
    /// innermost first (shown as `(included from c.yaml:12:5)`).
    public var includedFrom: [IncludeSite] = []

    public init(file: String, mark: Mark, message: String, severity: Severity = .error, includedFrom: [IncludeSite] = []) {
        self.file = file
        self.mark = mark
        self.message = message
        self.severity = severity
        self.includedFrom = includedFrom
    }

    /// `FILE:LINE:COL: message`, with `warning: ` before warnings; `FILE: message` for what is
    /// about the whole file (``wholeFile``: it is missing or cannot be read).
    public var description: String {
        let place = mark == Self.wholeFile ? file : "\(file):\(mark.line):\(mark.column)"
        let chain = includedFrom.isEmpty ? "" : " (" + includedFrom.map { "included from \($0)" }.joined(separator: ", ") + ")"
        return "\(place): \(severity == .warning ? "warning: " : "")\(message)\(chain)"
    }

    /// The mark of a diagnostic about a whole file, which has no line to point at.
    public static let wholeFile = Mark(line: 0, column: 0)

    /// Why the file at `path` cannot be read, worded the same for collections, environments,
    /// data and JSON files: `no such file`, `is a folder`, or the system's reason.
    public static func unreadable(_ path: String) -> Diagnostic {
        let (exists, isFolder) = PathText.kind(of: path)
        let why = !exists ? "no such file or folder" : isFolder ? "is a folder, not a file" : "cannot be read (permission denied?)"
        return Diagnostic(file: path, mark: wholeFile, message: why)
    }
}

/// Every error found in one or more input files, reported together.
public struct LoadError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics while a file is decoded, so that all of its errors come out at once.
public final class DiagnosticLog {
    public let file: String
    public private(set) var diagnostics: [Diagnostic] = []

    public init(file: String) {
        self.file = file
    }

    public func error(_ message: String, at mark: Mark) {
        diagnostics.append(Diagnostic(file: file, mark: mark, message: message))
    }

    public func warning(_ message: String, at mark: Mark) {
        diagnostics.append(Diagnostic(file: file, mark: mark, message: message, severity: .warning))
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Takes in the diagnostics of an included fragment, each with the chain that brought it in.
    func append(_ more: [Diagnostic], includedFrom chain: [IncludeSite]) {
        for var d in more {
            d.includedFrom += chain
            diagnostics.append(d)
        }
    }
}

extension Array where Element == Diagnostic {
    /// Unique diagnostics, by file and then position.
    public var sortedForDisplay: [Diagnostic] {
        var seen = Set<Diagnostic>()
        return filter { seen.insert($0).inserted }.enumerated().sorted { a, b in
            (a.element.placeFile, a.element.placeMark, a.offset) < (b.element.placeFile, b.element.placeMark, b.offset)
        }.map(\.element)
    }
}

extension [Diagnostic] {
    /// In file order (stable for diagnostics at the same place): requests are decoded as the
    /// parser reaches them, the collection's own keys at the end.
    var sortedByPlace: [Diagnostic] {
        enumerated().sorted { ($0.element.placeMark, $0.offset) < ($1.element.placeMark, $1.offset) }.map(\.element)
    }
}

extension Diagnostic {
    /// The file a problem is sorted under: for one inside a fragment, the collection that includes it.
    var placeFile: String { includedFrom.last?.file ?? file }
    /// Where it is sorted: for one inside a fragment, at the outermost include step.
    var placeMark: Mark { includedFrom.last?.mark ?? mark }
}
