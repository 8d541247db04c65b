import VigilYAML

extension CollectionLoader {
    /// The vendor's samples write `{taskId}`; in a URL that is never what was meant.
    static func checkSingleBraces(_ url: Template, _ node: YAMLNode, _ d: NodeDecoder) {
        guard let s = node.scalar, hasSingleBrace(url.source) else { return }
        let chars = Array(url.source.unicodeScalars)
        var i = 0
        while i < chars.count {
            if chars[i] == "{", i + 1 < chars.count, chars[i + 1] == "{" {
                // A placeholder: skip to its end.
                var j = i + 2
                while j + 1 < chars.count, !(chars[j] == "}" && chars[j + 1] == "}") { j += 1 }
                i = j + 2
            } else if chars[i] == "{", let close = chars[i...].firstIndex(of: "}") {
                var name = ""
                name.unicodeScalars.append(contentsOf: chars[(i + 1)..<close])
                if Template.isIdentifier(name, allowDots: true) {
                    d.log.error(
                        "single-brace '{\(name)}' in the URL is sent as it stands; write '{{\(name)}}' to use the variable",
                        at: d.position(of: i, in: s, at: node.mark))
                }
                i = close + 1
            } else {
                i += 1
            }
        }
    }

    /// Whether some `{` of `text` does not open a `{{…}}` (the rare case worth a closer look).
    static func hasSingleBrace(_ text: String) -> Bool {
        var bytes = text.utf8.makeIterator()
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        while let b = bytes.next() {
            guard b == open else { continue }
            guard bytes.next() == open else { return true }
            // Skip the placeholder to its `}}`.
            var previous: UInt8 = 0
            while let c = bytes.next() {
                if c == close, previous == close { break }
                previous = c
            }
        }
        return false
    }
}
