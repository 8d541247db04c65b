#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension String {
    /// `self` with every occurrence of `target` replaced by `replacement`, compared byte for
    /// byte (UTF-8), left to right, without overlaps. Foundation's `replacingOccurrences(of:with:)`
    /// bridges both strings to UTF-16 and was a sixth of writing 10,000 Markdown pages.
    func replacingBytes(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var text = self
        var needle = target
        return text.withUTF8 { hay in
            needle.withUTF8 { n in
                guard let hayBase = hay.baseAddress, let nBase = n.baseAddress else { return self }
                var out: [UInt8] = []
                var last = 0
                var at = 0
                while let start = Self.find(nBase, n.count, in: hayBase, hay.count, from: at) {
                    if out.isEmpty { out.reserveCapacity(hay.count) }
                    out.append(contentsOf: hay[last..<start])
                    out.append(contentsOf: replacement.utf8)
                    last = start + n.count
                    at = last
                }
                guard last > 0 else { return self }
                out.append(contentsOf: hay[last...])
                return String(decoding: out, as: UTF8.self)
            }
        }
    }

    /// Where the `count` bytes at `needle` first occur in `hay` at or after `from`
    /// (`memchr` finds the first byte, `memcmp` checks the rest).
    private static func find(_ needle: UnsafePointer<UInt8>, _ count: Int, in hay: UnsafePointer<UInt8>, _ length: Int, from: Int) -> Int? {
        var i = from
        let last = length - count
        while i <= last {
            guard let hit = memchr(hay + i, Int32(needle[0]), last - i + 1) else { return nil }
            let at = UnsafeRawPointer(hay).distance(to: UnsafeRawPointer(hit))
            if memcmp(hay + at, needle, count) == 0 { return at }
            i = at + 1
        }
        return nil
    }
}
