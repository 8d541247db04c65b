import VigilYAML

/// CSV (RFC 4180) as records of fields with their places, for data files.
///
/// Written by hand rather than taken from SwiftCSV: SwiftCSV (its `CharacterSet` and `Bundle`)
/// pulled full Foundation into the binary, and with it CoreFoundation and ICU's data, about
/// 40 MB of it (docs/performance.md, "Binary size"). This is all of CSV that data files need.
///
/// Records end at CRLF, LF or CR; fields are separated by commas. A field in double quotes may
/// hold commas, line ends (kept as written) and quotes written twice (`""`). Spaces and tabs
/// before a field and after its closing quote are skipped, as SwiftCSV did, so `id, name` names
/// `name`; an unquoted field keeps its trailing spaces. A UTF-8 byte order mark at the start and
/// a line end at the end are not part of the data. A quote inside an unquoted field, text after
/// a closing quote and a quote never closed are errors at the place the problem starts.
struct CSVReader {
    struct Field: Sendable, Equatable {
        var text: String
        /// Where the field starts (its opening quote, if quoted).
        var mark: Mark
    }

    struct Record: Sendable {
        var fields: [Field]
        /// The line the record starts on.
        var line: Int
        /// The record's field texts.
        var texts: [String] { fields.map(\.text) }
        /// A line with nothing on it but spaces (or a lone `""`): one empty field.
        var isBlank: Bool { fields.count == 1 && fields[0].text.isEmpty }
    }

    /// A CSV syntax error, at the place the problem starts.
    struct Problem: Error, Sendable, Equatable {
        var mark: Mark
        var message: String
    }

    /// Every record of `bytes` (UTF-8), the header included.
    static func records(_ bytes: [UInt8]) throws(Problem) -> [Record] {
        var reader = CSVReader(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { reader.index = 3 }
        var records: [Record] = []
        while reader.index < bytes.count {
            records.append(try reader.record())
        }
        return records
    }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var column = 1

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private var mark: Mark { Mark(line: line, column: column) }
    private var atEnd: Bool { index >= bytes.count }
    private var current: UInt8? { atEnd ? nil : bytes[index] }

    /// Moves past one byte, counting lines (CRLF is one line end) and columns (in code points).
    private mutating func advance() {
        let byte = bytes[index]
        index += 1
        if byte == Self.lf || (byte == Self.cr && current != Self.lf) {
            line += 1
            column = 1
        } else if byte != Self.cr && byte & 0xC0 != 0x80 {
            column += 1
        }
    }

    private mutating func skipBlanks() {
        while let byte = current, byte == Self.space || byte == Self.tab { advance() }
    }

    /// One record, up to and including its line end.
    private mutating func record() throws(Problem) -> Record {
        let start = line
        var fields: [Field] = []
        while true {
            fields.append(try field())
            guard let byte = current else { break }
            advance()
            if byte == Self.comma { continue }
            if byte == Self.cr, current == Self.lf { advance() }
            break
        }
        return Record(fields: fields, line: start)
    }

    /// One field, leaving the reader on the comma or line end after it (or at the end).
    private mutating func field() throws(Problem) -> Field {
        skipBlanks()
        let start = mark
        if current == Self.quote { return try quoted() }
        let from = index
        while let byte = current, byte != Self.comma, byte != Self.cr, byte != Self.lf {
            if byte == Self.quote {
                throw Problem(mark: mark, message: "a quote inside an unquoted field: quote the whole field and write the quote twice (\"a \"\"b\"\"\")")
            }
            advance()
        }
        return Field(text: String(decoding: bytes[from..<index], as: UTF8.self), mark: start)
    }

    private mutating func quoted() throws(Problem) -> Field {
        let opened = mark
        advance()
        var text: [UInt8] = []
        while true {
            guard let byte = current else {
                throw Problem(mark: opened, message: "the quoted field that starts here is never closed (no closing quote before the end of the file)")
            }
            advance()
            if byte == Self.quote {
                guard current == Self.quote else { break }
                advance()
            }
            text.append(byte)
        }
        skipBlanks()
        if let byte = current, byte != Self.comma, byte != Self.cr, byte != Self.lf {
            throw Problem(mark: mark, message: "text after the closing quote of a field (a quote inside a quoted field is written twice: \"\")")
        }
        return Field(text: String(decoding: text, as: UTF8.self), mark: opened)
    }
}
