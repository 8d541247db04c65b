#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore
import VigilJSON

/// One difference between two recordings.
public struct Drift: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The request's recording, relative to the recording folder (`collection/NN-name`).
    public var request: String
    /// A JSONPath location (`$.array[*].enabled`), or nil for the request as a whole.
    public var location: String?
    public var change: String

    public var description: String { "\(request)\(location.map { " \($0)" } ?? ""): \(change)" }

    public static func < (a: Drift, b: Drift) -> Bool { a.description < b.description }
}

/// Compares two recordings made with `--record`.
public enum DriftComparison {
    /// Every drift from recording `a` to recording `b`, sorted.
    public static func compare(_ a: String, _ b: String) throws -> [Drift] {
        let left = try load(a), right = try load(b)
        var drifts: [Drift] = []
        for key in Set(left.keys).union(right.keys).sorted() {
            let request = String(key.dropLast(5))
            switch (left[key], right[key]) {
            case (let l?, nil): drifts.append(Drift(request: request, location: nil, change: "only in the first recording (\(state(l)))"))
            case (nil, let r?): drifts.append(Drift(request: request, location: nil, change: "only in the second recording (\(state(r)))"))
            case (let l?, let r?): drifts += compare(request, l, r)
            default: break
            }
        }
        return drifts.sorted()
    }

    private static func state(_ v: JSONValue) -> String {
        if let s = v["skipped"]?.stringValue { return "skipped: \(s)" }
        if let s = v["status"]?.intValue { return "status \(s)" }
        return v["error"]?.stringValue ?? "recorded"
    }

    static func compare(_ request: String, _ l: JSONValue, _ r: JSONValue) -> [Drift] {
        let ls = l["skipped"]?.stringValue, rs = r["skipped"]?.stringValue
        if ls != nil || rs != nil {
            if (ls == nil) == (rs == nil) { return [] }
            return [
                Drift(
                    request: request, location: nil,
                    change: ls != nil ? "skipped in the first (\(ls!)), run in the second" : "run in the first, skipped in the second (\(rs!))")
            ]
        }
        var out: [Drift] = []
        let lStatus = l["status"]?.intValue, rStatus = r["status"]?.intValue
        if lStatus != rStatus {
            out.append(Drift(request: request, location: nil, change: "status \(lStatus.map(String.init) ?? "none") → \(rStatus.map(String.init) ?? "none")"))
        }
        let lShape = Shape.of(l["body"]), rShape = Shape.of(r["body"])
        // Only the top of an added or removed subtree is reported.
        let onlyLeft = Set(lShape.keys).subtracting(rShape.keys), onlyRight = Set(rShape.keys).subtracting(lShape.keys)
        func insideAnother(_ path: String, _ set: Set<String>) -> Bool {
            set.contains { path.count > $0.count && path.hasPrefix($0) && (path.dropFirst($0.count).first == "." || path.dropFirst($0.count).first == "[") }
        }
        for path in Set(lShape.keys).union(rShape.keys).sorted() {
            if insideAnother(path, onlyLeft) || insideAnother(path, onlyRight) { continue }
            switch (lShape[path], rShape[path]) {
            case (let a?, nil): out.append(Drift(request: request, location: path, change: "removed (was \(a.sorted().joined(separator: " or ")))"))
            case (nil, let b?): out.append(Drift(request: request, location: path, change: "added (\(b.sorted().joined(separator: " or ")))"))
            case (let a?, let b?) where a != b:
                out.append(
                    Drift(request: request, location: path, change: "type \(a.sorted().joined(separator: " or ")) → \(b.sorted().joined(separator: " or "))"))
            default: break
            }
        }
        return out
    }

    /// Every `.json` file under `directory`, by relative path.
    static func load(_ directory: String) throws -> [String: JSONValue] {
        let fm = FileManager.default
        guard case (true, true) = PathText.kind(of: directory) else {
            throw RecordingError(message: "\(directory): no such recording folder")
        }
        var out: [String: JSONValue] = [:]
        for relative in PathText.everything(under: directory) ?? [] where relative.hasSuffix(".json") {
            let path = directory + "/" + relative
            guard let data = fm.contents(atPath: path) else { continue }
            do {
                out[relative] = try JSONValue(parsing: Array(data))
            } catch {
                throw RecordingError(message: "\(path): \(error)")
            }
        }
        return out
    }
}

/// A recording that cannot be read.
public struct RecordingError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The structure of a JSON value: every location (array elements merged as `[*]`) with the
/// types found there. Values are left out: they differ between any two runs.
enum Shape {
    static func of(_ value: JSONValue?) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        if let value { walk(value, "$", &out) }
        return out
    }

    private static func walk(_ v: JSONValue, _ path: String, _ out: inout [String: Set<String>]) {
        out[path, default: []].insert(kind(v))
        switch v {
        case .array(let items): for item in items { walk(item, path + "[*]", &out) }
        case .object(let o): for (k, child) in o { walk(child, path + member(k), &out) }
        default: break
        }
    }

    private static func member(_ key: String) -> String {
        let plain = !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !(key.first!.isNumber)
        if plain { return ".\(key)" }
        // Escaped as RFC 9535 escapes a normalized path's names: a key holding a line break
        // stays on its drift line (and in the accepted-changes file).
        var text = "['"
        NormalizedPath.appendEscaped(key, to: &text)
        return text + "']"
    }

    private static func kind(_ v: JSONValue) -> String {
        switch v {
        case .int, .double: "number"
        case .bool: "boolean"
        default: v.typeName
        }
    }
}
