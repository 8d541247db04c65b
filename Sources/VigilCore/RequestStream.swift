import VigilYAML

/// A collection's requests, read again from the bytes of its file as they run.
///
/// ``CollectionLoader/scan(bytes:file:)`` decodes and checks every request once, keeping only
/// their ``RequestFacts``; a run then decodes each request again just before sending it. A
/// collection of 100,000 requests costs the memory of its file, not of 100,000 decoded requests
/// (about 1 KB each), for one more parse of the file (a few microseconds per request).
public struct RequestStream: Sendable {
    let source: YAMLSource
    public let requestCount: Int
    public let finallyCount: Int
    public let facts: RequestFacts
}

/// The requests of one list of a collection, in order: from memory or decoded from the file.
public struct RequestSpecs: Sequence {
    private enum Storage {
        case list([RequestSpec])
        case stream(RequestStream, RequestSection)
    }

    private let storage: Storage

    init(list: [RequestSpec]) { storage = .list(list) }
    init(stream: RequestStream, section: RequestSection) { storage = .stream(stream, section) }

    public func makeIterator() -> Iterator {
        switch storage {
        case .list(let list): return Iterator(list: list.makeIterator())
        case .stream(let stream, let section): return Iterator(stream: stream, section: section)
        }
    }

    public struct Iterator: IteratorProtocol {
        private var list: IndexingIterator<[RequestSpec]>?
        private let reader: YAMLItemReader?
        private let section: RequestSection
        private let decoder: NodeDecoder?
        /// Set when the file could not be read again as it was at load time (never expected:
        /// the bytes are kept in memory and were checked).
        public private(set) var failure: String?

        init(list: IndexingIterator<[RequestSpec]>) {
            self.list = list
            reader = nil
            section = .requests
            decoder = nil
        }

        init(stream: RequestStream, section: RequestSection) {
            reader = YAMLItemReader(source: stream.source, streaming: CollectionLoader.streamedKeys)
            self.section = section
            decoder = NodeDecoder(log: DiagnosticLog(file: stream.source.file))
        }

        public mutating func next() -> RequestSpec? {
            if list != nil { return list!.next() }
            guard let reader, let decoder, failure == nil else { return nil }
            do {
                while let item = try reader.next() {
                    guard item.key == section.rawValue else { continue }
                    if let spec = CollectionLoader.request(item.node, decoder) { return spec }
                    failure = decoder.log.diagnostics.first?.description ?? "request \(item.index + 1) could not be decoded again"
                    return nil
                }
            } catch {
                failure = "\(error.file):\(error.mark): \(error.message)"
            }
            return nil
        }
    }
}
