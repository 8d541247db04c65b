extension JSONValue: Hashable {
    /// JSON equality: deep; numbers by value across int/double; strings by Unicode
    /// scalars; objects ignore key order.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)):
            return exactInt64(b) == a
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0 as UInt8)
        case .bool(let b): hasher.combine(1 as UInt8); hasher.combine(b)
        case .int(let i): hasher.combine(2 as UInt8); hasher.combine(i)
        case .double(let d):
            if let i = JSONValue.exactInt64(d) {
                hasher.combine(2 as UInt8); hasher.combine(i)
            } else {
                hasher.combine(3 as UInt8); hasher.combine(d)
            }
        case .string(let s): hasher.combine(4 as UInt8); s.hash(into: &hasher)
        case .array(let a): hasher.combine(5 as UInt8); hasher.combine(a)
        case .object(let o): hasher.combine(6 as UInt8); hasher.combine(o)
        }
    }
}

/// Compares two strings by their Unicode scalars (UTF-8 bytes), unlike `String.==`
/// which uses canonical equivalence. This is what JSON and RFC 9535 require.
@inline(__always)
func scalarsEqual(_ a: String, _ b: String) -> Bool {
    let ua = a.utf8, ub = b.utf8
    guard ua.count == ub.count else { return false }
    let contiguous = ua.withContiguousStorageIfAvailable { pa in
        ub.withContiguousStorageIfAvailable { pb in bytesEqual(pa, pb) }
    }
    if let contiguous, let equal = contiguous { return equal }
    return ua.elementsEqual(ub)
}

/// Byte-wise equality, eight bytes at a time.
@inline(__always)
func bytesEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = a.count
    guard n == b.count else { return false }
    guard n > 0, let baseA = a.baseAddress, let baseB = b.baseAddress else { return true }
    let pa = UnsafeRawPointer(baseA), pb = UnsafeRawPointer(baseB)
    var i = 0
    while i + 8 <= n {
        if pa.loadUnaligned(fromByteOffset: i, as: UInt64.self) != pb.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < n {
        if baseA[i] != baseB[i] { return false }
        i += 1
    }
    return true
}

/// Hashes the UTF-8 bytes, consistent with `scalarsEqual`.
@inline(__always)
func hashScalars(_ s: String, into hasher: inout Hasher) {
    let done: Void? = s.utf8.withContiguousStorageIfAvailable { buffer in
        hasher.combine(bytes: UnsafeRawBufferPointer(buffer))
    }
    if done == nil {
        for byte in s.utf8 { hasher.combine(byte) }
    }
    hasher.combine(s.utf8.count)
}
