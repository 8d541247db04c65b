#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A body as text: decoded by the `charset` of its `Content-Type` (UTF-8 when none is given).
public enum BodyText {
    /// The charset parameter of a `Content-Type` value, unquoted, as the server wrote it (not
    /// lower-cased: a message showing it must show what was sent, which the redactor masks
    /// when it is a secret).
    public static func charset(of contentType: String?) -> String? {
        guard let contentType else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingWhitespace().lowercased() == "charset" else { continue }
            return String(parts[1].trimmingWhitespace().trimming(charactersIn: "\""))
        }
        return nil
    }

    /// The encodings Vigil decodes, by IANA name (and common aliases).
    static let encodings: [String: String.Encoding] = [
        "utf-8": .utf8, "utf8": .utf8, "us-ascii": .ascii, "ascii": .ascii,
        "iso-8859-1": .isoLatin1, "latin1": .isoLatin1, "iso_8859-1": .isoLatin1, "l1": .isoLatin1,
        "windows-1252": .windowsCP1252, "cp1252": .windowsCP1252,
        "iso-8859-2": .isoLatin2, "windows-1250": .windowsCP1250, "windows-1251": .windowsCP1251,
        "utf-16": .utf16, "utf-16le": .utf16LittleEndian, "utf-16be": .utf16BigEndian,
        "utf-32": .utf32, "utf-32le": .utf32LittleEndian, "utf-32be": .utf32BigEndian,
    ]

    /// The body decoded, or why it cannot be (an unknown charset, bytes invalid in it).
    public static func decode(_ body: [UInt8], contentType: String?) -> Result<String, TextDecodingError> {
        let name = charset(of: contentType) ?? "utf-8"
        guard let encoding = encodings[name.lowercased()] else {
            return .failure(
                TextDecodingError(message: "a body in charset '\(name)', which Vigil does not decode (\(encodings.keys.sorted().joined(separator: ", ")))"))
        }
        if encoding == .utf8 {
            // Strict: invalid UTF-8 is an error, not replacement characters that a check would pass over.
            guard let s = String(validating: body, as: UTF8.self) else {
                return .failure(TextDecodingError(message: "a body that is not valid UTF-8"))
            }
            return .success(s.hasPrefix("\u{FEFF}") ? String(s.dropFirst()) : s)
        }
        guard let s = String(data: Data(body), encoding: encoding) else {
            return .failure(TextDecodingError(message: "a body that is not valid \(name)"))
        }
        return .success(s)
    }
}

/// Why a body cannot be read as text: an unknown charset, or bytes invalid in it.
public struct TextDecodingError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
