#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore
import VigilJSON
import VigilXML

/// Checks and captures on what is not JSON: the body as text, XPath on XML and HTML, cookies.
extension ResponseCheck {
    /// Why a capture took nothing: what it wanted, and what was there.
    struct CaptureFailure: Error {
        var expected: String
        var actual: String
    }

    func moreChecks(of e: Expectations, into out: inout [CheckResult]) {
        if let m = e.text {
            switch text {
            case .success(let s): check(m, .string(s), .text, mark: e.textMark, into: &out)
            case .failure(let error):
                out.append(CheckResult(.text, mark: e.textMark, expected: m.summary, actual: error.message, outcome: .failed))
            }
        }
        for c in e.cookies {
            let kind = CheckResult.Kind.cookie(c.selector.description)
            check(c.matcher, cookie(named: c.selector.name)?.value(of: c.selector.attribute), kind, mark: c.mark, into: &out)
        }
        for x in e.xpath {
            switch xpathValue(x.expression) {
            case .success(let v): check(x.matcher, v, .xpath(x.expression), mark: x.mark, into: &out)
            case .failure(let error):
                out.append(CheckResult(.xpath(x.expression), mark: x.mark, expected: x.matcher.summary, actual: error.message, outcome: .failed))
            }
        }
    }

    /// The value a `text`, `cookie` or `xpath` capture takes; nil: nothing, and the capture is optional.
    func captureValue(_ c: Capture) -> Result<JSONValue?, CaptureFailure> {
        switch c.source {
        case .text:
            switch text {
            case .success(let s): return .success(.string(s))
            case .failure(let e): return .failure(CaptureFailure(expected: "the body as text", actual: e.message))
            }
        case .cookie(let selector):
            guard let cookie = cookie(named: selector.name) else {
                if c.optional { return .success(nil) }
                let names = setCookies.compactMap { SetCookie(parsing: $0, now: Date())?.name }
                let set = names.isEmpty ? "the response set no cookie" : "cookies set: \(names.joined(separator: ", "))"
                return .failure(CaptureFailure(expected: "cookie \(selector.name)", actual: set))
            }
            guard let v = cookie.value(of: selector.attribute) else {
                if c.optional { return .success(nil) }
                return .failure(CaptureFailure(expected: "cookie \(selector)", actual: "cookie \(selector.name) has no \(selector.attribute.rawValue)"))
            }
            return .success(v)
        case .xpath(let expression):
            switch xpathValue(expression) {
            case .failure(let e): return .failure(CaptureFailure(expected: "one value at xpath \(expression)", actual: e.message))
            case .success(.array(let nodes)):
                if nodes.count == 1 { return .success(nodes[0]) }
                if nodes.isEmpty, c.optional { return .success(nil) }
                let what = nodes.isEmpty ? "no node" : "\(nodes.count) nodes (select one, e.g. (\(expression))[1], or use string(…))"
                return .failure(CaptureFailure(expected: "one node at xpath \(expression)", actual: what))
            case .success(let v): return .success(v)
            }
        default:
            return .success(nil)
        }
    }

    /// The last cookie of that name the exchange set (a later `Set-Cookie` replaces an earlier one).
    func cookie(named name: String) -> SetCookie? {
        let now = Date()
        return setCookies.reversed().lazy.compactMap { SetCookie(parsing: $0, now: now) }.first { $0.name == name }
    }

    /// An XPath expression on the body: a string, number or boolean as such, a node-set as the
    /// list of its nodes' string values.
    func xpathValue(_ expression: String) -> Result<JSONValue, XMLError> {
        let doc: MarkupDocument
        switch document {
        case .success(let d): doc = d
        case .failure(let e): return .failure(e)
        }
        do {
            switch try doc.evaluate(expression, namespaces: namespaces) {
            case .string(let s): return .success(.string(s))
            case .boolean(let b): return .success(.bool(b))
            case .number(let n):
                if n.isNaN { return .success(.null) }
                if n.rounded() == n, abs(n) < 9e15 { return .success(.int(Int64(n))) }
                return .success(.double(n))
            case .nodes(let values): return .success(.array(values.map(JSONValue.string)))
            }
        } catch {
            return .failure(error)
        }
    }

    /// HTML by libxml2's HTML parser when the `Content-Type` says html (or, without one, the
    /// body starts like HTML); XML otherwise.
    func parseDocument() -> Result<MarkupDocument, XMLError> {
        if response.body.isEmpty { return .failure(XMLError(message: "an empty body")) }
        let type = response.header("Content-Type")?.lowercased()
        let html: Bool
        if let type {
            html = type.contains("html") && !type.contains("xhtml")
        } else {
            let start = String(decoding: response.body.prefix(64), as: UTF8.self).lowercased().drop { $0.isWhitespace }
            html = start.hasPrefix("<!doctype html") || start.hasPrefix("<html")
        }
        do {
            let charset = html ? nil : BodyText.charset(of: response.header("Content-Type"))
            return .success(try MarkupDocument(bytes: response.body, html: html, encoding: charset))
        } catch {
            return .failure(error)
        }
    }
}
