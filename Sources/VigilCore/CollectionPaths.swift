/// Names for what a run writes per collection file (docs pages, `--record` folders): the file's
/// name without its extension (`01-cameras`), unless another file of the run has the same
/// name in another folder; then the path from the folder they share (`team-a/01-cameras`,
/// `team-b/01-cameras`), so that no two collections write to the same place.
public enum CollectionPaths {
    /// Each file's name stem, `/`-separated, distinct among `files`.
    public static func stems(_ files: [String]) -> [String: String] {
        let unique = Array(Set(files)).sorted()
        var out: [String: String] = [:]
        let byStem = Dictionary(grouping: unique) { stem(last($0)) }
        for (name, group) in byStem {
            guard group.count > 1 else {
                out[group[0]] = name
                continue
            }
            let folders = group.map { components($0).dropLast() }
            var shared = 0
            while folders.allSatisfy({ $0.count > shared }), Set(folders.map { $0[$0.startIndex + shared] }).count == 1 { shared += 1 }
            for (file, folder) in zip(group, folders) {
                out[file] = (folder.dropFirst(shared) + [name]).joined(separator: "/")
            }
            // Same folder and stem, another extension (`a.yaml`, `a.yml`): the extension tells them apart.
            let taken = Dictionary(grouping: group) { out[$0]! }
            for (_, same) in taken where same.count > 1 {
                for file in same { out[file] = out[file]! + "-" + ext(last(file)) }
            }
        }
        return out
    }

    static func components(_ path: String) -> [String] {
        path.split(separator: "/").map(String.init).filter { $0 != "." }
    }

    static func last(_ path: String) -> String { components(path).last ?? path }

    static func stem(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    static func ext(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...])
    }
}
