/// A JSON object that keeps its keys in document (insertion) order.
///
/// Lookup is a linear scan while the object is small; once it has more than
/// `JSONObject.indexThreshold` members a key→position dictionary is kept as well.
/// Keys compare by Unicode scalars (as JSON requires), not by canonical equivalence.
/// Equality ignores key order; hashing agrees.
public struct JSONObject: Sendable {
    /// The keys (and the index of large objects), shared by objects of the same keys: the
    /// parser gives every object of a list the shape of its previous sibling when the keys are
    /// the same, so a list of 470,000 five-member objects keeps one array of keys, not one a
    /// member (a member costs its value's 24 bytes, not 40). Copied before a shared one changes.
    var shape: JSONShape
    /// The values in stored order, `values[i]` under `shape.keys[i]`.
    public private(set) var values: [JSONValue]

    /// Objects with more members than this get a hash index. A linear scan of 64 keys is
    /// quick; an index costs about 50 bytes a member (once per shape).
    static let indexThreshold = 64

    public init() {
        shape = JSONShape.empty
        values = []
    }

    /// Creates an object from pairs in order; a repeated key replaces the earlier
    /// value but keeps the earlier position.
    public init(_ pairs: [(String, JSONValue)]) {
        self.init()
        values.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    /// An object from pairs whose keys the caller knows to be distinct (taken from another
    /// object, say): built in one pass, without looking each key up.
    public init(distinctKeysAndValues pairs: [(String, JSONValue)]) {
        self.init(shape: JSONShape(keys: pairs.map(\.0)), values: pairs.map(\.1))
    }

    /// Wraps values under a shape whose keys are distinct (the parser checked).
    init(shape: JSONShape, values: [JSONValue]) {
        self.shape = shape
        self.values = values
    }

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }
    /// The keys in stored order.
    public var keys: [String] { shape.keys }

    /// Position of `key`, if present.
    func position(of key: String) -> Int? { shape.position(of: key) }

    /// Gets a member; setting appends a new key at the end or replaces the value in
    /// place; setting `nil` removes the member.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let i = position(of: key) else { return nil }
            return values[i]
        }
        set {
            if let i = position(of: key) {
                if let newValue {
                    values[i] = newValue
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
        if !isKnownUniquelyReferenced(&shape) { shape = JSONShape(keys: shape.keys) }
        shape.append(key)
        values.append(value)
    }

    private mutating func remove(at i: Int) {
        var keys = shape.keys
        keys.remove(at: i)
        shape = JSONShape(keys: keys)
        values.remove(at: i)
    }
}

/// The keys of an object in stored order, with a key→position index past
/// `JSONObject.indexThreshold` keys. Shared between objects; changed only while one object
/// holds it alone (`isKnownUniquelyReferenced`), so it is safe to share across threads.
final class JSONShape: @unchecked Sendable {
    private(set) var keys: [String]
    private(set) var index: [ScalarKey: Int]?

    static let empty = JSONShape(keys: [])

    init(keys: [String]) {
        self.keys = keys
        if keys.count > JSONObject.indexThreshold { rebuildIndex() }
    }

    func position(of key: String) -> Int? {
        if let index { return index[ScalarKey(key)] }
        for i in keys.indices where scalarsEqual(keys[i], key) { return i }
        return nil
    }

    /// Whether the keys are `other`, in order.
    func hasKeys(_ other: UnsafeBufferPointer<String>) -> Bool {
        guard keys.count == other.count else { return false }
        return keys.withUnsafeBufferPointer { keys in
            for i in 0..<other.count where !Self.sameKey(keys[i], other[i]) { return false }
            return true
        }
    }

    /// `scalarsEqual`, settled without reading the bytes when both strings have the same
    /// representation (two short strings of the same text are stored alike, in place).
    @inline(__always) private static func sameKey(_ a: String, _ b: String) -> Bool {
        let x = unsafeBitCast(a, to: (UInt64, UInt64).self)
        let y = unsafeBitCast(b, to: (UInt64, UInt64).self)
        return (x.0 == y.0 && x.1 == y.1) || scalarsEqual(a, b)
    }

    func append(_ key: String) {
        keys.append(key)
        if index != nil {
            index![ScalarKey(key)] = keys.count - 1
        } else if keys.count > JSONObject.indexThreshold {
            rebuildIndex()
        }
    }

    private func rebuildIndex() {
        var map = [ScalarKey: Int](minimumCapacity: keys.count * 2)
        for (i, key) in keys.enumerated() { map[ScalarKey(key)] = i }
        index = map
    }
}

extension JSONObject: Sequence {
    public typealias Element = (key: String, value: JSONValue)

    public struct Iterator: IteratorProtocol {
        let keys: [String]
        let values: [JSONValue]
        var i = 0
        public mutating func next() -> (key: String, value: JSONValue)? {
            guard i < values.count else { return nil }
            defer { i += 1 }
            return (keys[i], values[i])
        }
    }

    public func makeIterator() -> Iterator { Iterator(keys: shape.keys, values: values) }
    public var underestimatedCount: Int { values.count }
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
        let sameShape = lhs.shape === rhs.shape
        for (i, key) in lhs.keys.enumerated() {
            // Fast path: same key at the same position.
            if sameShape || scalarsEqual(rhs.shape.keys[i], key) {
                guard rhs.values[i] == lhs.values[i] else { return false }
                continue
            }
            guard let j = rhs.position(of: key), rhs.values[j] == lhs.values[i] else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Commutative combination so that key order does not matter.
        var sum = 0
        for (key, value) in self {
            var h = Hasher()
            hashScalars(key, into: &h)
            h.combine(value)
            sum &+= h.finalize()
        }
        hasher.combine(count)
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
