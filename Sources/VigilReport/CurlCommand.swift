import VigilCore

/// A request as a `curl` command a colleague can paste into a shell, for docs by example.
/// Built from what reports keep (already redacted): a masked secret becomes a shell variable
/// (`Authorization: $AUTHORIZATION`, `$SECRET` elsewhere) and the server's address `$BASE_URL`,
/// so no secret is ever written out and the command works against any server; a comment says
/// which variables to set.
enum CurlCommand {
    /// The command, one option per line; nil for WebSocket steps. `baseURLs` are written `$BASE_URL`.
    static func text(method: String, url: String, headers: [(name: String, value: String)], body: BodyRecord?, baseURLs: [String] = []) -> String? {
        guard method != "WS", method != "RECEIVE" else { return nil }
        let base = baseURLs.filter { !$0.isEmpty }.sorted { $0.count > $1.count }.map { (literal: $0, variable: "BASE_URL") }
        var used: [String] = []
        func shell(_ text: String, secret: String) -> String {
            let (quoted, variables) = quote(text, substituting: base + [(Redactor.mask, secret)])
            for v in variables where !used.contains(v) { used.append(v) }
            return quoted
        }
        var parts: [String] = []
        var line = "curl"
        if method != "GET" || body != nil { line += method == "HEAD" ? " --head" : " -X \(method)" }
        parts.append(line + " " + shell(url, secret: "SECRET"))
        for h in headers {
            let variable =
                h.name.lowercased() == "authorization"
                ? "AUTHORIZATION" : h.name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.map(String.init).joined()
            parts.append("  -H " + shell("\(h.name): \(h.value)", secret: variable))
        }
        switch body {
        case .json(let v)?: parts.append("  --data-raw " + shell(v.serialized(), secret: "SECRET"))
        case .text(let t)?: parts.append("  --data-raw " + shell(t, secret: "SECRET"))
        case .file(let name, _)? where name.hasPrefix("multipart/"):
            // Its parts are in the request as written: give each to curl as -F name=value or -F name=@file.
            parts.append("  --data-binary @body.bin  # \(name): see the request as written, one -F per part")
        case .file(let name, _)?: parts.append("  --data-binary " + shell("@" + name, secret: "SECRET"))
        case .binary(let n)?, .omitted(let n)?: parts.append("  --data-binary @body.bin  # \(n) bytes, not shown")
        case nil: break
        }
        let command = parts.joined(separator: " \\\n")
        return used.isEmpty ? command : "# set first: \(used.map { "\($0)=…" }.joined(separator: " "))\n" + command
    }

    /// `text` for a POSIX shell: single-quoted, each literal of `substituting` spliced in as
    /// `"$VARIABLE"`; also the variables used, in order.
    static func quote(_ text: String, substituting: [(literal: String, variable: String)]) -> (String, [String]) {
        asciiQuote(text, substituting: substituting) ?? characterQuote(text, substituting: substituting)
    }

    /// ``quote(_:substituting:)`` for any text, searched character by character.
    static func characterQuote(_ text: String, substituting: [(literal: String, variable: String)]) -> (String, [String]) {
        var out = ""
        var used: [String] = []
        var rest = Substring(text)
        func literal(_ s: Substring) {
            if !s.isEmpty { out += "'" + String(s).replacing("'", with: #"'\''"#) + "'" }
        }
        while !rest.isEmpty {
            let hits = substituting.compactMap { s in rest.firstRange(of: s.literal).map { (range: $0, variable: s.variable) } }
            guard let first = hits.min(by: { $0.range.lowerBound < $1.range.lowerBound }) else { break }
            literal(rest[..<first.range.lowerBound])
            out += "\"$\(first.variable)\""
            if !used.contains(first.variable) { used.append(first.variable) }
            rest = rest[first.range.upperBound...]
        }
        literal(rest)
        return (out.isEmpty ? "''" : out, used)
    }

    /// ``quote(_:substituting:)`` for ASCII text without a CR, where every byte is a character:
    /// searched byte by byte (the character-wise search was most of a docs page's curl command).
    /// nil for other text.
    static func asciiQuote(_ text: String, substituting: [(literal: String, variable: String)]) -> (String, [String])? {
        var text = text
        return text.withUTF8 { bytes -> (String, [String])? in
            guard !bytes.contains(where: { $0 >= 0x80 || $0 == 0x0D }) else { return nil }
            // A literal that is not ASCII cannot be in ASCII text.
            let literals = substituting.compactMap { s -> (bytes: [UInt8], variable: String)? in
                let b = Array(s.literal.utf8)
                return b.isEmpty || b.contains(where: { $0 >= 0x80 }) ? nil : (b, s.variable)
            }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            var used: [String] = []
            func literal(_ from: Int, _ to: Int) {
                guard from < to else { return }
                out.append(0x27)
                for b in bytes[from..<to] {
                    if b == 0x27 { out += Array(#"'\''"#.utf8) } else { out.append(b) }
                }
                out.append(0x27)
            }
            func find(_ needle: [UInt8], from start: Int) -> Int? {
                guard needle.count <= bytes.count - start else { return nil }
                var i = start
                while i <= bytes.count - needle.count {
                    if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
                    i += 1
                }
                return nil
            }
            var position = 0
            while position < bytes.count {
                var first: (start: Int, length: Int, variable: String)?
                for l in literals {
                    if let at = find(l.bytes, from: position), at < (first?.start ?? .max) { first = (at, l.bytes.count, l.variable) }
                }
                guard let first else { break }
                literal(position, first.start)
                out += Array("\"$\(first.variable)\"".utf8)
                if !used.contains(first.variable) { used.append(first.variable) }
                position = first.start + first.length
            }
            literal(position, bytes.count)
            return (out.isEmpty ? "''" : String(decoding: out, as: UTF8.self), used)
        }
    }
}
