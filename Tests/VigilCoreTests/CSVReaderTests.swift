import SwiftCSV
import Testing
@testable import VigilCore
import VigilYAML

@Suite("CSV reader")
struct CSVReaderTests {
    func read(_ text: String) throws(CSVReader.Problem) -> [CSVReader.Record] { try CSVReader.records(Array(text.utf8)) }

    func problem(_ text: String) -> CSVReader.Problem? {
        do {
            _ = try read(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func quotedFieldsHoldCommasDoubledQuotesAndLineEnds() throws {
        let records = try read("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",\"\"\n")
        #expect(records.map(\.texts) == [["a", "b"], ["x, y", "say \"hi\""], ["two\nlines", ""]])
        #expect(records.map(\.line) == [1, 2, 3])
        // A field's place is where it starts: its opening quote when quoted.
        #expect(records[1].fields.map(\.mark) == [Mark(line: 2, column: 1), Mark(line: 2, column: 8)])
        #expect(records[2].fields.map(\.mark) == [Mark(line: 3, column: 1), Mark(line: 4, column: 8)])
    }

    @Test func crlfLfAndCrEndLinesAndALineEndInQuotesIsKeptAsWritten() throws {
        let records = try read("a,b\r\n1,2\n3,4\r5,\"x\r\ny\"\r\n6,7")
        #expect(records.map(\.texts) == [["a", "b"], ["1", "2"], ["3", "4"], ["5", "x\r\ny"], ["6", "7"]])
        // CRLF is one line end, inside quotes too.
        #expect(records.map(\.line) == [1, 2, 3, 4, 6])
    }

    @Test func aByteOrderMarkAndALastLineEndAreNotData() throws {
        let records = try read("\u{FEFF}id,name\n1,x\n")
        #expect(records.map(\.texts) == [["id", "name"], ["1", "x"]])
        #expect(records[0].fields[0].mark == Mark(line: 1, column: 1))
        #expect(try read("id\n1").map(\.texts) == [["id"], ["1"]])
        #expect(try read("id\r\n1\r\n").map(\.texts) == [["id"], ["1"]])
        #expect(try read("").isEmpty)
    }

    @Test func emptyFieldsBlankLinesAndSpacesBeforeAField() throws {
        let records = try read("a, b ,c\n,,\n\n   \n1,  \"q\"  ,3\n")
        // Spaces before a field and after a closing quote are skipped; an unquoted field keeps its trailing ones.
        #expect(records.map(\.texts) == [["a", "b ", "c"], ["", "", ""], [""], [""], ["1", "q", "3"]])
        #expect(records.map(\.isBlank) == [false, false, true, true, false])
        #expect(records[0].fields[1].mark == Mark(line: 1, column: 4))
    }

    @Test func anUnclosedQuoteIsAnErrorWhereItOpened() {
        #expect(
            problem("a,b\n1,2\n3,\"never\nclosed,4\n")
                == CSVReader.Problem(
                    mark: Mark(line: 3, column: 3), message: "the quoted field that starts here is never closed (no closing quote before the end of the file)"))
        // Columns count characters (code points), not bytes.
        #expect(problem("é,\"x")?.mark == Mark(line: 1, column: 3))
    }

    @Test func aQuoteInAnUnquotedFieldOrTextAfterAClosingQuoteIsAnErrorWhereItIs() {
        #expect(problem("a,b\n1,ab\"c\n")?.mark == Mark(line: 2, column: 5))
        #expect(problem("a,b\n1,ab\"c\n")?.message.hasPrefix("a quote inside an unquoted field") == true)
        #expect(problem("a,b\n1,\"ab\"c\n")?.mark == Mark(line: 2, column: 7))
        #expect(problem("a,b\n1,\"ab\"c\n")?.message.hasPrefix("text after the closing quote of a field") == true)
        #expect(problem("a,b\r\n\"x\r\ny\" z,1\r\n")?.mark == Mark(line: 3, column: 4))
    }

    @Test func dataTableErrorsNameTheField() {
        func messages(_ text: String) -> [String] {
            do {
                _ = try DataTable.csv(text, file: "d.csv")
                return []
            } catch {
                return error.diagnostics.map(\.description)
            }
        }
        #expect(messages("a,b\n1,2,3,4\n") == ["d.csv:2:5: row 1 has 4 fields, the header 2"])
        #expect(messages("a,b\n1,\"2\nx\",3\n") == ["d.csv:3:4: row 1 has 3 fields, the header 2"])
        #expect(messages("id,first name\n1,x\n") == ["d.csv:1:4: column 2 'first name' is not a variable name (letters, digits, '_', '-')"])
        #expect(
            messages("id\n\"x\n")
                == ["d.csv:2:1: not a valid CSV file: the quoted field that starts here is never closed (no closing quote before the end of the file)"])
        #expect(messages("\n\nid\n1\n") == ["d.csv:1:1: a CSV data file needs a header row naming its columns"])
    }

    /// The valid inputs the data-file tests use, and the cases above: the header and rows
    /// are what SwiftCSV (which this reader replaced) made of them.
    @Test(arguments: [
        "name,label\nalpha,\"one, two\"\nbeta,\"two\nlines\"\n\"say \"\"hi\"\"\",x\ngamma\n",
        "name,email\nana,a@x\nbob\n",
        "name,email\nana,a@x\nbob,b@x\n",
        "name\n",
        "name,note\nData one,\"a, b\"\nData two,\"line\nbreak\"\n",
        "name,note\nfine,x\nshort\n",
        "a,b\r\n1,2\n3,4\r5,\"x\r\ny\"\r\n6,7",
        "\u{FEFF}id,name\n1,x\n",
        "a, b ,c\n,,\n\n   \n1,  \"q\"  ,3\n",
        "id,city\n1,Zürich\n2,\"東京, 日本\"\n",
    ])
    func agreesWithSwiftCSV(text: String) throws {
        let parsed = try CSV<Enumerated>(string: text, delimiter: .comma, loadColumns: false)
        var rows: [[String]] = []
        try parsed.enumerateAsArray(startAt: 1, rowLimit: nil) { rows.append($0) }
        let records = try read(text)
        #expect(records.first?.texts == parsed.header)
        #expect(records.dropFirst().map(\.texts) == rows)
    }
}
