/// MD4 (RFC 1320), which NTLM needs for the NT hash and swift-crypto does not offer.
///
/// A small value: feed it bytes with ``update(_:)``, take the digest with ``finalize()``.
/// MD4 is broken as a hash; it is here only because [MS-NLMP] defines NTOWF with it.
public struct MD4: Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    public init() {}

    /// The digest of `bytes`, in one call.
    public static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        var md4 = MD4()
        md4.update(bytes)
        return md4.finalize()
    }

    public mutating func update<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        for byte in bytes {
            pending.append(byte)
            length &+= 1
            if pending.count == 64 {
                compress(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
    }

    /// The 16-byte digest; the value is spent afterwards.
    public consuming func finalize() -> [UInt8] {
        let bits = length &* 8
        var tail = pending
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for i in 0..<8 { tail.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
        for start in stride(from: 0, to: tail.count, by: 64) { compress(tail[start..<start + 64]) }
        var out = [UInt8]()
        out.reserveCapacity(16)
        for word in [state.0, state.1, state.2, state.3] {
            for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: word >> (8 * UInt32(i)))) }
        }
        return out
    }

    private mutating func compress(_ block: some Collection<UInt8>) {
        let bytes = Array(block)
        var x = [UInt32](repeating: 0, count: 16)
        for i in 0..<16 {
            x[i] = UInt32(bytes[4 * i]) | UInt32(bytes[4 * i + 1]) << 8 | UInt32(bytes[4 * i + 2]) << 16 | UInt32(bytes[4 * i + 3]) << 24
        }
        var (a, b, c, d) = state
        func rotl(_ v: UInt32, _ s: UInt32) -> UInt32 { v << s | v >> (32 - s) }
        func f(_ x: UInt32, _ y: UInt32, _ z: UInt32) -> UInt32 { x & y | ~x & z }
        func g(_ x: UInt32, _ y: UInt32, _ z: UInt32) -> UInt32 { x & y | x & z | y & z }
        func h(_ x: UInt32, _ y: UInt32, _ z: UInt32) -> UInt32 { x ^ y ^ z }
        // Round 1: [abcd k s] a = (a + F(b,c,d) + X[k]) <<< s
        for k in stride(from: 0, to: 16, by: 4) {
            a = rotl(a &+ f(b, c, d) &+ x[k], 3)
            d = rotl(d &+ f(a, b, c) &+ x[k + 1], 7)
            c = rotl(c &+ f(d, a, b) &+ x[k + 2], 11)
            b = rotl(b &+ f(c, d, a) &+ x[k + 3], 19)
        }
        // Round 2: a = (a + G(b,c,d) + X[k] + 5A827999) <<< s
        for k in 0..<4 {
            a = rotl(a &+ g(b, c, d) &+ x[k] &+ 0x5A82_7999, 3)
            d = rotl(d &+ g(a, b, c) &+ x[k + 4] &+ 0x5A82_7999, 5)
            c = rotl(c &+ g(d, a, b) &+ x[k + 8] &+ 0x5A82_7999, 9)
            b = rotl(b &+ g(c, d, a) &+ x[k + 12] &+ 0x5A82_7999, 13)
        }
        // Round 3: a = (a + H(b,c,d) + X[k] + 6ED9EBA1) <<< s, in the order 0 8 4 12 2 10 6 14 1 9 5 13 3 11 7 15
        for k in [0, 2, 1, 3] {
            a = rotl(a &+ h(b, c, d) &+ x[k] &+ 0x6ED9_EBA1, 3)
            d = rotl(d &+ h(a, b, c) &+ x[k + 8] &+ 0x6ED9_EBA1, 9)
            c = rotl(c &+ h(d, a, b) &+ x[k + 4] &+ 0x6ED9_EBA1, 11)
            b = rotl(b &+ h(c, d, a) &+ x[k + 12] &+ 0x6ED9_EBA1, 15)
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }
}
