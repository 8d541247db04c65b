import Foundation

/// Compiles regular expressions with Foundation's ICU engine.
enum NSRegularExpressionBox {
    static func compile(_ pattern: String) throws -> NSRegularExpression {
        try NSRegularExpression(pattern: pattern)
    }
}
