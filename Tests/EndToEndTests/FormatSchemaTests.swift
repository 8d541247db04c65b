import Foundation
import Testing
import VigilCore

/// schemas/collection.schema.json and schemas/environment.schema.json (for editors) agree with
/// Vigil's loader, the authority, on every collection, environment and docs example of the
/// repository, as judged by `check-jsonschema` (PyPI, installed by `make deps`); and they reject
/// the common typos too.
@Suite struct FormatSchemaTests {
    enum Kind: String { case collection, environment }

    struct Sample {
        var name: String
        var kind: Kind
        var text: String
        /// Where the loader reads it from (its includes and data files are found beside it).
        var path: String? = nil
    }

    /// Every YAML file of collections/ and environments/, and every YAML block of the docs that
    /// is a collection, an environment or a list of requests (given a `requests:` key).
    static func samples() throws -> [Sample] {
        let fm = FileManager.default
        var out: [Sample] = []
        for (folder, kind) in [("collections", Kind.collection), ("environments", .environment)] {
            let dir = repositoryRoot.appendingPathComponent(folder)
            for file in try fm.contentsOfDirectory(atPath: dir.path).sorted() where file.hasSuffix(".yaml") {
                let url = dir.appendingPathComponent(file)
                out.append(Sample(name: "\(folder)/\(file)", kind: kind, text: try String(contentsOf: url, encoding: .utf8), path: url.path))
            }
        }
        // Fragments (lists of requests for include:), as the requests of a collection.
        for file in try fm.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("collections/common").path).sorted() {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent("collections/common/\(file)"), encoding: .utf8)
            out.append(Sample(name: "collections/common/\(file)", kind: .collection, text: asRequests(text)))
        }
        let docs = repositoryRoot.appendingPathComponent("docs")
        let pages = try fm.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }.sorted().map { "docs/\($0)" } + ["README.md"]
        for page in pages {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent(page), encoding: .utf8)
            for (line, block) in yamlBlocks(text) {
                let keys = block.split(separator: "\n").filter { !$0.hasPrefix(" ") && !$0.hasPrefix("#") && !$0.hasPrefix("-") }
                    .map { String($0.prefix { $0 != ":" }) }
                let name = "\(page):\(line)"
                if keys.contains("requests") {
                    out.append(Sample(name: name, kind: .collection, text: block))
                } else if keys.contains("server") || (keys.contains("auth") && keys.contains("name")) {
                    out.append(Sample(name: name, kind: .environment, text: block))
                } else if block.hasPrefix("- ") {
                    out.append(Sample(name: name, kind: .collection, text: asRequests(block)))
                }
            }
        }
        return out
    }

    /// A list of requests as a collection's `requests:`.
    static func asRequests(_ list: String) -> String {
        "requests:\n" + list.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }

    /// The ```yaml blocks of a Markdown page, with the line of their first line.
    static func yamlBlocks(_ page: String) -> [(Int, String)] {
        var out: [(Int, String)] = []
        var current: [Substring]?
        var start = 0
        for (i, line) in page.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if current == nil, line == "```yaml" {
                current = []
                start = i + 2
            } else if current != nil, line == "```" {
                out.append((start, current!.joined(separator: "\n") + "\n"))
                current = nil
            } else if current != nil {
                current!.append(line)
            }
        }
        return out
    }

    /// Whether Vigil's loader takes the sample (its errors otherwise). Files an example names
    /// (`tls.ca: certs/vms-ca.pem`) are not there: those errors are about the file system, not
    /// the shape a schema describes, and are left out.
    static func vigilVerdict(_ s: Sample, in dir: URL) -> String? {
        let file = s.path ?? dir.appendingPathComponent("s.yaml").path
        do {
            switch s.kind {
            case .collection: _ = try CollectionLoader.load(s.text, file: file)
            case .environment: _ = try EnvironmentLoader.load(s.text, file: file, processEnvironment: ["XPROTECT_PASSWORD": "p"])
            }
            return nil
        } catch {
            let shape = error.diagnostics.filter { !$0.message.contains(": cannot read '") && !$0.message.contains("' does not exist or is a folder") }
            return shape.isEmpty ? nil : shape.map(\.description).joined(separator: "\n")
        }
    }

    /// check-jsonschema's verdict on each file: nil when valid, else its messages.
    static func schemaVerdicts(_ files: [URL], kind: Kind) throws -> [String: String] {
        let schema = repositoryRoot.appendingPathComponent("schemas/\(kind.rawValue).schema.json").path
        let r = try runTool("python3", ["-m", "check_jsonschema", "--schemafile", schema, "-o", "json"] + files.map(\.path))
        guard let start = r.output.firstIndex(of: "{"), let data = r.output[start...].data(using: .utf8),
            let report = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            Issue.record("check-jsonschema gave no report (is it installed? `make deps`): \(r.output)")
            return [:]
        }
        var out: [String: String] = [:]
        for case let e as [String: Any] in (report["errors"] as? [Any] ?? []) + (report["parse_errors"] as? [Any] ?? []) {
            let name = (e["filename"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent } ?? "?"
            out[name, default: ""] += "\(e["path"] ?? ""): \(e["message"] ?? "") "
        }
        return out
    }

    /// Runs both judges over samples and returns the disagreements.
    static func disagreements(_ samples: [Sample]) throws -> [String] {
        let dir = try scratch([:])
        var out: [String] = []
        for kind in [Kind.collection, .environment] {
            let mine = samples.enumerated().filter { $0.element.kind == kind }
            guard !mine.isEmpty else { continue }
            var files: [URL] = []
            for (i, s) in mine {
                let url = dir.appendingPathComponent("\(kind.rawValue)-\(i).yaml")
                try s.text.write(to: url, atomically: true, encoding: .utf8)
                files.append(url)
            }
            let verdicts = try schemaVerdicts(files, kind: kind)
            for ((_, s), url) in zip(mine, files) {
                let vigil = vigilVerdict(s, in: dir)
                let schema = verdicts[url.lastPathComponent]
                if (vigil == nil) != (schema == nil) {
                    out.append("\(s.name) (\(kind)): Vigil says \(vigil ?? "valid"); the schema says \(schema ?? "valid")")
                }
            }
        }
        return out
    }

    @Test func theSchemasAgreeWithVigilOnEveryFileAndExampleOfTheRepository() throws {
        let samples = try Self.samples()
        #expect(samples.filter { $0.kind == .collection }.count >= 8, "\(samples.map(\.name))")
        #expect(samples.filter { $0.kind == .environment }.count >= 8)
        let wrong = try Self.disagreements(samples)
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
    }

    @Test func theFragmentSchemaTakesTheShippedFragments() throws {
        let dir = repositoryRoot.appendingPathComponent("collections/common")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).map { dir.appendingPathComponent($0).path }
        #expect(!files.isEmpty)
        let schema = repositoryRoot.appendingPathComponent("schemas/fragment.schema.json").path
        let r = try runTool("python3", ["-m", "check_jsonschema", "--schemafile", schema] + files)
        #expect(r.status == 0, "\(r.output)")
        let bad = try scratch(["f.yaml": "- GET: http://x\n  expct: {}\n"])
        let typo = try runTool("python3", ["-m", "check_jsonschema", "--schemafile", schema, bad.appendingPathComponent("f.yaml").path])
        #expect(typo.status != 0, "\(typo.output)")
    }

    @Test func theDataSchemaTakesRowsAndRefusesAMapping() async throws {
        let dir = try scratch([
            "rows.yaml": "- { name: a, id: 1 }\n- { name: b }\n", "one.yaml": "name: a\n",
            "c.yaml": "requests:\n  - GET: \"{{baseUrl}}/api/rest/v1/sites?n={{name}}\"\n",
        ])
        let schema = repositoryRoot.appendingPathComponent("schemas/data.schema.json").path
        let good = try runTool("python3", ["-m", "check_jsonschema", "--schemafile", schema, dir.appendingPathComponent("rows.yaml").path])
        #expect(good.status == 0, "\(good.output)")
        let bad = try runTool("python3", ["-m", "check_jsonschema", "--schemafile", schema, dir.appendingPathComponent("one.yaml").path])
        #expect(bad.status != 0, "\(bad.output)")
        // Vigil agrees: a mapping is not rows.
        let run = try await vigil(["validate", "c.yaml", "--data", "one.yaml"], in: dir)
        #expect(run.status == 2, "\(run.all)")
    }

    @Test func theSchemasRejectTheCommonTyposLikeVigil() throws {
        let typos = [
            "requests:\n  - GET: http://x\n    expct: { status: 200 }\n",
            "requests:\n  - GET: http://x\n    captures: { id: result.id }\n",
            "requests:\n  - GETT: http://x\n",
            "requests:\n  - GET: http://x\n    POST: http://x\n",
            "requests:\n  - GET: http://x\n    timeout: soon\n",
            "requests:\n  - GET: http://x\n    expect: { staus: 200 }\n",
            "request:\n  - GET: http://x\n",
            "requests:\n  - GET: http://x\n    retry: { intervall: 1s }\n",
            "requests:\n  - GET: http://x\n    followRedirects: maybe\n",
        ].enumerated().map { Sample(name: "collection typo \($0.offset)", kind: .collection, text: $0.element) }
        let envTypos = [
            "name: e\nserver: embeded\n",
            "name: e\nauth: { x: { type: xprotect-basic, user: a } }\n",
            "name: e\nauth: { x: { type: oauth } }\n",
            "name: e\ntls: { insecure: yes please }\n",
            "name: e\nsecret: [a]\n",
        ].enumerated().map { Sample(name: "environment typo \($0.offset)", kind: .environment, text: $0.element) }
        let dir = try scratch([:])
        for s in typos + envTypos { #expect(Self.vigilVerdict(s, in: dir) != nil, "Vigil takes \(s.name)") }
        let wrong = try Self.disagreements(typos + envTypos)
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
    }
}
