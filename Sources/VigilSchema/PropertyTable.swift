/// The schemas of `properties` by name, looked up by the UTF-8 bytes of a member name (equal
/// bytes are equal Unicode scalars, as JSON compares names). A dictionary of `String` hashes
/// with SipHash and compares by canonical equivalence; this hashes a few bytes with FNV-1a and
/// compares bytes, which made it a quarter of the validation time less.
struct PropertyTable: Sendable {
    private(set) var names: [String] = []
    private(set) var nodes: [SchemaNode] = []
    /// The names' UTF-8 bytes one after the other; name `i` spans `offsets[i]..<offsets[i + 1]`.
    private var bytes: [UInt8] = []
    private var offsets: [Int] = [0]
    /// Open addressing, positions into `names` + 1 (0: empty); its count is a power of two.
    private var buckets: [Int32] = []

    var isEmpty: Bool { names.isEmpty }
    var count: Int { names.count }

    /// Adds or replaces the schema of `name`.
    mutating func set(_ name: String, _ node: SchemaNode) {
        if let i = index(of: name) {
            nodes[i] = node
            return
        }
        names.append(name)
        nodes.append(node)
        bytes += Array(name.utf8)
        offsets.append(bytes.count)
        rehash()
    }

    /// The position of `name` in `names`, if present.
    @inline(__always) func index(of name: String) -> Int? {
        if buckets.isEmpty { return nil }
        if let found = name.utf8.withContiguousStorageIfAvailable({ lookup($0) }) { return found }
        return Array(name.utf8).withUnsafeBufferPointer { lookup($0) }
    }

    /// The schema of `name`, if the table has one.
    subscript(name: String) -> SchemaNode? {
        guard let i = index(of: name) else { return nil }
        return nodes[i]
    }

    private func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        buckets.withUnsafeBufferPointer { buckets in
            offsets.withUnsafeBufferPointer { offsets in
                bytes.withUnsafeBufferPointer { bytes in
                    let mask = buckets.count - 1
                    var slot = Int(truncatingIfNeeded: Self.hash(key)) & mask
                    while true {
                        let entry = Int(buckets[slot])
                        if entry == 0 { return nil }
                        let start = offsets[entry - 1]
                        if offsets[entry] - start == key.count, key.isEmpty || Self.equal(bytes.baseAddress! + start, key) { return entry - 1 }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    @inline(__always) private static func equal(_ name: UnsafePointer<UInt8>, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<key.count where name[i] != key[i] { return false }
        return true
    }

    @inline(__always) private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return h ^ (h >> 29)
    }

    private mutating func rehash() {
        var size = 8
        while size < names.count * 2 { size *= 2 }
        var table = [Int32](repeating: 0, count: size)
        for (i, name) in names.enumerated() {
            var slot = Int(truncatingIfNeeded: Array(name.utf8).withUnsafeBufferPointer { Self.hash($0) }) & (size - 1)
            while table[slot] != 0 { slot = (slot + 1) & (size - 1) }
            table[slot] = Int32(i + 1)
        }
        buckets = table
    }
}
