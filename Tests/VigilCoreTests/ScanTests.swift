import Foundation
import Testing
@testable import VigilCore
import VigilYAML

/// `CollectionLoader.scan`: what `vigil run` and `vigil validate` use. It must accept and
/// reject exactly what `load` does, stream the same requests, and check them the same way.
@Suite("Scanned collections")
struct ScanTests {
    func scan(_ yaml: String, file: String = "c.yaml") throws(LoadError) -> CollectionFile {
        try CollectionLoader.scan(bytes: Array(yaml.utf8), file: file)
    }

    /// A request's identity as far as a run is concerned.
    func summary(_ r: RequestSpec) -> String {
        "\(r.name)|\(r.method)|\(r.url.source)|\(r.mark)|\(r.headers.map(\.name))|\(r.captures.map(\.name))|\(r.expect.body.count)|\(r.retry != nil)"
    }

    @Test func aScannedCollectionKeepsNoRequestsButStreamsTheSameOnes() throws {
        var streamed = 0
        defer { #expect(streamed >= 2, "the seed collections without include: are streamed") }
        for (file, text) in try CollectionLoaderTests.seedCollections() {
            let loaded = try collection(text, file: file)
            let scanned = try scan(text, file: file)
            if loaded.requests.contains(where: { $0.origin != nil || !$0.loops.isEmpty }) {
                // Includes and loops are expanded as the file loads: such a collection is held in memory.
                #expect(scanned.stream == nil, "\(file)")
                #expect(scanned.requests.map(summary) == loaded.requests.map(summary), "\(file)")
                #expect(scanned.finally.map(summary) == loaded.finally.map(summary), "\(file)")
                continue
            }
            streamed += 1
            #expect(scanned.requests.isEmpty && scanned.finally.isEmpty, "\(file)")
            #expect(scanned.stream != nil)
            #expect(scanned.requestCount == loaded.requests.count)
            #expect(scanned.finallyCount == loaded.finally.count)
            #expect(Array(scanned.specs(.requests)).map(summary) == loaded.requests.map(summary), "\(file)")
            #expect(Array(scanned.specs(.finally)).map(summary) == loaded.finally.map(summary), "\(file)")
            // Iterating twice reads the file twice, the same way.
            #expect(Array(scanned.specs(.requests)).count == loaded.requests.count)
            #expect(scanned.inMemory.requests.map(summary) == loaded.requests.map(summary))
            #expect(scanned.name == loaded.name)
            #expect(scanned.facts.usesReleases == loaded.facts.usesReleases)
        }
    }

    @Test func finallyWrittenBeforeRequestsStillRunsAfterThem() throws {
        let c = try scan("finally:\n  - DELETE: http://h/z\nrequests:\n  - GET: http://h/a\n  - GET: http://h/b\n")
        #expect(Array(c.specs(.requests)).map(\.url.source) == ["http://h/a", "http://h/b"])
        #expect(Array(c.specs(.finally)).map(\.url.source) == ["http://h/z"])
    }

    @Test func scanRejectsWhatLoadRejectsWithTheSameDiagnostics() throws {
        let bad = """
            nme: typo
            requests:
              - GET: "http://h/{taskId}"
              - POST: "{{x"
              - name: two methods
                GET: a
                PUT: b
            finally: not a list
            """
        let loaded = collectionErrors(bad)
        var scanned: [String] = []
        do { _ = try scan(bad) } catch { scanned = error.diagnostics.map(\.description) }
        #expect(!loaded.isEmpty)
        #expect(scanned == loaded)
        #expect(loaded == loaded.sorted { lineCol($0).lexicographicallyPrecedes(lineCol($1)) }, "diagnostics come in file order")
    }

    func lineCol(_ d: String) -> [Int] {
        d.split(separator: ":").dropFirst().prefix(2).compactMap { Int($0) }
    }

    @Test func referenceChecksAgreeBetweenScanAndLoad() throws {
        let scannedFound = ReferenceCheck.undefinedVariables(in: try scan(ReferenceCheckTests.scenario, file: "r.yaml"), known: ["baseUrl"])
        let loadedFound = ReferenceCheck.undefinedVariables(in: try collection(ReferenceCheckTests.scenario, file: "r.yaml"), known: ["baseUrl"])
        #expect(scannedFound.map(\.description) == loadedFound.map(\.description))
        #expect(scannedFound.count == 5)
    }

    @Test func aFileThatIsNotYAMLIsOneErrorWithItsPlace() {
        var found: [String] = []
        do { _ = try scan("requests:\n  - GET: [\n") } catch { found = error.diagnostics.map(\.description) }
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("c.yaml:") == true)
    }

    /// Over 256 KB, loading parses on a second thread (YAMLReadAhead) while decoding.
    static func large(_ count: Int, broken: Int? = nil) -> String {
        "name: Large\nrequests:\n"
            + (1...count).map { i in
                i == broken
                    ? "  - name: Broken \(i)\n    GET: \"{{x\"\n    expct: {}\n"
                    : "  - name: Step \(i)\n    GET: \"{{baseUrl}}/items/\(i)\"\n    capture: { id\(i % 7): result.id }\n    expect: { status: 200, body: { data.state: Success } }\n"
            }.joined() + "finally:\n  - DELETE: \"{{baseUrl}}/items/{{id3}}\"\n"
    }

    @Test func aLargeFileReadAheadGivesWhatReadingInPlaceGives() throws {
        let text = Self.large(3000)
        #expect(text.utf8.count > 256 * 1024)
        #expect(YAMLReadAhead.isWorthwhile(bytes: text.utf8.count) == (ProcessInfo.processInfo.activeProcessorCount > 1))
        let loaded = try collection(text)
        #expect(loaded.requests.count == 3000)
        #expect(loaded.finally.count == 1)
        let scanned = try scan(text)
        #expect(Array(scanned.specs(.requests)).map(summary) == loaded.requests.map(summary))
        #expect(ReferenceCheck.undefinedVariables(in: scanned, known: ["baseUrl"]).isEmpty)
    }

    @Test func aLargeFileReadAheadReportsEveryError() {
        let errors = collectionErrors(Self.large(3000, broken: 2500))
        #expect(errors.count == 2, "\(errors)")
        #expect(errors.contains { $0.contains("unknown key 'expct' in a request (did you mean 'expect'?)") })
        #expect(errors.contains { $0.contains("'{{' is not closed by '}}'") })
    }
}

@Suite struct FlowDecodingTests {
    @Test func continueOnFailureIsReadOnCollectionsAndRequests() throws {
        let c = try CollectionLoader.load(
            "continueOnFailure: true\nrequests:\n  - GET: http://x/\n    continueOnFailure: false\n  - GET: http://x/y\n", file: "c.yaml")
        #expect(c.continueOnFailure)
        #expect(c.requests.map(\.continueOnFailure) == [false, nil])
    }

    @Test func continueOnFailureThatIsNotABooleanIsAnErrorAtItsPlace() {
        do {
            _ = try CollectionLoader.load("requests:\n  - GET: http://x/\n    continueOnFailure: sometimes\n", file: "c.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["c.yaml:3:24: continueOnFailure must be true or false, found a string"])
        }
    }
}

extension FlowDecodingTests {
    @Test func tagsAreReadOnCollectionsAndRequestsAndKeptWhenScanned() throws {
        let yaml = "tags: [smoke]\nrequests:\n  - GET: http://x/\n    tags: [ptz, slow]\n  - GET: http://x/y\n"
        let c = try CollectionLoader.load(yaml, file: "c.yaml")
        #expect(c.tags == ["smoke"])
        #expect(c.requests.map(\.tags) == [["ptz", "slow"], []])
        let scanned = try CollectionLoader.scan(bytes: Array(yaml.utf8), file: "c.yaml")
        #expect(scanned.allTags == ["smoke", "ptz", "slow"])
        #expect(Array(scanned.specs(.requests)).map(\.tags) == [["ptz", "slow"], []])
    }

    @Test func tagsThatAreNotAListOfNamesAreErrorsAtTheirPlace() {
        for (yaml, message) in [
            ("tags: smoke\nrequests: []\n", "c.yaml:1:7: tags must be a list of names, e.g. [smoke, ptz]; found a string"),
            ("requests:\n  - GET: http://x/\n    tags: [ok, \"two words\"]\n", "c.yaml:3:16: 'two words' is not a tag name (letters, digits, '_', '-', '.')"),
        ] {
            do {
                _ = try CollectionLoader.load(yaml, file: "c.yaml")
                Issue.record("accepted: \(yaml)")
            } catch {
                #expect(error.diagnostics.map(\.description) == [message])
            }
        }
    }

    @Test func aTagNoCollectionUsesIsAWarningWithDidYouMean() throws {
        let c = try CollectionLoader.load("tags: [smoke]\nrequests:\n  - GET: http://x/\n    tags: [ptz]\n", file: "c.yaml")
        #expect(
            CollectionFile.unusedTagWarnings(["smoke", "smok", "ptz"], flag: "--tag", in: [c]) == [
                "warning: --tag smok: no collection or request is tagged 'smok' (did you mean 'smoke'?)"
            ])
    }
}
