import VigilYAML

/// Which values of a response header a check or a capture reads. A header may come several
/// times (`Set-Cookie`); its values keep the order they were received in.
///
/// Written after the header's name, in brackets (header names cannot hold brackets):
/// `Set-Cookie` is the first value, `Set-Cookie[last]` the last, `Set-Cookie[1]` the second
/// (`[-1]` the last), `Set-Cookie[any]` any one of them (a check passes when one value
/// satisfies it; a capture with `regex` takes the first value that matches), and
/// `Set-Cookie[*]` all of them as a list.
public struct HeaderSelector: Sendable, Hashable, CustomStringConvertible {
    public enum Which: Sendable, Hashable {
        case first, last, any, all
        /// From 0; negative counts from the end.
        case index(Int)
    }

    public var name: String
    public var which: Which

    public init(name: String, which: Which = .first) {
        self.name = name
        self.which = which
    }

    /// `Name`, `Name[last]`, `Name[any]`, `Name[*]`, `Name[2]`, `Name[-1]`; nil when the
    /// brackets hold anything else or the name is empty.
    public init?(parsing text: String) {
        guard let open = text.firstIndex(of: "[") else {
            guard Self.isToken(text) else { return nil }
            self.init(name: text)
            return
        }
        let name = String(text[..<open])
        guard Self.isToken(name), text.hasSuffix("]"), text.index(after: open) < text.index(before: text.endIndex) else { return nil }
        let inside = text[text.index(after: open)..<text.index(before: text.endIndex)]
        switch inside {
        case "first": self.init(name: name, which: .first)
        case "last": self.init(name: name, which: .last)
        case "any": self.init(name: name, which: .any)
        case "*": self.init(name: name, which: .all)
        default:
            guard let i = Int(inside) else { return nil }
            self.init(name: name, which: .index(i))
        }
    }

    /// What can be written in the brackets, for error messages.
    public static let forms = "first, last, any, * or a position such as 0 or -1"

    /// An HTTP field name: one or more token characters (RFC 9110 §5.1), no spaces or brackets.
    static func isToken(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || "!#$%&'*+-.^_`|~".utf8.contains(b)
            }
    }

    public var description: String {
        switch which {
        case .first: name
        case .last: "\(name)[last]"
        case .any: "\(name)[any]"
        case .all: "\(name)[*]"
        case .index(let i): "\(name)[\(i)]"
        }
    }

    /// The one value selected from `values` (nil for `any` and `*`, which read them all, or when
    /// there is no such value).
    public func single(of values: [String]) -> String? {
        switch which {
        case .first: values.first
        case .last: values.last
        case .index(let i): i >= 0 ? (i < values.count ? values[i] : nil) : (i >= -values.count ? values[values.count + i] : nil)
        case .any, .all: nil
        }
    }
}

/// One `expect: headers:` entry.
public struct HeaderExpectation: Sendable {
    public var selector: HeaderSelector
    public var matcher: Matcher
    public var mark: Mark

    /// As written: `Set-Cookie[any]`.
    public var name: String { selector.description }

    public init(selector: HeaderSelector, matcher: Matcher, mark: Mark) {
        self.selector = selector
        self.matcher = matcher
        self.mark = mark
    }
}
