import Foundation
import Testing
@testable import VigilYAML

/// The streaming reader behind scanned collections: items of chosen lists come out one at a
/// time and are not kept in the document.
@Suite struct YAMLItemReaderTests {
    func items(
        _ text: String, keys: Set<String> = ["requests", "finally"], limits: YAMLLoader = YAMLLoader()
    )
        throws -> (items: [YAMLItem], document: YAMLNode?)
    {
        let reader = YAMLItemReader(source: YAMLSource(bytes: Array(text.utf8), file: "s.yaml"), streaming: keys, limits: limits)
        var out: [YAMLItem] = []
        while let item = try reader.next() { out.append(item) }
        return (out, reader.document)
    }

    @Test func itemsOfStreamedListsComeOutInFileOrderWithTheirPlaces() throws {
        let (items, document) = try items(
            """
            finally:
              - DELETE: /a
            name: demo
            requests:
              - GET: /1
              - GET: /2
            other: [x, y]
            """)
        #expect(items.map(\.key) == ["finally", "requests", "requests"])
        #expect(items.map(\.index) == [0, 0, 1])
        #expect(items[2].node["GET"]?.scalar?.text == "/2")
        #expect(items[2].node.mark == Mark(line: 6, column: 5))
        let root = try #require(document)
        #expect(root["requests"]?.sequence?.isEmpty == true, "streamed items are not kept")
        #expect(root["requests"]?.mark == Mark(line: 5, column: 3))
        #expect(root["other"]?.sequence?.count == 2, "lists under other keys stay in the document")
        #expect(root["name"]?.scalar?.text == "demo")
    }

    @Test func onlyListsDirectlyUnderTheRootAreStreamed() throws {
        let (items, document) = try items("group:\n  requests:\n    - GET: /1\nrequests: scalar\n")
        #expect(items.isEmpty)
        #expect(document?["group"]?["requests"]?.sequence?.count == 1)
        #expect(document?["requests"]?.scalar?.text == "scalar")
    }

    @Test func anchorsInEarlierItemsServeLaterOnes() throws {
        let (items, _) = try items(
            """
            requests:
              - &base { GET: /1, headers: { A: b } }
              - <<: *base
                name: second
            """)
        #expect(items.count == 2)
        #expect(items[1].node["headers"]?["A"]?.scalar?.text == "b")
        #expect(items[1].node["name"]?.scalar?.text == "second")
    }

    @Test func theNodeBudgetCountsWhatIsHeldNotEveryItemSeen() throws {
        var limits = YAMLLoader()
        limits.maxNodes = 50
        // 40 items of 3 nodes each: 120 nodes in all, but never more than a few at once.
        let text = "requests:\n" + (1...40).map { "  - GET: /\($0)\n" }.joined()
        #expect(try items(text, limits: limits).items.count == 40)
        // Kept in the document (not streamed), the same list is over budget.
        #expect(throws: YAMLError.self) { try items(text, keys: [], limits: limits) }
    }

    @Test func aSyntaxErrorAfterSomeItemsIsThrownWithItsPlace() throws {
        let reader = YAMLItemReader(
            source: YAMLSource(bytes: Array("requests:\n  - GET: /1\n  - GET: [\n".utf8), file: "s.yaml"),
            streaming: ["requests"])
        #expect(try reader.next()?.index == 0)
        do {
            _ = try reader.next()
            Issue.record("expected a YAML error")
        } catch {
            #expect(error.file == "s.yaml")
            #expect(error.mark.line >= 3)
        }
        #expect(try reader.next() == nil, "a failed reader stays finished")
    }

    @Test func aSourceReadFromAFileHoldsItsBytes() throws {
        let path = "/tmp/vigil-yaml-source-\(getpid()).yaml"
        let text = "requests:\n  - GET: /é\n"
        #expect(FileManagerless.write(text, to: path))
        defer { unlink(path) }
        let source = try #require(YAMLSource(contentsOf: path))
        #expect(source.count == text.utf8.count)
        #expect(source.file == path)
        let reader = YAMLItemReader(source: source, streaming: ["requests"])
        #expect(try reader.next()?.node["GET"]?.scalar?.text == "/é")
        #expect(YAMLSource(contentsOf: "/no/such/file.yaml") == nil)
        #expect(YAMLSource(contentsOf: "/tmp") == nil, "a folder is not a file")
    }

    @Test func aSourceReadFromAPipeHoldsAllItsBytes() throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        let text = "requests:\n" + (1...2000).map { "  - GET: /\($0)\n" }.joined()  // more than a pipe buffer
        let writeEnd = fds[1]
        let writer = Thread {
            _ = text.utf8CString.withUnsafeBufferPointer { write(writeEnd, $0.baseAddress, $0.count - 1) }; close(writeEnd)
        }
        writer.start()
        let source = try #require(YAMLSource(contentsOf: "/dev/fd/\(fds[0])", file: "piped.yaml"))
        close(fds[0])
        #expect(source.count == text.utf8.count)
        let reader = YAMLItemReader(source: source, streaming: ["requests"])
        var count = 0
        while try reader.next() != nil { count += 1 }
        #expect(count == 2000)
    }
}

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a test file without Foundation (VigilYAML's tests need none).
enum FileManagerless {
    static func write(_ text: String, to path: String) -> Bool {
        guard let f = fopen(path, "w") else { return false }
        defer { fclose(f) }
        return fputs(text, f) >= 0
    }
}

/// The read-ahead thread: the same items, errors and document as reading in place.
@Suite struct YAMLReadAheadTests {
    static let big = "name: big\nrequests:\n" + (1...1000).map { "  - name: R\($0)\n    GET: /\($0)\n" }.joined() + "finally:\n  - DELETE: /z\n"

    func drain(_ source: any YAMLItemSource) throws(YAMLError) -> [String] {
        var out: [String] = []
        while let item = try source.next() { out.append("\(item.key)#\(item.index)@\(item.node.mark):\(item.node["GET"]?.scalar?.text ?? "-")") }
        return out
    }

    @Test func handsOutTheSameItemsAndDocumentAsTheReader() throws {
        let source = YAMLSource(bytes: Array(Self.big.utf8), file: "b.yaml")
        let inPlace = YAMLItemReader(source: source, streaming: ["requests", "finally"])
        let ahead = YAMLReadAhead(source: source, streaming: ["requests", "finally"])
        let expected = try drain(inPlace)
        #expect(expected.count == 1001)
        #expect(try drain(ahead) == expected)
        #expect(ahead.document?["name"]?.scalar?.text == "big")
        #expect(ahead.document?["requests"]?.sequence?.isEmpty == true)
        #expect(try ahead.next() == nil, "the end stays the end")
    }

    @Test func anErrorComesAfterTheItemsBeforeIt() throws {
        let text = "requests:\n" + (1...200).map { "  - GET: /\($0)\n" }.joined() + "  - GET: [\n"
        let ahead = YAMLReadAhead(source: YAMLSource(bytes: Array(text.utf8), file: "e.yaml"), streaming: ["requests"])
        var count = 0
        do {
            while try ahead.next() != nil { count += 1 }
            Issue.record("expected a YAML error")
        } catch {
            #expect(error.file == "e.yaml")
        }
        #expect(count == 200)
    }

    @Test func aConsumerThatStopsEarlyDoesNotHangOrLeakTheThread() throws {
        for _ in 0..<20 {
            let ahead = YAMLReadAhead(source: YAMLSource(bytes: Array(Self.big.utf8), file: "b.yaml"), streaming: ["requests"])
            #expect(try ahead.next() != nil)
            // Dropped here with most of the file unread: deinit cancels and joins the reader.
        }
    }

    @Test func worthwhileOnlyForLargeFiles() {
        #expect(!YAMLReadAhead.isWorthwhile(bytes: 10_000))
    }
}

/// The generic read-ahead queue under the YAML reader and the run's request stream.
@Suite struct ReadAheadTests {
    struct Stop: Error, Equatable { var at: Int }

    @Test func everyElementInOrderThenTheEnd() throws {
        let ahead = ReadAhead<Int, String, Never> { emit in
            for i in 0..<1000 { guard emit(i) else { return "stopped" } }
            return "done"
        }
        var seen: [Int] = []
        while case .element(let i) = ahead.next() { seen.append(i) }
        #expect(seen == Array(0..<1000))
        guard case .end(let end) = ahead.next() else { Issue.record("expected the end"); return }
        #expect(end == "done")
    }

    @Test func aFailureComesAfterTheElementsBeforeIt() {
        let ahead = ReadAhead<Int, Void, Stop> { (emit) throws(Stop) in
            for i in 0..<150 { _ = emit(i) }
            throw Stop(at: 150)
        }
        var count = 0
        do {
            while case .element = try ahead.next() { count += 1 }
            Issue.record("expected the producer's error")
        } catch {
            #expect(error == Stop(at: 150))
        }
        #expect(count == 150)
    }

    @Test func theProducerStopsWhenTheConsumerGoes() throws {
        let produced = Counter()
        do {
            let ahead = ReadAhead<Int, Void, Never> { emit in
                for i in 0..<1_000_000 {
                    produced.add()
                    guard emit(i) else { return }
                }
            }
            guard case .element(0) = ahead.next() else { Issue.record("expected 0"); return }
        }
        // Joined on release: the producer was held to a few batches ahead, then told to stop.
        #expect(produced.value < 64 * 10)
    }
}

/// A counter the producing thread bumps and the test reads after the join.
final class Counter: @unchecked Sendable {
    private(set) var value = 0
    func add() { value += 1 }
}
