/// A fast matcher for the plain patterns schemas mostly use (anchors, literals, `.`, classes,
/// `\d` `\w` `\s` and greedy quantifiers, no groups or alternation), with ECMA-262 semantics.
/// Swift's `Regex` takes microseconds a match; this takes a fraction of one. Patterns it cannot
/// read go to `Regex`.
struct SimplePattern: Sendable {
    /// A set of code points.
    struct CharSet: Sendable {
        var ranges: [ClosedRange<UInt32>] = []
        var negated = false
        /// Membership of the ASCII code points (after negation), filled by `finished()`.
        var ascii: (UInt64, UInt64) = (0, 0)

        /// Computes the ASCII bitmap once the ranges are complete.
        func finished() -> CharSet {
            var set = self
            set.ascii = (0, 0)
            for c in UInt32(0)..<128 where slowContains(c) {
                if c < 64 { set.ascii.0 |= 1 << UInt64(c) } else { set.ascii.1 |= 1 << UInt64(c - 64) }
            }
            return set
        }

        @inline(__always) func contains(_ c: UInt32) -> Bool {
            if c < 64 { return ascii.0 & (1 << UInt64(c)) != 0 }
            if c < 128 { return ascii.1 & (1 << UInt64(c - 64)) != 0 }
            return slowContains(c)
        }

        func slowContains(_ c: UInt32) -> Bool {
            var found = false
            for range in ranges where range.contains(c) {
                found = true
                break
            }
            return found != negated
        }
    }

    struct Atom: Sendable {
        var set: CharSet
        var min: Int
        var max: Int
    }

    let atoms: [Atom]
    let anchoredStart: Bool
    let anchoredEnd: Bool

    static let digit: [ClosedRange<UInt32>] = [0x30...0x39]
    static let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
    static let space: [ClosedRange<UInt32>] = [
        0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A, 0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F,
        0x3000...0x3000, 0xFEFF...0xFEFF,
    ]
    static let lineTerminators: [ClosedRange<UInt32>] = [0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029]

    /// Reads `source`; `nil` if it uses anything beyond the plain subset.
    init?(_ source: String) {
        var s = Array(source.unicodeScalars)[...]
        var atoms: [Atom] = []
        anchoredStart = s.first == "^"
        if anchoredStart { s = s.dropFirst() }
        var end = false
        while let c = s.popFirst() {
            guard !end else { return nil }
            var set = CharSet()
            switch c {
            case "$":
                end = true
                continue
            case "^", "(", ")", "|", "*", "+", "?", "{", "}", "]": return nil
            case ".":
                set.ranges = Self.lineTerminators
                set.negated = true
            case "[":
                guard let parsed = Self.readClass(&s) else { return nil }
                set = parsed
            case "\\":
                guard let escaped = Self.readEscape(&s) else { return nil }
                set = escaped
            default:
                set.ranges = [c.value...c.value]
            }
            var atom = Atom(set: set.finished(), min: 1, max: 1)
            switch s.first {
            case "*": atom.min = 0; atom.max = Int.max; s = s.dropFirst()
            case "+": atom.max = Int.max; s = s.dropFirst()
            case "?": atom.min = 0; s = s.dropFirst()
            case "{":
                guard let close = s.firstIndex(of: "}") else { return nil }
                let body = String(String.UnicodeScalarView(s[s.index(after: s.startIndex)..<close]))
                let parts = body.split(separator: ",", omittingEmptySubsequences: false)
                guard (1...2).contains(parts.count), let low = Int(parts[0]) else { return nil }
                atom.min = low
                atom.max = parts.count == 1 ? low : (parts[1].isEmpty ? Int.max : Int(parts[1]) ?? -1)
                guard atom.max >= atom.min else { return nil }
                s = s[s.index(after: close)...]
            default: break
            }
            // Lazy and possessive forms are not plain.
            if atom.min != 1 || atom.max != 1, s.first == "?" || s.first == "+" { return nil }
            atoms.append(atom)
        }
        self.atoms = atoms
        anchoredEnd = end
    }

    private static func readEscape(_ s: inout ArraySlice<Unicode.Scalar>) -> CharSet? {
        guard let e = s.popFirst() else { return nil }
        var set = CharSet()
        switch e {
        case "d", "D": set.ranges = digit; set.negated = e == "D"
        case "w", "W": set.ranges = word; set.negated = e == "W"
        case "s", "S": set.ranges = space; set.negated = e == "S"
        case "t": set.ranges = [9...9]
        case "n": set.ranges = [10...10]
        case "r": set.ranges = [13...13]
        case "u":
            guard s.count >= 4, s.prefix(4).allSatisfy({ $0.isASCII && hexValue(UInt8($0.value)) != nil }) else { return nil }
            let value = s.prefix(4).reduce(UInt32(0)) { $0 << 4 | UInt32(hexValue(UInt8($1.value))!) }
            guard !(0xD800...0xDFFF).contains(value) else { return nil }
            s = s.dropFirst(4)
            set.ranges = [value...value]
        default:
            // Only escaped punctuation is a plain literal (letters and digits mean other things).
            guard e.isASCII, !e.properties.isAlphabetic, !("0"..."9").contains(e) else { return nil }
            set.ranges = [e.value...e.value]
        }
        return set
    }

    private static func readClass(_ s: inout ArraySlice<Unicode.Scalar>) -> CharSet? {
        var set = CharSet()
        if s.first == "^" {
            set.negated = true
            s = s.dropFirst()
        }
        var first = true
        while let c = s.popFirst() {
            if c == "]" {
                return first ? nil : set
            }
            first = false
            var low: UInt32
            if c == "\\" {
                guard let escaped = readEscape(&s), !escaped.negated else { return nil }
                if escaped.ranges.count != 1 || escaped.ranges[0].count != 1 {
                    set.ranges += escaped.ranges
                    continue
                }
                low = escaped.ranges[0].lowerBound
            } else {
                guard c != "[" else { return nil }
                low = c.value
            }
            if s.first == "-", s.dropFirst().first != "]", let next = s.dropFirst().first {
                s = s.dropFirst(2)
                var high = next.value
                if next == "\\" {
                    guard let escaped = readEscape(&s), !escaped.negated, escaped.ranges.count == 1, escaped.ranges[0].count == 1 else { return nil }
                    high = escaped.ranges[0].lowerBound
                }
                guard low <= high else { return nil }
                set.ranges.append(low...high)
            } else {
                set.ranges.append(low...low)
            }
        }
        return nil
    }

    /// Whether the pattern matches somewhere in `text`.
    func matches(_ text: String) -> Bool {
        // ASCII text (the usual case) is matched on its UTF-8 bytes without copying.
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return search(bytes)
        }
        if let result = ascii ?? nil { return result }
        let scalars = text.unicodeScalars.map(\.value)
        return scalars.withUnsafeBufferPointer { search($0) }
    }

    private func search<T: UnsignedInteger>(_ text: UnsafeBufferPointer<T>) -> Bool {
        if anchoredStart { return match(0, text, 0) }
        for start in 0...text.count where match(0, text, start) { return true }
        return false
    }

    private func match<T: UnsignedInteger>(_ index: Int, _ text: UnsafeBufferPointer<T>, _ position: Int) -> Bool {
        if index == atoms.count { return !anchoredEnd || position == text.count }
        let atom = atoms[index]
        var n = 0
        while n < atom.max, position + n < text.count, atom.set.contains(UInt32(text[position + n])) { n += 1 }
        if n < atom.min { return false }
        // The last atom: only the longest run can reach the end.
        if index == atoms.count - 1 { return !anchoredEnd || position + n == text.count }
        while n >= atom.min {
            if match(index + 1, text, position + n) { return true }
            n -= 1
        }
        return false
    }
}
