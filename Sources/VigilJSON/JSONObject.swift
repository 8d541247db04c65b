/// A JSON object that keeps its keys in document (insertion) order.
///
/// Lookup is a linear scan while the object is small; once it has more than
/// `JSONObject.indexThreshold` members a key→position dictionary is kept as well.
/// Keys compare by Unicode scalars (as JSON requires), not by canonical equivalence.
/// Equality ignores key order; hashing agrees.
public struct JSONObject: Sendable {
    /// One member of the object.

    struct Entry: Sendable {
        var key: String
        var value: JSONValue
    }

    var entries: [Entry]
    /// Position index, present only for objects bigger than `indexThreshold`.
    var index: [ScalarKey: Int]?

    /// Objects with more members than this get a hash index. A linear scan of 64 keys is
    /// quick; an index costs about 50 bytes a member, which for a list of 50,000 cameras of
    /// 31 members each was 40 % of the parsed document.
    static let indexThreshold = 64

    public init() {
        entries = []
        index = nil
    }

    /// Creates an object from pairs in order; a repeated key replaces the earlier
    /// value but keeps the earlier position.
    public init(_ pairs: [(String, JSONValue)]) {
        self.init()
        entries.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    /// An object from pairs whose keys the caller knows to be distinct (taken from another
    /// object, say): built in one pass, without looking each key up.
    public init(distinctKeysAndValues pairs: [(String, JSONValue)]) {
        self.init(uniqueEntries: pairs.map { Entry(key: $0.0, value: $0.1) })
    }

    /// Wraps entries whose keys are known to be distinct (the parser checked).
    init(uniqueEntries: [Entry]) {
        entries = uniqueEntries
        index = nil
        if entries.count > JSONObject.indexThreshold { rebuildIndex() }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    /// The keys in stored order.
    public var keys: [String] { entries.map(\.key) }
    /// The values in stored order.
    public var values: [JSONValue] { entries.map(\.value) }

    /// Position of `key`, if present.

    func position(of key: String) -> Int? {
        if let index { return index[ScalarKey(key)] }
        for i in entries.indices where scalarsEqual(entries[i].key, key) { return i }
        return nil
    }

    /// Gets a member; setting appends a new key at the end or replaces the value in
    /// place; setting `nil` removes the member.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let i = position(of: key) else { return nil }
            return entries[i].value
        }
        set {
            if let i = position(of: key) {
                if let newValue {
                    entries[i].value = newValue
                } else {
                    remove(at: i)
                }
            } else if let newValue {
                append(key: key, value: newValue)
            }
        }
    }

    /// Appends without checking for an existing key (the caller knows it is new).

    mutating func append(key: String, value: JSONValue) {
        entries.append(Entry(key: key, value: value))
        if index != nil {
            index![ScalarKey(key)] = entries.count - 1
        } else if entries.count > JSONObject.indexThreshold {
            rebuildIndex()
        }
    }

    private mutating func remove(at i: Int) {
        entries.remove(at: i)
        index = nil
        if entries.count > JSONObject.indexThreshold { rebuildIndex() }
    }

    private mutating func rebuildIndex() {
        var map = [ScalarKey: Int](minimumCapacity: entries.count * 2)
        for (i, entry) in entries.enumerated() { map[ScalarKey(entry.key)] = i }
        index = map
    }
}

extension JSONObject: Sequence {
    public typealias Element = (key: String, value: JSONValue)

    public struct Iterator: IteratorProtocol {
        var base: IndexingIterator<[Entry]>
        public mutating func next() -> (key: String, value: JSONValue)? {
            guard let entry = base.next() else { return nil }
            return (entry.key, entry.value)
        }
    }

    public func makeIterator() -> Iterator { Iterator(base: entries.makeIterator()) }
    public var underestimatedCount: Int { entries.count }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Duplicate keys: the last value wins, at the first key's position.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

extension JSONObject: Hashable {
    /// Order-insensitive: same keys (by Unicode scalars) with equal values.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (i, entry) in lhs.entries.enumerated() {
            // Fast path: same key at the same position.
            if i < rhs.entries.count, scalarsEqual(rhs.entries[i].key, entry.key) {
                guard rhs.entries[i].value == entry.value else { return false }
                continue
            }
            guard let j = rhs.position(of: entry.key), rhs.entries[j].value == entry.value
            else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Commutative combination so that key order does not matter.
        var sum = 0
        for entry in entries {
            var h = Hasher()
            hashScalars(entry.key, into: &h)
            h.combine(entry.value)
            sum &+= h.finalize()
        }
        hasher.combine(entries.count)
        hasher.combine(sum)
    }
}

/// Dictionary key comparing and hashing strings by Unicode scalars.
struct ScalarKey: Hashable, Sendable {
    let string: String
    @inline(__always) init(_ string: String) { self.string = string }
    static func == (a: ScalarKey, b: ScalarKey) -> Bool {
        scalarsEqual(a.string, b.string)
    }
    func hash(into hasher: inout Hasher) { hashScalars(string, into: &hasher) }
}
