import VigilXML
import VigilYAML

extension NodeDecoder {
    /// `text:`, `cookies:` and `xpath:` of an `expect:` block.
    func moreExpectations(_ keys: KeyedPairs, into e: inout Expectations) {
        if let pair = keys["text"] {
            e.text = matcher(pair.value)
            e.textMark = pair.key.mark
        }
        if let n = keys["cookies"]?.value {
            if let pairs = n.mapping {
                for pair in pairs {
                    guard let name = scalarText(pair.key, "a cookie name"), let m = matcher(pair.value) else { continue }
                    guard let selector = cookieSelector(name, at: pair.key.mark) else { continue }
                    e.cookies.append(CookieExpectation(selector: selector, matcher: m, mark: pair.key.mark))
                }
            } else {
                log.error("expect cookies must be a mapping of cookie name (or name.attribute) to expected value", at: n.mark)
            }
        }
        if let n = keys["xpath"]?.value {
            if let pairs = n.mapping {
                for pair in pairs {
                    guard let s = pair.key.scalar, let expression = xpath(s, at: pair.key.mark), let m = matcher(pair.value) else {
                        if pair.key.scalar == nil { log.error("an XPath expression must be text, found \(pair.key.kindName)", at: pair.key.mark) }
                        continue
                    }
                    e.xpath.append(XPathExpectation(expression: expression, matcher: m, mark: pair.key.mark))
                }
            } else {
                log.error("expect xpath must be a mapping of XPath expression to expected value", at: n.mark)
            }
        }
    }

    /// `session`, `session.secure`: a cookie name (an HTTP token) and an optional attribute.
    func cookieSelector(_ text: String, at mark: Mark) -> CookieSelector? {
        let selector = CookieSelector(parsing: text)
        guard !selector.name.isEmpty, HeaderSelector.isToken(selector.name) else {
            log.error(
                "'\(text)' is not a cookie name (letters, digits and !#$%&'*+-.^_`|~), optionally followed by .\(CookieAttribute.allCases.map(\.rawValue).joined(separator: ", ."))",
                at: mark)
            return nil
        }
        return selector
    }

    /// An XPath 1.0 expression, its syntax checked now (the error at its place in the file).
    func xpath(_ s: YAMLScalar, at mark: Mark) -> String? {
        let text = s.text
        if let error = XPath.syntaxError(in: text) {
            let scalars = String(decoding: text.utf8.prefix(error.offset), as: UTF8.self).unicodeScalars.count
            log.error("invalid XPath '\(text)': \(error.message)", at: position(of: scalars, in: s, at: mark))
            return nil
        }
        return text
    }

    /// `namespaces: { soap: "http://…" }`: prefix → URI, for XPath.
    func namespaces(_ node: YAMLNode) -> [(prefix: String, uri: String)] {
        guard let pairs = node.mapping else {
            log.error("namespaces must be a mapping of prefix to namespace URI", at: node.mark)
            return []
        }
        return pairs.compactMap { pair in
            guard let prefix = scalarText(pair.key, "a namespace prefix"), let uri = string(pair.value, "namespace '\(prefix)'") else { return nil }
            guard Template.isIdentifier(prefix, allowDots: false), prefix.first?.isLetter == true || prefix.first == "_" else {
                log.error("'\(prefix)' is not a namespace prefix (an XML name without ':')", at: pair.key.mark)
                return nil
            }
            return (prefix, uri)
        }
    }

    static let multipartFileKeys = ["file", "value", "contentType", "filename"]

    /// `multipart: { title: "{{name}}", upload: { file: data/clip.bin, contentType: …, filename: … } }`.
    func multipart(_ node: YAMLNode) -> [MultipartPart]? {
        guard let pairs = node.mapping else {
            log.error("multipart must be a mapping of field name to a value, or to { file: path, contentType: …, filename: … }", at: node.mark)
            return nil
        }
        var parts: [MultipartPart] = []
        for pair in pairs {
            guard let name = scalarText(pair.key, "a multipart field name") else { continue }
            if HeaderText.breaksALine(name) || name.contains("\"") {
                log.error("multipart field name '\(name)' holds a quote or a line break", at: pair.key.mark)
                continue
            }
            if pair.value.scalar != nil {
                if let t = template(pair.value, "multipart field '\(name)'") {
                    parts.append(MultipartPart(name: name, content: .text(t), mark: pair.value.mark))
                }
                continue
            }
            guard let keys = mapping(pair.value, "multipart field '\(name)'", allowed: Self.multipartFileKeys) else { continue }
            let contentType = keys["contentType"].flatMap { template($0.value, "contentType") }
            let filename = keys["filename"].flatMap { template($0.value, "filename") }
            switch (keys["file"], keys["value"]) {
            case (let file?, nil):
                if let t = template(file.value, "file") {
                    parts.append(MultipartPart(name: name, content: .file(t), contentType: contentType, filename: filename, mark: file.value.mark))
                }
            case (nil, let value?):
                if filename != nil { log.error("filename goes with file:, not with value:", at: keys["filename"]!.key.mark) }
                if let t = template(value.value, "value") {
                    parts.append(MultipartPart(name: name, content: .text(t), contentType: contentType, mark: value.value.mark))
                }
            default:
                log.error("multipart field '\(name)' takes file: (a path) or value: (text), one of them", at: pair.value.mark)
            }
        }
        return parts
    }
}
