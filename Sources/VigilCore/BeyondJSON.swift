import VigilYAML

/// A cookie's part that checks and captures read: its value (the default) or one attribute.
public enum CookieAttribute: String, Sendable, Hashable, CaseIterable {
    case value, domain, path, expires, maxAge, secure, httpOnly, sameSite
}

/// `session` or `session.secure`: a cookie by name, and which part of it.
public struct CookieSelector: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var attribute: CookieAttribute

    public init(name: String, attribute: CookieAttribute = .value) {
        self.name = name
        self.attribute = attribute
    }

    /// `name` or `name.attribute` (an attribute name after the last dot; otherwise the whole
    /// text is the cookie's name, dots included).
    public init(parsing text: String) {
        if let dot = text.lastIndex(of: "."), let a = CookieAttribute(rawValue: String(text[text.index(after: dot)...])), dot != text.startIndex {
            self.init(name: String(text[..<dot]), attribute: a)
        } else {
            self.init(name: text)
        }
    }

    public var description: String { attribute == .value ? name : "\(name).\(attribute.rawValue)" }
}

/// One `expect.cookies` entry: a cookie the response set, and what it must be.
public struct CookieExpectation: Sendable {
    public var selector: CookieSelector
    public var matcher: Matcher
    public var mark: Mark

    public init(selector: CookieSelector, matcher: Matcher, mark: Mark) {
        self.selector = selector
        self.matcher = matcher
        self.mark = mark
    }
}

/// One `expect.xpath` entry: an XPath 1.0 expression (syntax checked at load) and its matcher.
public struct XPathExpectation: Sendable {
    public var expression: String
    public var matcher: Matcher
    public var mark: Mark

    public init(expression: String, matcher: Matcher, mark: Mark) {
        self.expression = expression
        self.matcher = matcher
        self.mark = mark
    }
}

/// One part of a `multipart:` body: a text field, or a file read from inside the collection's root.
public struct MultipartPart: Sendable, Hashable {
    public enum Content: Sendable, Hashable {
        case text(Template)
        case file(Template)
    }

    public var name: String
    public var content: Content
    /// The part's `Content-Type` (a file's default: `application/octet-stream`; text: none).
    public var contentType: Template?
    /// The `filename` sent for a file (default: the file's last path component).
    public var filename: Template?
    public var mark: Mark

    /// The largest file a `multipart:` body sends (8 GiB): it is streamed from disk, not held
    /// in memory.
    public static let maxFileBytes = 1 << 33

    public init(name: String, content: Content, contentType: Template? = nil, filename: Template? = nil, mark: Mark) {
        self.name = name
        self.content = content
        self.contentType = contentType
        self.filename = filename
        self.mark = mark
    }

    /// Every template of the part.
    public var templates: [Template] {
        var out: [Template] = []
        switch content {
        case .text(let t), .file(let t): out.append(t)
        }
        if let contentType { out.append(contentType) }
        if let filename { out.append(filename) }
        return out
    }
}
