import VigilJSON
import VigilYAML

extension CollectionLoader {
    static func captures(_ node: YAMLNode, _ d: NodeDecoder) -> [Capture] {
        guard let pairs = node.mapping else {
            d.log.error(
                "capture must be a mapping of variable name to JSONPath (or { header: … }, { status: true }, { text: true }, { cookie: … }, { xpath: … })",
                at: node.mark)
            return []
        }
        var out: [Capture] = []
        for pair in pairs {
            guard let name = d.scalarText(pair.key, "a variable name") else { continue }
            guard Template.isIdentifier(name, allowDots: true) else {
                d.log.error("'\(name)' is not a variable name (letters, digits, '_', '-', '.')", at: pair.key.mark)
                continue
            }
            if let s = pair.value.scalar {
                if let path = d.jsonPath(s, at: pair.value.mark) {
                    out.append(Capture(name: name, source: .body(path, all: false, first: false), mark: pair.key.mark))
                }
                continue
            }
            guard
                let keys = d.mapping(
                    pair.value, "capture '\(name)'",
                    allowed: ["path", "all", "first", "optional", "override", "header", "status", "text", "cookie", "xpath", "regex", "message"])
            else {
                continue
            }
            var regex: String?
            if let r = keys["regex"]?.value, let pattern = d.string(r, "regex") {
                if Matcher.Operator.isValidRegex(pattern) { regex = pattern } else { d.log.error("invalid regular expression: \(pattern)", at: r.mark) }
            }
            let optional = keys["optional"].flatMap { d.bool($0.value, "optional") } ?? false
            let overrides = keys["override"].flatMap { d.bool($0.value, "override") } ?? false
            let message = keys["message"].flatMap { d.int($0.value, "message") }
            let sources = ["path", "header", "status", "text", "cookie", "xpath"].filter { keys[$0] != nil }
            guard sources.count == 1 else {
                d.log.error("capture '\(name)' takes one of path, header, status, text, cookie or xpath", at: pair.value.mark)
                continue
            }
            switch sources[0] {
            case "path":
                let all = keys["all"].flatMap { d.bool($0.value, "all") } ?? false
                let first = keys["first"].flatMap { d.bool($0.value, "first") } ?? false
                if all && first { d.log.error("capture '\(name)' takes all or first, not both", at: keys["first"]!.key.mark) }
                if let p = d.jsonPath(keys["path"]!.value, "path") {
                    var c = Capture(
                        name: name, source: .body(p, all: all, first: first), regex: regex, optional: optional, overrides: overrides, mark: pair.key.mark)
                    c.message = message
                    out.append(c)
                }
            case "header":
                if let text = d.scalarText(keys["header"]!.value, "header"), let h = d.headerSelector(text, at: keys["header"]!.value.mark) {
                    out.append(Capture(name: name, source: .header(h), regex: regex, optional: optional, overrides: overrides, mark: pair.key.mark))
                }
            case "text":
                if let wanted = d.bool(keys["text"]!.value, "text") {
                    if wanted {
                        out.append(Capture(name: name, source: .text, regex: regex, optional: optional, overrides: overrides, mark: pair.key.mark))
                    } else {
                        d.log.error("capture '\(name)' with text: false captures nothing; write text: true", at: keys["text"]!.value.mark)
                    }
                }
            case "cookie":
                let node = keys["cookie"]!.value
                if let text = d.scalarText(node, "cookie"), let selector = d.cookieSelector(text, at: node.mark) {
                    out.append(Capture(name: name, source: .cookie(selector), regex: regex, optional: optional, overrides: overrides, mark: pair.key.mark))
                }
            case "xpath":
                let node = keys["xpath"]!.value
                if let s = node.scalar {
                    if let expression = d.xpath(s, at: node.mark) {
                        out.append(
                            Capture(name: name, source: .xpath(expression), regex: regex, optional: optional, overrides: overrides, mark: pair.key.mark))
                    }
                } else {
                    d.log.error("xpath must be an XPath expression, found \(node.kindName)", at: node.mark)
                }
            default:
                if let wanted = d.bool(keys["status"]!.value, "status") {
                    if wanted {
                        out.append(Capture(name: name, source: .status, regex: regex, optional: optional, overrides: overrides, mark: pair.key.mark))
                    } else {
                        d.log.error("capture '\(name)' with status: false captures nothing; write status: true", at: keys["status"]!.value.mark)
                    }
                }
            }
        }
        return out
    }
}
