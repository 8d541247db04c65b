import CLibXML2

#if canImport(Glibc)
    import Glibc
#endif

/// XPath 1.0 on XML and HTML documents, through Debian's libxml2.
///
/// Parsing is locked down: no network (`XML_PARSE_NONET`), no external DTD or entity is ever
/// loaded (an entity loader that refuses everything), entities are not substituted, and a
/// document that declares entities of its own is refused before any query (XXE and "billion
/// laughs" expansion).

/// A syntax error in an XPath expression: what, and where (a 0-based offset in the expression).
public struct XPathSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    public var description: String { "\(message) at offset \(offset)" }
}

/// Why a body could not be queried, or a query failed on it.
public struct XMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// What an XPath expression evaluates to: a string, a number, a boolean, or a node-set
/// (each node as its string value).
public enum XPathValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case boolean(Bool)
    case nodes([String])
}

/// libxml2 is set up once per process: initialised, and refusing every external entity or DTD.
private let setUp: Void = {
    xmlInitParser()
    xmlSetExternalEntityLoader { _, _, _ in nil }
    // Reports libxml2 makes through its generic handler (`xmlXPathCompOpEval: function foo not
    // found`) went to standard error raw; the callers read errors from the context instead.
    // The handler is per thread: the default for threads to come, and this one's.
    if let devNull = fopen("/dev/null", "w") {
        xmlThrDefSetGenericErrorFunc(devNull, nil)
        xmlSetGenericErrorFunc(devNull, nil)
    }
}()

/// Ignores an error report (the caller reads the error from the context instead).
private let ignoreError: xmlStructuredErrorFunc = { _, _ in }

public enum XPath {
    /// Checks the syntax of `expression` without a document; nil when it compiles.
    public static func syntaxError(in expression: String) -> XPathSyntaxError? {
        _ = setUp
        guard let context = xmlXPathNewContext(nil) else { return XPathSyntaxError(message: "out of memory", offset: 0) }
        defer { xmlXPathFreeContext(context) }
        context.pointee.error = ignoreError
        let compiled = expression.withCString { xmlXPathCtxtCompile(context, UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
        if let compiled {
            defer { xmlXPathFreeCompExpr(compiled) }
            return unknownName(in: compiled, context)
        }
        return XPathSyntaxError(message: lastMessage(context) ?? "invalid XPath expression", offset: Int(context.pointee.lastError.int1))
    }

    /// A function or a variable that no document can make known (`foo(//t)`, `$x`), found by
    /// evaluating the expression on an empty document: libxml2 looks names up only then (so a
    /// name inside a predicate that selects nothing there is found only at run time).
    private static func unknownName(in compiled: xmlXPathCompExprPtr, _ context: xmlXPathContextPtr) -> XPathSyntaxError? {
        let empty = "<x/>"
        guard let doc = empty.withCString({ xmlReadMemory($0, Int32(empty.utf8.count), "empty.xml", nil, 0) }) else { return nil }
        defer { xmlFreeDoc(doc) }
        context.pointee.doc = doc
        context.pointee.node = xmlDocGetRootElement(doc)
        defer {
            context.pointee.doc = nil
            context.pointee.node = nil
        }
        xmlResetError(&context.pointee.lastError)
        if let result = xmlXPathCompiledEval(compiled, context) {
            xmlXPathFreeObject(result)
            return nil
        }
        switch context.pointee.lastError.code {
        case Int32(XML_XPATH_UNKNOWN_FUNC_ERROR.rawValue):
            return XPathSyntaxError(message: "it calls a function XPath 1.0 does not have", offset: 0)
        case Int32(XML_XPATH_UNDEF_VARIABLE_ERROR.rawValue):
            return XPathSyntaxError(message: "it uses a variable, and XPath checks have none", offset: 0)
        default:
            return nil
        }
    }

    static func lastMessage(_ context: xmlXPathContextPtr) -> String? {
        guard let m = context.pointee.lastError.message else { return nil }
        let text = String(cString: m).trimmingTrailingNewlines()
        return text.isEmpty ? nil : text.prefix(1).lowercased() + text.dropFirst()
    }
}

/// A parsed XML or HTML document, freed with the value.
public final class MarkupDocument: @unchecked Sendable {
    // Only read under `evaluate`, which libxml2 allows from one thread at a time per document:
    // callers evaluate a document from one task.
    private let doc: xmlDocPtr

    /// Parses `bytes` as HTML (libxml2's HTML parser, forgiving) or as XML (strict).
    /// `encoding` (a `Content-Type` charset) overrides what an XML document declares, as
    /// RFC 7303 §3 says the header's charset does.
    public init(bytes: [UInt8], html: Bool, encoding: String? = nil) throws(XMLError) {
        _ = setUp
        xmlSetStructuredErrorFunc(nil, ignoreError)
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        let parsed: xmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                let count = Int32(clamping: chars.count)
                if html {
                    let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue)
                    return htmlReadMemory(chars.baseAddress, count, "response.html", nil, options)
                }
                let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue)
                guard let encoding else { return xmlReadMemory(chars.baseAddress, count, "response.xml", nil, options) }
                return encoding.withCString { xmlReadMemory(chars.baseAddress, count, "response.xml", $0, options) }
            }
        }
        guard let parsed else {
            let why = xmlGetLastError().flatMap { $0.pointee.message.map { String(cString: $0).trimmingTrailingNewlines() } }
            xmlResetLastError()
            throw XMLError(message: "a body that is not well-formed XML" + (why.map { " (\($0))" } ?? ""))
        }
        if let subset = parsed.pointee.intSubset, subset.pointee.entities != nil || subset.pointee.pentities != nil {
            xmlFreeDoc(parsed)
            throw XMLError(message: "an XML body that declares entities (refused: entity expansion and external entities are not evaluated)")
        }
        doc = parsed
    }

    deinit { xmlFreeDoc(doc) }

    /// Evaluates `expression` with `namespaces` (prefix → URI) registered.
    public func evaluate(_ expression: String, namespaces: [(prefix: String, uri: String)] = []) throws(XMLError) -> XPathValue {
        guard let context = xmlXPathNewContext(doc) else { throw XMLError(message: "out of memory") }
        defer { xmlXPathFreeContext(context) }
        context.pointee.error = ignoreError
        for (prefix, uri) in namespaces {
            _ = prefix.withCString { p in
                uri.withCString { u in xmlXPathRegisterNs(context, xmlString(p), xmlString(u)) }
            }
        }
        let result = expression.withCString { xmlXPathEvalExpression(xmlString($0), context) }
        guard let result else {
            throw XMLError(message: "XPath '\(expression)' failed: \(XPath.lastMessage(context) ?? "cannot evaluate")")
        }
        defer { xmlXPathFreeObject(result) }
        switch result.pointee.type {
        case XPATH_NODESET:
            var values: [String] = []
            if let set = result.pointee.nodesetval, let tab = set.pointee.nodeTab {
                for i in 0..<Int(set.pointee.nodeNr) {
                    guard let node = tab[i] else { continue }
                    values.append(take(xmlXPathCastNodeToString(node)))
                }
            }
            return .nodes(values)
        case XPATH_BOOLEAN:
            return .boolean(result.pointee.boolval != 0)
        case XPATH_NUMBER:
            return .number(result.pointee.floatval)
        case XPATH_STRING:
            return .string(result.pointee.stringval.map { String(cString: $0) } ?? "")
        default:
            throw XMLError(message: "XPath '\(expression)' gave a value Vigil cannot compare")
        }
    }

    private func take(_ s: UnsafeMutablePointer<xmlChar>?) -> String {
        guard let s else { return "" }
        defer { free(s) }
        return String(cString: s)
    }
}

private func xmlString(_ p: UnsafePointer<CChar>) -> UnsafePointer<xmlChar> {
    UnsafeRawPointer(p).assumingMemoryBound(to: xmlChar.self)
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last.isNewline || last == " " { s = s.dropLast() }
        return String(s)
    }
}
