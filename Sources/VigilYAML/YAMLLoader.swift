import CYAML
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Loads one YAML document into a ``YAMLNode`` tree through libyaml's event API.
///
/// Rules beyond plain YAML, chosen for request collections:
/// - more than one document in a stream is an error;
/// - a duplicate key in a mapping is an error that names both places;
/// - merge keys (`<<`) are applied, explicit keys winning over merged ones;
/// - aliases are expanded, within a node budget and a text budget that stop alias bombs
///   (many nodes, or a long scalar repeated) and huge scalars;
/// - nesting deeper than `maxDepth` is an error, so no later walk can overflow the stack.
public struct YAMLLoader: Sendable {
    /// Most nodes a document may hold after alias expansion.
    public var maxNodes: Int = 2_000_000
    /// Deepest nesting of sequences and mappings.
    public var maxDepth: Int = 256
    /// Most bytes of scalar text a document may hold after alias expansion.
    public var maxTextBytes: Int = 64 * 1024 * 1024

    public init() {}

    /// Loads the document in `text`; `file` is the name used in errors.
    /// Returns nil for a stream with no document (an empty file).
    public func load(_ text: String, file: String) throws(YAMLError) -> YAMLNode? {
        var bytes = Array(text.utf8)
        return try load(bytes: &bytes, file: file)
    }

    /// Loads the document in `bytes` (UTF-8); `file` is the name used in errors.
    public func load(bytes: inout [UInt8], file: String) throws(YAMLError) -> YAMLNode? {
        let reader = YAMLItemReader(source: YAMLSource(bytes: bytes, file: file), streaming: [], limits: self)
        while try reader.next() != nil {}
        return reader.document
    }
}

/// A file's bytes at a fixed address, for libyaml, which reads them as it goes. Immutable, so
/// any number of readers may share one source, on any thread.
public final class YAMLSource: @unchecked Sendable {
    /// The name used in errors.
    public let file: String
    let buffer: UnsafeMutableBufferPointer<UInt8>

    /// A copy of the bytes.
    public var bytes: [UInt8] { Array(buffer[0..<count]) }

    public init(bytes: [UInt8], file: String) {
        self.file = file
        buffer = .allocate(capacity: max(bytes.count, 1))
        _ = buffer.initialize(from: bytes)
        count = bytes.count
    }

    /// The bytes of the file at `path`, read straight into place (one copy in memory, not
    /// three); nil when it cannot be read (or is a folder). Pipes work too (`<(…)`, /dev/stdin):
    /// the bytes are read once and kept, so a run reads again exactly what was checked.
    public init?(contentsOf path: String, file: String? = nil) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else { return nil }
        var capacity = max(Int(info.st_size), 0) + 4096
        var buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
        var size = 0
        while true {
            if size == capacity {
                // The file grew since fstat: make room.
                let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity * 2)
                _ = bigger.initialize(from: buffer[0..<size])
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
            }
            let n = read(fd, buffer.baseAddress! + size, capacity - size)
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                buffer.deallocate()
                return nil
            }
            size += n
        }
        self.buffer = buffer
        self.count = size
        self.file = file ?? path
    }

    /// Size in bytes.
    public let count: Int

    deinit { buffer.deallocate() }
}

/// One item of a streamed list: the list's key in the root mapping, its index there, the node.
public struct YAMLItem: Sendable {
    public var key: String
    public var index: Int
    public var node: YAMLNode
}

/// Reads one document, handing out the items of chosen top-level lists one at a time
/// (`requests:` of a collection) instead of keeping them in the tree: a collection of 100,000
/// requests is then never in memory all at once. Everything else becomes the ``document``.
///
/// Pull-based: each ``next()`` runs libyaml until an item is complete. Not for sharing between
/// tasks; make one reader per pass.
public final class YAMLItemReader {
    private var builder: TreeBuilder
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let started: Bool
    private var finished = false
    private let source: YAMLSource

    /// `streaming` names the keys of the root mapping whose list items are handed out.
    public init(source: YAMLSource, streaming: Set<String>, limits: YAMLLoader = YAMLLoader()) {
        self.source = source
        builder = TreeBuilder(
            file: source.file, maxNodes: limits.maxNodes, maxDepth: limits.maxDepth, maxTextBytes: limits.maxTextBytes,
            source: UnsafeBufferPointer(rebasing: source.buffer[0..<source.count]), streamed: streaming)
        parser = .allocate(capacity: 1)
        started = yaml_parser_initialize(parser) == 1
        if started { yaml_parser_set_input_string(parser, source.buffer.baseAddress!, source.count) }
    }

    deinit {
        if started { yaml_parser_delete(parser) }
        parser.deallocate()
    }

    /// The document once ``next()`` has returned nil (nil for an empty stream). Streamed lists
    /// are empty in it.
    public var document: YAMLNode? { builder.document }

    /// The next item of a streamed list, in file order; nil at the end of the document.
    public func next() throws(YAMLError) -> YAMLItem? {
        guard started else {
            throw YAMLError(file: source.file, mark: Mark(line: 1, column: 1), message: "could not start the YAML parser")
        }
        var event = yaml_event_t()
        while !finished {
            guard yaml_parser_parse(parser, &event) == 1 else {
                finished = true
                throw builder.parserError(parser.pointee)
            }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { finished = true; break }
            do {
                try builder.handle(event)
            } catch {
                finished = true
                throw error
            }
            if let item = builder.takeItem() { return item }
        }
        return nil
    }
}

/// Drives the libyaml parser and assembles nodes on an explicit stack (no recursion).
struct TreeBuilder {
    let file: String
    let maxNodes: Int
    let maxDepth: Int
    let maxTextBytes: Int
    let source: UnsafeBufferPointer<UInt8>

    /// Frames are objects so that appending to the open container is in place (a value
    /// popped, appended to and pushed back copied the array: quadratic in its length).
    private enum Frame {
        case sequence(SequenceFrame)
        case mapping(MappingFrame)
    }

    private final class SequenceFrame {
        var items: [YAMLNode] = []
        /// The root key when this list's items are streamed, and how many went out.
        var streamKey: String?
        var streamedCount = 0
        let mark: Mark
        let anchor: String?
        let startCount: Int
        let startBytes: Int

        init(mark: Mark, anchor: String?, startCount: Int, startBytes: Int) {
            self.mark = mark
            self.anchor = anchor
            self.startCount = startCount
            self.startBytes = startBytes
        }
    }

    private final class MappingFrame {
        var pairs: [YAMLPair] = []
        var pendingKey: YAMLNode?
        let mark: Mark
        let anchor: String?
        let startCount: Int
        let startBytes: Int
        var seen: [String: Mark] = [:]
        /// Merge sources by the index in `pairs` where the `<<` entry stood.
        var merges: [(index: Int, sources: [YAMLNode])] = []

        init(mark: Mark, anchor: String?, startCount: Int, startBytes: Int) {
            self.mark = mark
            self.anchor = anchor
            self.startCount = startCount
            self.startBytes = startBytes
        }
    }

    private var stack: [Frame] = []
    private var anchors: [String: (node: YAMLNode, size: Int, bytes: Int)] = [:]
    private var nodeCount = 0
    private var textBytes = 0
    private(set) var document: YAMLNode?
    private var documents = 0
    /// Keys of the root mapping whose list items are handed out, not kept.
    private let streamed: Set<String>
    private var item: YAMLItem?

    init(file: String, maxNodes: Int, maxDepth: Int, maxTextBytes: Int, source: UnsafeBufferPointer<UInt8>, streamed: Set<String>) {
        self.file = file
        self.maxNodes = maxNodes
        self.maxDepth = maxDepth
        self.maxTextBytes = maxTextBytes
        self.source = source
        self.streamed = streamed
    }

    /// The streamed item just completed, if any.
    mutating func takeItem() -> YAMLItem? {
        defer { item = nil }
        return item
    }

    private func mark(_ m: yaml_mark_t) -> Mark {
        Mark(line: Int(m.line) + 1, column: Int(m.column) + 1)
    }

    private func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let p else { return nil }
        return String(cString: UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))
    }

    private func fail(_ message: String, at m: Mark) -> YAMLError {
        YAMLError(file: file, mark: m, message: message)
    }

    mutating func handle(_ event: yaml_event_t) throws(YAMLError) {
        let at = mark(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw fail("more than one YAML document in one file; a file holds one collection or environment", at: at)
            }
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            try count(1, bytes: s.length, at: at)
            let text = s.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: s.length), as: UTF8.self) } ?? ""
            let style: ScalarStyle
            switch s.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            var tag = string(s.tag)
            if tag == "!" { tag = "tag:yaml.org,2002:str" }
            let node = YAMLNode(.scalar(YAMLScalar(text: text, style: style, tag: tag)), mark: at)
            if let anchor = string(s.anchor) { anchors[anchor] = (node, 1, s.length) }
            try add(node)
        case YAML_ALIAS_EVENT:
            let name = string(event.data.alias.anchor) ?? ""
            guard let anchored = anchors[name] else {
                throw fail("unknown alias '*\(name)'", at: at)
            }
            try count(anchored.size, bytes: anchored.bytes, at: at)
            var node = anchored.node
            node.mark = at
            try add(node)
        case YAML_SEQUENCE_START_EVENT:
            try push(at)
            let frame = SequenceFrame(mark: at, anchor: string(event.data.sequence_start.anchor), startCount: nodeCount, startBytes: textBytes)
            if stack.count == 1, case .mapping(let root) = stack[0], let key = root.pendingKey?.scalar?.text, streamed.contains(key) {
                frame.streamKey = key
            }
            stack.append(.sequence(frame))
            try count(1, at: at)
        case YAML_MAPPING_START_EVENT:
            try push(at)
            stack.append(.mapping(MappingFrame(mark: at, anchor: string(event.data.mapping_start.anchor), startCount: nodeCount, startBytes: textBytes)))
            try count(1, at: at)
        case YAML_SEQUENCE_END_EVENT:
            guard case .sequence(let frame)? = stack.popLast() else { return }
            let node = YAMLNode(.sequence(frame.items), mark: frame.mark)
            if let anchor = frame.anchor { anchors[anchor] = (node, nodeCount - frame.startCount, textBytes - frame.startBytes) }
            try add(node)
        case YAML_MAPPING_END_EVENT:
            guard case .mapping(let frame)? = stack.popLast() else { return }
            let node = YAMLNode(.mapping(try applyMerges(frame)), mark: frame.mark)
            if let anchor = frame.anchor { anchors[anchor] = (node, nodeCount - frame.startCount, textBytes - frame.startBytes) }
            try add(node)
        default:
            break
        }
    }

    private mutating func push(_ at: Mark) throws(YAMLError) {
        if stack.count >= maxDepth {
            throw fail("nesting deeper than \(maxDepth) levels", at: at)
        }
    }

    private mutating func count(_ n: Int, bytes: Int = 0, at: Mark) throws(YAMLError) {
        nodeCount += n
        if nodeCount > maxNodes {
            throw fail("document grows past \(maxNodes) nodes once aliases are expanded (an alias bomb?)", at: at)
        }
        textBytes += bytes
        if textBytes > maxTextBytes {
            throw fail(
                n == 1 && bytes > maxTextBytes
                    ? "a scalar of \(bytes) bytes is larger than the limit of \(maxTextBytes) bytes"
                    : "document grows past \(maxTextBytes) bytes of text once aliases are expanded (an alias bomb?)", at: at)
        }
    }

    /// Puts a finished node into its parent (or makes it the document).
    private mutating func add(_ node: YAMLNode) throws(YAMLError) {
        guard let top = stack.last else {
            document = node
            return
        }
        switch top {
        case .sequence(let frame):
            if let key = frame.streamKey {
                // Handed out, not kept: the budgets count what is held at once (and anchors).
                item = YAMLItem(key: key, index: frame.streamedCount, node: node)
                frame.streamedCount += 1
                nodeCount = frame.startCount + 1
                textBytes = frame.startBytes
            } else {
                frame.items.append(node)
            }
        case .mapping(let frame):
            if let key = frame.pendingKey {
                frame.pendingKey = nil
                if let s = key.scalar, s.style == .plain, s.text == "<<" || s.tag == "tag:yaml.org,2002:merge" {
                    frame.merges.append((frame.pairs.count, try mergeSources(node)))
                } else {
                    if let s = key.scalar {
                        // Small mappings (nearly all) are scanned; a dictionary pays off past a dozen keys.
                        let first: Mark?
                        if frame.pairs.count < 12 {
                            first = frame.pairs.first { $0.key.scalar?.text == s.text }?.key.mark
                        } else {
                            if frame.seen.isEmpty {
                                for p in frame.pairs { if let t = p.key.scalar?.text { frame.seen[t] = p.key.mark } }
                            }
                            first = frame.seen[s.text]
                            frame.seen[s.text] = key.mark
                        }
                        if let first {
                            throw fail("duplicate key '\(s.text)' (first at line \(first.line), column \(first.column))", at: key.mark)
                        }
                    }
                    frame.pairs.append(YAMLPair(key: key, value: node))
                }
            } else {
                frame.pendingKey = node
            }
        }
    }

    private func mergeSources(_ node: YAMLNode) throws(YAMLError) -> [YAMLNode] {
        switch node.content {
        case .mapping: return [node]
        case .sequence(let items):
            for item in items where item.mapping == nil {
                throw fail("a merge key '<<' takes a mapping or a list of mappings", at: item.mark)
            }
            return items
        case .scalar:
            throw fail("a merge key '<<' takes a mapping or a list of mappings", at: node.mark)
        }
    }

    /// Inserts merged entries where their `<<` stood; explicit keys win, then earlier sources.
    private func applyMerges(_ frame: MappingFrame) throws(YAMLError) -> [YAMLPair] {
        guard !frame.merges.isEmpty else { return frame.pairs }
        var taken = Set(frame.pairs.compactMap { $0.key.scalar?.text })
        var result: [YAMLPair] = []
        var next = 0
        for (index, sources) in frame.merges {
            while next < index { result.append(frame.pairs[next]); next += 1 }
            for source in sources {
                for pair in source.mapping ?? [] {
                    guard let key = pair.key.scalar?.text else { result.append(pair); continue }
                    if taken.insert(key).inserted { result.append(pair) }
                }
            }
        }
        while next < frame.pairs.count { result.append(frame.pairs[next]); next += 1 }
        return result
    }

    func parserError(_ parser: yaml_parser_t) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        var at: Mark
        if parser.error == YAML_READER_ERROR {
            at = markForOffset(Int(parser.problem_offset))
        } else {
            at = mark(parser.problem_mark)
        }
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            let c = mark(parser.context_mark)
            message += " (\(context) at line \(c.line), column \(c.column))"
        }
        if at.line < 1 { at = Mark(line: 1, column: 1) }
        return YAMLError(file: file, mark: at, message: message)
    }

    /// Line and column of a byte offset, for reader errors (which carry no mark).
    private func markForOffset(_ offset: Int) -> Mark {
        var line = 1, column = 1
        for byte in source.prefix(min(offset, source.count)) {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return Mark(line: line, column: column)
    }
}
