#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore
import VigilRunner
import VigilSchema
import VigilYAML
import XProtectEmulator

/// Finds and loads collection and environment files, gathering every diagnostic.
enum InputLoader {
    /// The YAML files named by `paths`: files as given, folders searched (recursively) in name order.
    static func collectionFiles(_ paths: [String]) -> (files: [String], diagnostics: [Diagnostic]) {
        var files: [String] = []
        var diagnostics: [Diagnostic] = []
        for path in paths {
            let (exists, isFolder) = PathText.kind(of: path)
            guard exists else {
                diagnostics.append(Diagnostic(file: path, mark: Diagnostic.wholeFile, message: "no such file or folder"))
                continue
            }
            guard isFolder else { files.append(path); continue }
            let found = (PathText.everything(under: path) ?? [])
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .sorted()
                .map { path.hasSuffix("/") ? path + $0 : path + "/" + $0 }
            if found.isEmpty {
                diagnostics.append(Diagnostic(file: path, mark: Diagnostic.wholeFile, message: "the folder holds no .yaml collections"))
            }
            files += found
        }
        return (files, diagnostics)
    }

    /// Each collection file's place in the whole run (before `--shard` takes a share): the
    /// JSON report keeps it, so that `vigil merge` puts the shards' collections back in order.
    static func fileOrder(_ paths: [String]) -> [String: Int] {
        var order: [String: Int] = [:]
        for (i, file) in collectionFiles(paths).files.enumerated() where order[file] == nil { order[file] = i }
        return order
    }

    static func read(_ path: String) -> Result<[UInt8], LoadError> {
        guard let bytes = bytes(atPath: path) else { return .failure(LoadError([Diagnostic.unreadable(path)])) }
        return .success(bytes)
    }

    /// The bytes of a file, a pipe or a process substitution (`<(cmd)`), or nil.
    static func bytes(atPath path: String) -> [UInt8]? {
        guard case (true, false) = PathText.kind(of: path) else { return nil }
        return FileBytes.contents(atPath: path)
    }

    /// The collections `paths` name, scanned, each with its file root; a literal `file:` path
    /// that `allowedPaths` and the root do not cover is an error here, before any run. With a
    /// `shard`, only the files of that share are loaded (``Shard``). A data-driven collection
    /// (`data:`, or every collection with `data`, from `--data`) is one run per row. Schema
    /// files named by literal paths are compiled into `schemas` (``SchemaPreflight``).
    static func collections(
        _ paths: [String], allowedPaths: [String] = [], shard: Shard? = nil, data: String? = nil, schemas: SchemaCache = SchemaCache()
    ) -> (
        collections: [CollectionFile], diagnostics: [Diagnostic]
    ) {
        var diagnostics: [Diagnostic] = []
        var files: [(file: String, root: String, inFolder: Bool)] = []
        for path in paths {
            let (found, problems) = collectionFiles([path])
            diagnostics += problems
            let root = FileBounds.root(forArgument: path)
            files += found.map { ($0, root, $0 != path) }
        }
        if let shard {
            let mine = Set(shard.select(files.map(\.file)))
            files = files.filter { mine.contains($0.file) }
        }
        var collections: [CollectionFile] = []
        for (file, root, inFolder) in files {
            // Scanned: requests are decoded again from the file as they run (RequestStream).
            guard let source = YAMLSource(contentsOf: file) else {
                diagnostics.append(Diagnostic.unreadable(file))
                continue
            }
            do {
                var collection = try CollectionLoader.scan(source, root: root, allowed: allowedPaths)
                collection.root = root
                diagnostics += ReferenceCheck.fileReads(in: collection, allowed: allowedPaths)
                diagnostics += SchemaPreflight.diagnostics(in: collection, allowed: allowedPaths, cache: schemas)
                let runs = collection.runsPerDataRow(commandLine: data, allowed: allowedPaths)
                diagnostics += runs.diagnostics
                collections += runs.collections
            } catch {
                // A fragment (a list of requests, for include:) in a folder of collections is
                // not a collection; an environment file there is not a broken one either.
                if Self.isFragment(source) {
                    if inFolder { continue }
                    diagnostics.append(
                        Diagnostic(
                            file: file, mark: Diagnostic.wholeFile,
                            message: "a list of requests is an include: fragment, not a collection; run a collection that includes it"))
                    continue
                }
                if Self.isEnvironment(source) {
                    diagnostics.append(
                        Diagnostic(
                            file: file, mark: Diagnostic.wholeFile, message: "an environment file, not a collection: skipped (use it with -e)",
                            severity: .warning))
                } else {
                    diagnostics += error.diagnostics
                }
            }
        }
        return (collections, diagnostics)
    }

    /// Whether `source` is a fragment: a YAML list (of requests, for `include:`).
    static func isFragment(_ source: YAMLSource) -> Bool {
        var bytes = source.bytes
        return (try? YAMLLoader().load(bytes: &bytes, file: source.file))??.sequence != nil
    }

    /// Whether `source` loads as an environment (and has no `requests`).
    static func isEnvironment(_ source: YAMLSource) -> Bool {
        // An environment has no `requests`: the environment loader refuses unknown keys.
        var bytes = source.bytes
        return (try? EnvironmentLoader.load(bytes: &bytes, file: source.file, processEnvironment: [:])) != nil
    }

    static func environment(_ path: String) -> Result<Environment, LoadError> {
        do {
            var bytes = try read(path).get()
            let env = try EnvironmentLoader.load(bytes: &bytes, file: path, processEnvironment: ProcessInfo.processInfo.environment)
            // The release profiles are the emulator's: checked here, where both are known.
            if case .embedded(let profile?, _) = env.server, ReleaseProfile(named: profile) == nil {
                let names = ReleaseProfile.all.map(\.name)
                return .failure(
                    LoadError([
                        Diagnostic(
                            file: path, mark: env.profileMark ?? Diagnostic.wholeFile,
                            message: "unknown emulator profile '\(profile)'; profiles: \(names.joined(separator: ", "))")
                    ]))
            }
            return .success(env)
        } catch {
            return .failure(error)
        }
    }

    /// Where `needle` first appears in the file at `path` (its `{{`, when it is a placeholder), or the whole file.
    static func firstMark(of needle: String, in path: String) -> Mark {
        guard case .success(let bytes) = read(path) else { return Diagnostic.wholeFile }
        let target = Array(needle.utf8)
        var line = 1
        var column = 1
        var i = 0
        while i + target.count <= bytes.count {
            if bytes[i] == target[0], bytes[i..<i + target.count].elementsEqual(target) {
                let placeholder = i >= 2 && bytes[i - 2] == UInt8(ascii: "{") && bytes[i - 1] == UInt8(ascii: "{")
                return Mark(line: line, column: placeholder ? column - 2 : column)
            }
            if bytes[i] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if bytes[i] & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return Diagnostic.wholeFile
    }

    /// The file used when no `-e` is given.
    static let defaultEnvironmentPath = "environments/local.yaml"

    /// `environments/local.yaml` when it exists; otherwise the same thing built in:
    /// the embedded emulator with its default administrator.
    ///
    /// A file picked up this way comes with whatever folder the user stands in (a repository
    /// just cloned), not from the user: it may not read the process environment, where the
    /// user's credentials live. Named with `-e`, it may.
    static func defaultEnvironment() -> Result<Environment, LoadError> {
        if FileManager.default.fileExists(atPath: defaultEnvironmentPath) {
            let loaded = environment(defaultEnvironmentPath)
            if case .success(let env) = loaded, let name = env.processEnvironmentNames.first {
                return .failure(
                    LoadError([
                        Diagnostic(
                            file: defaultEnvironmentPath, mark: firstMark(of: "$env.\(name)", in: defaultEnvironmentPath),
                            message:
                                "reads the process environment ({{$env.\(name)}}) but was picked up only because no -e was given: "
                                + "an environment file found in the current folder could come from anyone's repository; "
                                + "name it with -e \(defaultEnvironmentPath) to trust it")
                    ]))
            }
            return loaded
        }
        let text = """
            name: Local emulator (built in)
            server: embedded
            variables:
              api: "{{baseUrl}}/api/rest/v1"
            auth:
              xprotect:
                type: xprotect-basic
                username: admin
                password: admin
            """
        do {
            return .success(try EnvironmentLoader.load(text, file: "(built-in environment)", processEnvironment: [:]))
        } catch {
            return .failure(error)
        }
    }
}
