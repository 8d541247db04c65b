import VigilJSON

/// A JSON number as decimal digits and a power of ten, read from the number's shortest
/// decimal text, so that `multipleOf` is exact for decimals (0.3 is a multiple of 0.1).
struct DecimalNumber: Sendable, Hashable {
    /// Decimal digits of the magnitude, most significant first, without leading zeros (empty for 0).
    var digits: [UInt8]
    /// The value is `digits × 10^exponent`.
    var exponent: Int
    var negative: Bool

    init?(_ value: JSONValue) {
        switch value {
        case .int(let i):
            self.init(text: String(i))
        case .double(let d):
            guard d.isFinite else { return nil }
            self.init(text: "\(d)")
        default: return nil
        }
    }

    /// Parses `-?digits(.digits)?(e[+-]?digits)?`.
    init?(text: String) {
        var digits: [UInt8] = []
        var exponent = 0
        var negative = false
        var afterPoint = false
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        while let byte = bytes.popFirst() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if !(digits.isEmpty && byte == UInt8(ascii: "0")) { digits.append(byte - UInt8(ascii: "0")) }
                if afterPoint { exponent -= 1 }
            case UInt8(ascii: "."): afterPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                guard let e = Int(String(decoding: bytes, as: UTF8.self).replacingOccurrences("+", with: "")) else { return nil }
                exponent += e
                bytes = []
            default: return nil
            }
        }
        // Trailing zeros move into the exponent.
        while digits.last == 0 {
            digits.removeLast()
            exponent += 1
        }
        self.digits = digits
        self.exponent = digits.isEmpty ? 0 : exponent
        self.negative = negative && !digits.isEmpty
    }

    var isPositive: Bool { !negative && !digits.isEmpty }

    /// A positive value as `modulus / scale`, both integers (a power of ten for `scale`), when
    /// both fit `Int64`: 0.5 is 5 / 10, 300 is 300 / 1.
    var integerRatio: (modulus: Int64, scale: Int64)? {
        guard isPositive, digits.count <= 18, (-18...18).contains(exponent) else { return nil }
        var modulus: Int64 = 0
        for digit in digits { modulus = modulus * 10 + Int64(digit) }
        var scale: Int64 = 1
        for _ in 0..<abs(exponent) {
            if exponent > 0 {
                let (product, overflow) = modulus.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                modulus = product
            } else {
                scale *= 10
            }
        }
        return (modulus, scale)
    }

    /// Whether `self` is an integer multiple of `divisor` (> 0), computed exactly.
    func isMultiple(of divisor: DecimalNumber) -> Bool {
        if digits.isEmpty { return true }
        let common = min(exponent, divisor.exponent)
        // Scale both to integers at 10^common: self = digits·10^(exponent-common).
        let selfZeros = exponent - common
        let divisorZeros = divisor.exponent - common
        // The divisor must fit 120 bits to take the exact path.
        guard divisor.digits.count + divisorZeros <= 36, selfZeros + digits.count < 100_000 else { return fallback(divisor) }
        var d: UInt128 = 0
        for digit in divisor.digits { d = d * 10 + UInt128(digit) }
        for _ in 0..<divisorZeros { d *= 10 }
        var remainder: UInt128 = 0
        for digit in digits { remainder = (remainder * 10 + UInt128(digit)) % d }
        if remainder == 0 { return true }
        for _ in 0..<selfZeros {
            remainder = (remainder * 10) % d
            if remainder == 0 { return true }
        }
        return false
    }

    private func fallback(_ divisor: DecimalNumber) -> Bool {
        guard let a = Double("\(negative ? "-" : "")\(digitsText)e\(exponent)"), let b = Double("\(divisor.digitsText)e\(divisor.exponent)") else {
            return false
        }
        let quotient = a / b
        return quotient.isFinite && quotient.rounded(.towardZero) == quotient
    }

    private var digitsText: String { String(decoding: digits.map { $0 + UInt8(ascii: "0") }, as: UTF8.self) }
}

/// Compares two JSON numbers exactly when both are integers, else as doubles.
func compareNumbers(_ a: JSONValue, _ b: JSONValue) -> Int {
    if case .int(let x) = a, case .int(let y) = b { return x < y ? -1 : (x == y ? 0 : 1) }
    let x = a.doubleValue ?? .nan
    let y = b.doubleValue ?? .nan
    return x < y ? -1 : (x == y ? 0 : 1)
}
