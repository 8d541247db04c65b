import VigilRunner

/// The endpoint index of docs by example (`DIR/endpoints.md`): every HTTP request of the run
/// grouped by endpoint, method and path template (`GET /api/rest/v1/cameras/{id}`), each
/// example linked on its page, across collections and environments.
///
/// The template is the run's OpenAPI operation when the request matched one (an environment's
/// `openapi:` or `--openapi`): its path, after the part of the sent path the description's
/// server holds (`/api/rest/v1`). Otherwise it is the path as sent, each segment written with
/// a placeholder in the collection shown as `{name}` (`{{cameraId}}` → `{cameraId}`).
/// Templates that differ only in the names of their placeholders are one endpoint.
enum DocsEndpoints {
    /// One example: where it is and what it is called.
    struct Example {
        var endpoint: String
        var link: String
        var title: String
    }

    /// `METHOD /path/{name}` for a request that was sent over HTTP; nil otherwise.
    static func endpoint(_ r: RequestRecord, baseURLs: [String]) -> String? {
        guard r.request != nil, !["WS", "RECEIVE", "SEND"].contains(r.ref.method) else { return nil }
        let path = self.path(of: r.url, baseURLs: baseURLs)
        let sent = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        for check in r.checks {
            guard case .openAPI(let operation) = check.kind, let space = operation.firstIndex(of: " ") else { continue }
            let opPath = operation[operation.index(after: space)...].split(separator: "/").map(String.init)
            let prefix = sent.dropLast(opPath.count)
            return r.ref.method + " /" + (prefix + opPath).joined(separator: "/")
        }
        // An id written literally in the collection is an `{id}` too.
        var segments = sent.map { DocsValues.uuidEnd(Array($0.utf8), at: 0) == $0.utf8.count ? "{id}" : $0 }
        if let written = r.written?.urlTemplate {
            let template = String(written.prefix { $0 != "?" && $0 != "#" }).split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            for (i, w) in zip(segments.indices.reversed(), template.reversed()) where w.firstRange(of: "{{") != nil {
                segments[i] = placeholders(String(w))
            }
        }
        return r.ref.method + " /" + segments.joined(separator: "/")
    }

    /// `{{ cameraId }}` → `{cameraId}`, `{{$uuid}}` → `{uuid}`, the rest of the segment kept.
    static func placeholders(_ segment: String) -> String {
        var out = ""
        var rest = Substring(segment)
        while let open = rest.firstRange(of: "{{"), let close = rest[open.upperBound...].firstRange(of: "}}") {
            out += rest[..<open.lowerBound]
            let name = rest[open.upperBound..<close.lowerBound].filter { !$0.isWhitespace && $0 != "$" }
            out += "{" + name + "}"
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// The path of `url`: after the base URL (or scheme and host), without query or fragment.
    static func path(of url: String, baseURLs: [String]) -> String {
        var rest = Substring(url)
        if let base = baseURLs.filter({ !$0.isEmpty && url.hasPrefix($0) }).max(by: { $0.count < $1.count }) {
            rest = rest.dropFirst(base.count)
        } else if let scheme = rest.firstRange(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? ""
        }
        return String(rest.prefix { $0 != "?" && $0 != "#" })
    }

    /// An endpoint's key: its template with placeholder names left out.
    static func key(_ endpoint: String) -> String {
        var out = ""
        var inside = false
        for c in endpoint {
            if c == "{" { inside = true; out.append("{") } else if c == "}" { inside = false; out.append("}") } else if !inside { out.append(c) }
        }
        return out
    }

    /// The anchor GitHub (and most renderers) give a heading: lower case, punctuation dropped,
    /// spaces as dashes.
    static func anchor(_ heading: String) -> String {
        String(
            heading.lowercased().compactMap { c -> Character? in
                if c == " " { return "-" }
                return c.isLetter || c.isNumber || c == "-" || c == "_" ? c : nil
            })
    }

    /// The index page: endpoints sorted by path then method, each with its examples in run order.
    static func page(_ examples: [Example], footer: String) -> String {
        var groups: [String: [Example]] = [:]
        var order: [String] = []
        for e in examples {
            let k = key(e.endpoint)
            if groups[k] == nil { order.append(k) }
            groups[k, default: []].append(e)
        }
        func sortKey(_ k: String) -> (String, String) {
            let space = k.firstIndex(of: " ") ?? k.endIndex
            return (String(k[space...]), String(k[..<space]))
        }
        var lines = [
            "# API examples by endpoint", "", "<!-- Generated by Vigil: do not edit by hand, run it again. -->", "",
            "Every request of the examples, by endpoint (method and path template); each links to where it is shown.", "",
        ]
        for k in order.sorted(by: { sortKey($0) < sortKey($1) }) {
            let group = groups[k]!
            // The template of the first example that names its placeholders.
            lines += ["## " + MarkdownText.code(group[0].endpoint), ""]
            lines += group.map { "- [\($0.title)](\($0.link))" }
            lines.append("")
        }
        lines += [footer, ""]
        return lines.joined(separator: "\n")
    }
}
