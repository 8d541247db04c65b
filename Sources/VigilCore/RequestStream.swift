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
        private enum Source {
            case list(IndexingIterator<[RequestSpec]>)
            /// Decoded here, as asked for.
            case inPlace(YAMLItemReader, NodeDecoder, RequestSection)
            /// Decoded on a second thread, ahead of the run (which mostly waits on the network).
            case ahead(ReadAhead<RequestSpec, Void, DecodeFailure>)
            case done
        }

        private var source: Source
        /// Set when the file could not be read again as it was at load time (never expected:
        /// the bytes are kept in memory and were checked).
        public private(set) var failure: String?

        /// Lists shorter than this are decoded in place: a thread costs more than it saves.
        static let aheadFrom = 32

        init(list: IndexingIterator<[RequestSpec]>) {
            source = .list(list)
        }

        init(stream: RequestStream, section: RequestSection) {
            let count = section == .requests ? stream.requestCount : stream.finallyCount
            if count >= Self.aheadFrom, machineHasSpareCore {
                let bytes = stream.source
                source = .ahead(
                    ReadAhead { (emit) throws(DecodeFailure) in
                        var decoded = Iterator(source: Iterator.inPlace(bytes, section))
                        while let spec = decoded.next() {
                            guard emit(spec) else { return }
                        }
                        if let failure = decoded.failure { throw DecodeFailure(message: failure) }
                    })
            } else {
                source = Self.inPlace(stream.source, section)
            }
        }

        private init(source: Source) {
            self.source = source
        }

        private static func inPlace(_ bytes: YAMLSource, _ section: RequestSection) -> Source {
            .inPlace(
                YAMLItemReader(source: bytes, streaming: CollectionLoader.streamedKeys),
                NodeDecoder(log: DiagnosticLog(file: bytes.file)), section)
        }

        public mutating func next() -> RequestSpec? {
            switch source {
            case .list(var list):
                let spec = list.next()
                source = .list(list)
                return spec
            case .inPlace(let reader, let decoder, let section):
                do {
                    while let item = try reader.next() {
                        guard item.key == section.rawValue else { continue }
                        if let spec = CollectionLoader.request(item.node, decoder) { return spec }
                        failure = decoder.log.diagnostics.first?.description ?? "request \(item.index + 1) could not be decoded again"
                        source = .done
                        return nil
                    }
                } catch {
                    failure = "\(error.file):\(error.mark): \(error.message)"
                }
                source = .done
                return nil
            case .ahead(let ahead):
                do {
                    if case .element(let spec) = try ahead.next() { return spec }
                } catch {
                    failure = error.message
                }
                source = .done
                return nil
            case .done:
                return nil
            }
        }
    }

    struct DecodeFailure: Error {
        var message: String
    }
}
