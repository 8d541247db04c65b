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

    let steps: [Step]
    /// Every step's ranges, one after the other.
    let ranges: [ClosedRange<UInt32>]
    /// The number of code points a match spans when every atom repeats a fixed number of times, else -1.
    let fixedLength: Int
    /// For a fixed-length pattern of ASCII-only sets, the set of each position (ASCII bitmaps).
    let positions: [(UInt64, UInt64)]
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
        var steps: [Step] = []
        var ranges: [ClosedRange<UInt32>] = []
        var fixedLength = 0
        for atom in atoms {
            steps.append(Step(atom, rangeStart: ranges.count))
            ranges += atom.set.ranges
            let (sum, overflow) = fixedLength.addingReportingOverflow(atom.min)
            fixedLength = atom.min == atom.max && fixedLength >= 0 && !overflow ? sum : -1
        }
        self.steps = steps
        self.ranges = ranges
        self.fixedLength = fixedLength
        // A fixed-length pattern of sets that hold only ASCII code points: one set a position.
        if (1...1024).contains(fixedLength),
            steps.allSatisfy({ !$0.negated && ranges[$0.rangeStart..<($0.rangeStart + $0.rangeCount)].allSatisfy { $0.upperBound < 0x80 } })
        {
            positions = steps.flatMap { Array(repeating: $0.ascii, count: $0.min) }
        } else {
            positions = []
        }
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
        if !positions.isEmpty || fixedLength == 0 {
            let quick = text.utf8.withContiguousStorageIfAvailable { bytes in
                positions.withUnsafeBufferPointer { matchPositions(bytes, $0) }
            }
            if let result = quick ?? nil { return result }
        }
        return steps.withUnsafeBufferPointer { steps in
            ranges.withUnsafeBufferPointer { ranges in
                // ASCII text (the usual case) is matched on its UTF-8 bytes without copying.
                let ascii = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
                    guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
                    return search(bytes, steps, ranges)
                }
                if let result = ascii ?? nil { return result }
                let scalars = text.unicodeScalars.map(\.value)
                return scalars.withUnsafeBufferPointer { search($0, steps, ranges) }
            }
        }
    }

    /// Matches a fixed-length pattern of ASCII sets on UTF-8 bytes; `nil` when a byte it looks
    /// at is not ASCII (bytes are code points only while they are).
    private func matchPositions(_ text: UnsafeBufferPointer<UInt8>, _ sets: UnsafeBufferPointer<(UInt64, UInt64)>) -> Bool? {
        let length = sets.count
        guard text.count >= length else {
            // Shorter in bytes is shorter in code points too.
            return false
        }
        func at(_ start: Int) -> Bool? {
            for i in 0..<length {
                let c = text[start &+ i]
                if c >= 0x80 { return nil }
                let set = sets[i]
                let bit = c < 64 ? set.0 & (1 << UInt64(c)) : set.1 & (1 << UInt64(c &- 64))
                if bit == 0 { return false }
            }
            return true
        }
        if anchoredStart && anchoredEnd {
            if text.count != length {
                // More bytes than positions: more code points too, unless some are not ASCII.
                for byte in text where byte >= 0x80 { return nil }
                return false
            }
            return at(0)
        }
        if anchoredStart { return at(0) }
        if anchoredEnd { return at(text.count - length) }
        for byte in text where byte >= 0x80 { return nil }
        for start in 0...(text.count - length) where at(start) == true { return true }
        return false
    }

    private func search<T: UnsignedInteger>(
        _ text: UnsafeBufferPointer<T>, _ steps: UnsafeBufferPointer<Step>, _ ranges: UnsafeBufferPointer<ClosedRange<UInt32>>
    )
        -> Bool
    {
        if fixedLength >= 0 {
            // Every atom repeats a fixed number of times: no backtracking, one pass a start.
            if anchoredStart && anchoredEnd { return text.count == fixedLength && matchFixed(text, 0, steps, ranges) }
            guard text.count >= fixedLength else { return false }
            if anchoredStart { return matchFixed(text, 0, steps, ranges) }
            if anchoredEnd { return matchFixed(text, text.count - fixedLength, steps, ranges) }
            for start in 0...(text.count - fixedLength) where matchFixed(text, start, steps, ranges) { return true }
            return false
        }
        if anchoredStart { return match(0, text, 0, steps, ranges) }
        for start in 0...text.count where match(0, text, start, steps, ranges) { return true }
        return false
    }

    /// Matches atoms of fixed counts from `position` (the text holds enough for them).
    private func matchFixed<T: UnsignedInteger>(
        _ text: UnsafeBufferPointer<T>, _ position: Int, _ steps: UnsafeBufferPointer<Step>, _ ranges: UnsafeBufferPointer<ClosedRange<UInt32>>
    ) -> Bool {
        var position = position
        for step in steps {
            for _ in 0..<step.min {
                guard step.contains(UInt32(text[position]), ranges) else { return false }
                position += 1
            }
        }
        return true
    }

    private func match<T: UnsignedInteger>(
        _ index: Int, _ text: UnsafeBufferPointer<T>, _ position: Int, _ steps: UnsafeBufferPointer<Step>,
        _ ranges: UnsafeBufferPointer<ClosedRange<UInt32>>
    ) -> Bool {
        if index == steps.count { return !anchoredEnd || position == text.count }
        let step = steps[index]
        var n = 0
        while n < step.max, position + n < text.count, step.contains(UInt32(text[position + n]), ranges) { n += 1 }
        if n < step.min { return false }
        // The last atom: only the longest run can reach the end.
        if index == steps.count - 1 { return !anchoredEnd || position + n == text.count }
        while n >= step.min {
            if match(index + 1, text, position + n, steps, ranges) { return true }
            n -= 1
        }
        return false
    }
}

extension SimplePattern {
    /// An atom flattened for matching: plain values only (no reference counting in the loop).
    struct Step: Sendable {
        var ascii: (UInt64, UInt64)
        /// This step's ranges in the pattern's range table, for code points past ASCII.
        var rangeStart: Int
        var rangeCount: Int
        var negated: Bool
        var min: Int
        var max: Int

        init(_ atom: Atom, rangeStart: Int) {
            ascii = atom.set.ascii
            self.rangeStart = rangeStart
            rangeCount = atom.set.ranges.count
            negated = atom.set.negated
            min = atom.min
            max = atom.max
        }

        @inline(__always) func contains(_ c: UInt32, _ ranges: UnsafeBufferPointer<ClosedRange<UInt32>>) -> Bool {
            if c < 64 { return ascii.0 & (1 << UInt64(c)) != 0 }
            if c < 128 { return ascii.1 & (1 << UInt64(c - 64)) != 0 }
            var found = false
            for i in rangeStart..<(rangeStart + rangeCount) where ranges[i].contains(c) {
                found = true
                break
            }
            return found != negated
        }
    }
}
