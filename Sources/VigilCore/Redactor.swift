#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#endif
import VigilJSON
import Synchronization

/// Knows every secret value of a run and masks it in any text before it is written.
///
/// Secrets are added as they become known (passwords when an environment is loaded, tokens
/// when they are issued). Every output of Vigil goes through one `Redactor`.
public final class Redactor: Sendable {
    /// What a secret is replaced with.
    public static let mask = "••••"
    /// Header names whose values are always masked.
    public static let secretHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]

    private let secrets = Mutex<[String]>([])
    /// The secrets the user named (environment variables, `{{$env.…}}` values, auth profile
    /// secrets), each with its forms: what may go only to the origins the environment names.
    private let named = Mutex<[NamedSecret]>([])

    /// A secret of the user's environment: its name and its forms, as text and as bytes.
    struct NamedSecret: Sendable {
        var name: String
        var forms: [String]
        var bytes: [[UInt8]]
    }

    public init(secrets: [String] = []) {
        for s in secrets { add(s) }
    }

    /// Adds a secret value, in every form it can take on its way out (``encodings(of:)``): as
    /// written, percent-encoded (as Vigil puts it in a URL, and as servers re-encode it, upper- and
    /// lower-case hex), form-encoded (`+` for spaces), escaped inside a JSON string, and base64
    /// (standard and URL-safe). Values shorter than 3 characters are not masked (they would mask
    /// every occurrence of common text) but are never printed by Vigil on purpose either.
    ///
    /// `name` (the variable, or `$env.NAME`) marks a secret of the user's environment, which a
    /// request may carry only to the origins the environment names (``secretName(in:)``).
    public func add(_ secret: String, name: String? = nil) {
        guard secret.count >= 3 else { return }
        add(forms: Self.encodings(of: secret).filter { $0.count >= 3 }, name: name)
    }

    /// Adds a binary message (an NTLM message) as a secret: its base64 text in every form
    /// (``add(_:name:)``), and the message in base64 URL-safe and unpadded, in hex (either
    /// case), and as its bytes read as Latin-1 (a server echoing the decoded message), as is,
    /// JSON-escaped and percent-encoded.
    public func add(message bytes: [UInt8]) {
        guard bytes.count >= 3 else { return }
        add(Data(bytes).base64EncodedString())
        add(forms: Self.binaryForms(of: bytes).filter { $0.count >= 3 }, name: nil)
    }

    private func add(forms: [String], name: String?) {
        if let name {
            named.withLock { list in
                if !list.contains(where: { $0.forms.first == forms.first }) {
                    list.append(NamedSecret(name: name, forms: forms, bytes: forms.map { Array($0.utf8) }))
                }
            }
        }
        secrets.withLock { list in
            var added = false
            for form in forms where !list.contains(form) {
                list.append(form)
                added = true
            }
            // Longest first, so a secret containing another is masked whole.
            if added { list.sort { $0.count > $1.count } }
        }
    }

    /// Whether `text` holds any known secret, in any of its forms: also with its percent and
    /// JSON escapes decoded, so a form no encoder of ``encodings(of:)`` makes (`p\u0040ss`) counts.
    public func holdsSecret(_ text: String) -> Bool {
        let list = secrets.withLock { $0 }
        guard !list.isEmpty else { return false }
        return ([text] + Self.decodedVariants(text)).contains { Self.holds(list, $0) }
    }

    /// The name of a secret of the user's environment (see ``add(_:name:)``) that `text` holds
    /// in any form, escapes decoded as in ``holdsSecret(_:)``.
    public func secretName(in text: String) -> String? {
        let list = named.withLock { $0 }
        guard !list.isEmpty else { return nil }
        for variant in [text] + Self.decodedVariants(text) {
            if let hit = list.first(where: { Self.holds($0.forms, variant) }) { return hit.name }
        }
        return nil
    }

    /// The name of a secret of the user's environment held by any string (or key) of `value`,
    /// escapes decoded as in ``secretName(in:)``. One walk, no copy of the strings: a string
    /// without `%`, `+` or `\\` (which decoding could turn into a secret) is searched in place.
    public func secretName(inValue value: JSONValue) -> String? {
        let list = named.withLock { $0 }
        guard !list.isEmpty else { return nil }
        return Self.secretName(inValue: value, list)
    }

    private static func secretName(inValue value: JSONValue, _ list: [NamedSecret]) -> String? {
        switch value {
        case .string(let s): return s.withUTF8 { secretName(inBytes: $0, list) }
        case .array(let items):
            for item in items {
                if let name = secretName(inValue: item, list) { return name }
            }
            return nil
        case .object(let object):
            for (key, item) in object {
                var key = key
                if let name = key.withUTF8({ secretName(inBytes: $0, list) }) ?? secretName(inValue: item, list) { return name }
            }
            return nil
        case .int, .double:
            var text = value.interpolationText
            return text.withUTF8 { secretName(inBytes: $0, list) }
        default:
            return nil
        }
    }

    /// Whether a body as received holds no secret of the user's environment, told from its bytes
    /// alone: nil when it holds `%`, `+` or `\\`, whose decoding could make one (then search the
    /// parsed value, ``secretName(inValue:)``). One `memchr` pass a form, instead of a walk of
    /// every string of a 60 MB tree.
    public func holdsNoSecret(rawBody bytes: [UInt8]) -> Bool? {
        let list = named.withLock { $0 }
        guard !list.isEmpty, !bytes.isEmpty else { return true }
        return bytes.withUnsafeBufferPointer { hay in
            for escape in [UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "\\")] where memchr(hay.baseAddress!, Int32(escape), hay.count) != nil {
                return nil
            }
            return !list.contains { entry in entry.bytes.contains { Self.find($0, in: hay, from: 0) != nil } }
        }
    }

    private static func secretName(inBytes hay: UnsafeBufferPointer<UInt8>, _ list: [NamedSecret]) -> String? {
        let escaped = hay.contains { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "\\") }
        if escaped {
            let text = String(decoding: hay, as: UTF8.self)
            for variant in [text] + decodedVariants(text) {
                if let hit = list.first(where: { holds($0.forms, variant) }) { return hit.name }
            }
            return nil
        }
        for entry in list where entry.bytes.contains(where: { find($0, in: hay, from: 0) != nil }) { return entry.name }
        return nil
    }

    /// Whether any secret of the user's environment is known (``add(_:name:)`` with a name).
    public var hasNamedSecrets: Bool { named.withLock { !$0.isEmpty } }

    private static func holds(_ forms: [String], _ text: String) -> Bool {
        var text = text
        return text.withUTF8 { hay in forms.contains { find(Array($0.utf8), in: hay, from: 0) != nil } }
    }

    /// The length in bytes of the longest form of a secret: how far apart the chunks of a long
    /// text searched piece by piece must overlap.
    public var longestForm: Int {
        secrets.withLock { $0.map(\.utf8.count).max() ?? 0 }
    }

    /// Where `needle` first occurs in `hay` at or after `from`. Secrets are searched for byte by
    /// byte, as written (`memchr` and `memcmp`); Foundation's string search made a recording
    /// of a 60 MB body spend seconds here.
    static func find(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard !needle.isEmpty, from <= hay.count, let base = hay.baseAddress else { return nil }
        let first = Int32(needle[0])
        let last = hay.count - needle.count
        var i = from
        return needle.withUnsafeBufferPointer { n -> Int? in
            while i <= last {
                // memchr finds the first byte, memcmp checks the rest.
                guard let hit = memchr(base + i, first, last - i + 1) else { return nil }
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + at, n.baseAddress!, n.count) == 0 { return at }
                i = at + 1
            }
            return nil
        }
    }

    /// `text` with every known secret replaced by the mask.
    ///
    /// A text that was cut (an excerpt, ending with ``cutMarker``) may end inside a secret: the
    /// longest run before each cut marker that begins some form of a secret (one character or
    /// more) is masked too, so an excerpt never shows the first 80 characters of a 97-character
    /// token, nor its first character, also when the excerpt was put inside a longer message.
    /// That run is replaced by as many `•` as it has characters, up to four (the mask), so a
    /// text cut to a width stays within it. The price: an excerpt whose last character happens
    /// to be the first of some form of a secret shows `•` in its place.
    public func redact(_ text: String) -> String {
        let list = secrets.withLock { $0 }
        guard !list.isEmpty else { return text }
        var out = text
        // Forms with `&` (entities) cannot be in a text without one: a plain token's XML forms
        // cost one pass (two with `&`), not one each.
        var scanned = out
        let (amp, reference) = scanned.withUTF8 { hay in
            let amp = hay.baseAddress.map { memchr($0, Int32(UInt8(ascii: "&")), hay.count) != nil } ?? false
            return (amp, amp && Self.find(Self.referenceBytes, in: hay, from: 0) != nil)
        }
        for s in list {
            if !reference, s.utf8.contains(UInt8(ascii: "&")), !amp || Self.holdsReference(s) { continue }
            let needle = Array(s.utf8)
            var current = out
            let replaced: [UInt8]? = current.withUTF8 { hay -> [UInt8]? in
                guard var at = Self.find(needle, in: hay, from: 0) else { return nil }
                var bytes: [UInt8] = []
                bytes.reserveCapacity(hay.count)
                var last = 0
                while true {
                    bytes.append(contentsOf: hay[last..<at])
                    bytes.append(contentsOf: Self.mask.utf8)
                    last = at + needle.count
                    guard let next = Self.find(needle, in: hay, from: last) else { break }
                    at = next
                }
                bytes.append(contentsOf: hay[last...])
                return bytes
            }
            if let replaced { out = String(decoding: replaced, as: UTF8.self) }
        }
        scanned = out
        let cut = scanned.withUTF8 { Self.find(Self.cutMarkerBytes, in: $0, from: 0) != nil }
        if cut { out = Self.maskingCutSecrets(out, list) }
        return out
    }

    /// What ends a text cut short (``Swift/String/excerpt(limit:)``).
    public static let cutMarker: Character = "…"
    static let cutMarkerBytes = Array("…".utf8)
    /// What begins a numeric character reference (`&#60;`).
    static let referenceBytes = Array("&#".utf8)

    private static func holdsReference(_ form: String) -> Bool {
        var previous: UInt8 = 0
        for b in form.utf8 {
            if previous == UInt8(ascii: "&"), b == UInt8(ascii: "#") { return true }
            previous = b
        }
        return false
    }

    /// `text` with, before each cut marker, the longest run that is the beginning of a secret
    /// form masked.
    static func maskingCutSecrets(_ text: String, _ forms: [String]) -> String {
        var out = ""
        var rest = Substring(text)
        while let i = rest.firstIndex(of: cutMarker) {
            out += masked(end: rest[..<i], forms) + String(cutMarker)
            rest = rest[rest.index(after: i)...]
        }
        return out + rest
    }

    private static func masked(end piece: Substring, _ forms: [String]) -> String {
        var longest = 0
        // Only the piece's last characters can begin a form: the piece may be most of a report
        // page, and counting and comparing it whole, for every form and length, made writing
        // 10,000 Markdown pages with a sign-in token take most of a minute.
        let reach = (forms.map(\.count).max() ?? 0) - 1
        guard reach >= 2, let last = piece.last else { return String(piece) }
        let tail = Array(piece.suffix(reach))
        for form in forms {
            let characters = Array(form)
            var k = min(characters.count - 1, tail.count)
            // `&#` (or `&`) begins every numeric character reference and tells nothing of a secret.
            let floor = form.hasPrefix("&#") ? 2 : 0
            while k > max(longest, floor) {
                if characters[k - 1] == last, tail[(tail.count - k)...].elementsEqual(characters[..<k]) {
                    longest = k
                    break
                }
                k -= 1
            }
        }
        // As many bullets as characters, up to the mask: a cut text never grows (a progress line
        // cut to the terminal's width must stay within it).
        return longest >= 1 ? String(piece.dropLast(longest)) + String(repeating: "•", count: min(longest, 4)) : String(piece)
    }

    /// A header value for display: masked whole for secret header names, redacted otherwise.
    public func redactHeader(name: String, value: String) -> String {
        Self.secretHeaders.contains(name.lowercased()) ? Self.mask : redact(value)
    }
}

extension String {
    /// The text cut to `limit` characters, ending with ``Redactor/cutMarker`` when cut, so the
    /// redactor can tell an excerpt from a whole text and mask a secret the cut went through.
    public func excerpt(limit: Int) -> String {
        count <= limit ? self : String(prefix(limit)) + String(Redactor.cutMarker)
    }
}
