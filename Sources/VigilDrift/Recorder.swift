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
import Synchronization
import VigilCore
import VigilJSON
import VigilRunner

/// Writes each response of a run, normalized, into a folder: one JSON file per request,
/// `DIR[/ENVIRONMENT]/COLLECTION/NN-request-name.json`. Skipped requests are recorded with
/// their reason, so a comparison can tell "absent" from "not run".
public final class Recorder: RunEventConsumer {
    private let directory: String
    private let perEnvironment: Bool
    private let collectionRules: [String: [NormalizationRule]]
    private let environmentRules: [String: [NormalizationRule]]
    /// The row number of each run of a data-driven collection, by file and name.
    private let dataRows: [String: Int]
    /// Each collection file's folder name, distinct when two files share a name (``CollectionPaths``).
    private let stems: [String: String]
    private let redactor: Redactor
    private let firstFailure = Mutex<(path: String, reason: String)?>(nil)

    /// The first file that could not be written, and why: the run then exits 3.
    public var failure: (path: String, reason: String)? { firstFailure.withLock { $0 } }

    /// `perEnvironment`: one sub-folder per environment (a matrix run).
    public init(directory: String, perEnvironment: Bool, collections: [CollectionFile], environments: [Environment], redactor: Redactor) {
        self.directory = directory
        self.perEnvironment = perEnvironment
        collectionRules = Dictionary(collections.map { ($0.file, $0.normalize) }, uniquingKeysWith: { a, _ in a })
        environmentRules = Dictionary(environments.map { ($0.name, $0.normalize) }, uniquingKeysWith: { a, _ in a })
        dataRows = Dictionary(
            collections.compactMap { c in c.dataRow.map { (c.file + "\u{1F}" + c.name, $0.number) } }, uniquingKeysWith: { a, _ in a })
        stems = CollectionPaths.stems(collections.map(\.file))
        self.redactor = redactor
    }

    public func consume(_ event: RunEvent) {
        guard case .requestFinished(let r) = event else { return }
        var entry = JSONObject()
        entry["request"] = .string("\(r.ref.method) \(r.ref.name)")
        // A JSON body is written last, normalized as it is written (no normalized copy).
        var body: (JSONValue, Normalizer)?
        switch r.outcome {
        case .skipped(let reason):
            entry["skipped"] = .string(reason)
        default:
            if let response = r.exchange?.response {
                entry["status"] = .int(Int64(response.status))
                let normalizer = Normalizer(rules: (collectionRules[r.ref.file] ?? []) + (environmentRules[r.ref.environment] ?? []))
                if case .success(let json) = response.json {
                    body = (json, normalizer)
                } else if !response.body.isEmpty {
                    entry["text"] = .string(Normalizer.normalizeText(String(decoding: response.body, as: UTF8.self)))
                }
            } else {
                entry["error"] = .string(r.message ?? "no response")
            }
        }
        let path = self.path(for: r.ref)
        do {
            try FileManager.default.createDirectory(atPath: PathText.folder(of: path), withIntermediateDirectories: true)
            try write(entry, body: body, to: path)
        } catch {
            firstFailure.withLock { f in if f == nil { f = (path, errorText(error)) } }
        }
    }

    /// Writes `entry` pretty-printed and redacted, `body` normalized as its last member, in chunks
    /// of whole lines: a recording of a 60 MB body is never held as one text, nor as a second tree.
    private func write(_ entry: JSONObject, body: (JSONValue, Normalizer)?, to path: String) throws {
        let temporary = path + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: ["NSFilePath": path])
        }
        let handle = try FileWriter(path: temporary)
        var failure: (any Error)?
        let sink: (inout [UInt8]) -> Void = { chunk in
            guard failure == nil else { return }
            let text = self.redactor.redact(String(decoding: chunk, as: UTF8.self))
            do { try handle.write(Array(text.utf8)) } catch { failure = error }
        }
        if let (value, normalizer) = body {
            // `{ "request": …, "status": 200,` then `"body": …` at the second level, then `}`.
            var head = Array(JSONValue.object(entry).serialized(pretty: true).utf8.dropLast(2))
            head.append(contentsOf: #",\#n  "body": "#.utf8)
            sink(&head)
            normalizer.writeNormalized(value, level: 1, to: sink)
            var tail = Array("\n}".utf8)
            sink(&tail)
        } else {
            JSONValue.object(entry).writePretty(to: sink)
        }
        if failure == nil {
            do { try handle.write(Array("\n".utf8)) } catch { failure = error }
        }
        handle.close()
        if let failure {
            try? FileManager.default.removeItem(atPath: temporary)
            throw failure
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: ["NSFilePath": path, "NSLocalizedDescription": reason])
        }
    }

    func path(for ref: RequestRef) -> String {
        var parts = [directory]
        if perEnvironment { parts.append(Self.slug(ref.environment)) }
        // A data-driven collection: a folder per row (`05-events-row-2`).
        let row = dataRows[ref.file + "\u{1F}" + ref.collection].map { "-row-\($0)" } ?? ""
        let stem = stems[ref.file] ?? PathText.deletingExtension(PathText.lastComponent(ref.file))
        parts.append(stem.split(separator: "/").map { Self.slug(String($0)) }.joined(separator: "/") + row)
        let prefix = ref.section == .finally ? "f" : ""
        parts.append("\(prefix)\(cFormat("%02ld", ref.index + 1))-\(Self.slug(ref.name)).json")
        return parts.joined(separator: "/")
    }

    /// Lower-case letters, digits and dashes.
    static func slug(_ s: String) -> String {
        var out = ""
        for c in s.lowercased() {
            if c.isLetter && c.isASCII || c.isNumber && c.isASCII { out.append(c) } else if !out.hasSuffix("-") { out.append("-") }
        }
        return String(out.trimming(charactersIn: "-").prefix(60))
    }
}
