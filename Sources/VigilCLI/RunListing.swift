import VigilCore
import VigilRunner

/// `vigil run --list`: what would run, after `--tag`, `--skip-tag` and `--filter`, without
/// sending anything (no environment is started). Scanned collections are read again from
/// their bytes, as a run would.
struct RunListing {
    var collections: [CollectionFile]
    var selection: Selection

    /// One block per collection: its name and file, the requests that would be sent, then `finally`.
    func lines() -> [String] {
        var out: [String] = []
        var selected = 0, leftOut = 0
        for c in collections {
            out.append("\(c.name)  (\(c.file))")
            var requests = c.specs(.requests).makeIterator()
            while let spec = requests.next() {
                if selection.reason(for: spec, collectionTags: c.tags) == nil {
                    out.append("  \(spec.listedName)")
                    selected += 1
                } else {
                    leftOut += 1
                }
            }
            var cleanup = c.specs(.finally).makeIterator()
            while let spec = cleanup.next() { out.append("  finally: \(spec.listedName)") }
            for failure in [requests.failure, cleanup.failure].compactMap(\.self) {
                out.append("  error: could not read the requests again from the file: \(failure)")
            }
        }
        let noun = selected == 1 ? "request" : "requests"
        let left = leftOut == 0 ? "" : ", \(leftOut) left out by --tag, --skip-tag or --filter"
        out.append("\(selected) \(noun) would run in \(collections.count) collection\(collections.count == 1 ? "" : "s")\(left); finally requests always run")
        return out
    }

    func print() {
        for line in lines() { FileOutput.stdout(line) }
    }
}

extension RequestSpec {
    /// The name, with each loop it runs in shown where its ` [i/n]` will be:
    /// `Create events [for each user in {{users}}] › Create event`.
    var listedName: String {
        guard !loops.isEmpty else { return name }
        var parts = nameParts.isEmpty ? [name] : nameParts
        for loop in loops where parts.indices.contains(loop.part) {
            parts[loop.part] += " [for each \(loop.variable) in \(loop.listText)]"
        }
        return parts.joined(separator: " › ")
    }
}

extension Selection {
    /// Whether any request (not `finally`) of `collections` is selected; stops at the first.
    func selectsAny(of collections: [CollectionFile]) -> Bool {
        for c in collections {
            var requests = c.specs(.requests).makeIterator()
            while let spec = requests.next() {
                if reason(for: spec, collectionTags: c.tags) == nil { return true }
            }
            if requests.failure != nil { return true }  // the run reports it
        }
        return false
    }

    /// The options that made the selection, as typed: `--tag smoke --filter 'x'`.
    var flagsText: String {
        var parts = tags.map { "--tag \($0)" } + skipTags.map { "--skip-tag \($0)" }
        if let filter { parts.append("--filter '\(filter.pattern)'") }
        return parts.joined(separator: " ")
    }
}
