import Foundation
import Testing
@testable import VigilCore
import VigilJSON
import VigilYAML

@Suite("Data files")
struct DataTableTests {
    @Test func csvWithQuotedFieldsCommasQuotesAndLineBreaksKeepsEachRowsLine() throws {
        let text = "name,label\nalpha,\"one, two\"\nbeta,\"two\nlines\"\n\"say \"\"hi\"\"\",x\ngamma\n"
        let t = try DataTable.csv(text, file: "u.csv")
        #expect(t.columns == ["name", "label"])
        #expect(t.rows.map(\.line) == [2, 3, 5, 6])
        #expect(t.rows.map(\.number) == [1, 2, 3, 4])
        #expect(t.rows[0].values.map(\.value) == [.string("alpha"), .string("one, two")])
        #expect(t.rows[1].values.map(\.value) == [.string("beta"), .string("two\nlines")])
        #expect(t.rows[2].values.map(\.value) == [.string("say \"hi\""), .string("x")])
        // A short row has no value for the last columns (not an empty one).
        #expect(t.rows[3].values.map(\.name) == ["name"])
    }

    @Test func csvProblemsAreErrorsOfTheFile() {
        #expect(throws: LoadError.self) { try DataTable.csv("", file: "e.csv") }
        do {
            // The place is the problem's: the first extra field, the column's name below.
            _ = try DataTable.csv("a,b\n1,2,3\n", file: "w.csv")
            Issue.record("loaded")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["w.csv:2:5: row 1 has 3 fields, the header 2"])
        }
        do {
            _ = try DataTable.csv("a,b c\n1,2\n", file: "n.csv")
            Issue.record("loaded")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["n.csv:1:3: column 2 'b c' is not a variable name (letters, digits, '_', '-')"])
        }
        do {
            _ = try DataTable.csv("id,name,id\n1,2,3\n", file: "d.csv")
            Issue.record("loaded")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["d.csv:1:9: column 'id' is named twice (column 1 too)"])
        }
    }

    /// A data file that is not UTF-8 says where; one that is not a regular file (a FIFO that
    /// would wait for a writer forever, a folder) says what it is, unless the command line
    /// named a pipe (`--data <(cmd)`).
    @Test func badBytesAndOddFilesAreNamed() throws {
        #expect(DataTable.firstInvalidUTF8(Array("id\nab".utf8) + [0xFF] + Array("c\n".utf8)) == Mark(line: 2, column: 3))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let bad = dir.appendingPathComponent("bad.csv")
        try Data(Array("id\nab".utf8) + [0xC3, 0x28] + Array("\n".utf8)).write(to: bad)
        do {
            _ = try DataTable.load(path: bad.path, shown: "bad.csv")
            Issue.record("loaded")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["bad.csv:2:3: a CSV data file must be UTF-8 text; this byte is not"])
        }
        let fifo = dir.appendingPathComponent("rows.csv").path
        #expect(mkfifo(fifo, 0o600) == 0)
        do {
            _ = try DataTable.load(path: fifo, shown: "rows.csv")
            Issue.record("loaded")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["rows.csv: the data file is a FIFO, not a regular file"])
        }
    }

    @Test func yamlAndJSONRowsAreMappingsWithTheirLines() throws {
        var bytes = Array("- { name: a, ids: [1, 2] }\n- name: b\n  extra: true\n".utf8)
        let t = try DataTable.list(&bytes, file: "u.yaml")
        #expect(t.columns == ["name", "ids", "extra"])
        #expect(t.rows.map(\.line) == [1, 2])
        #expect(t.rows[0].values[1].value == .array([.int(1), .int(2)]))
        var json = Array("[\n {\"name\": \"a\"},\n {\"name\": \"b\"}\n]".utf8)
        #expect(try DataTable.list(&json, file: "u.json").rows.map(\.line) == [2, 3])
    }

    @Test func aRowWithoutAColumnARequestUsesIsAnErrorAtItsLine() throws {
        let dir = try fragmentFolder([
            "users.csv": "name,email\nana,a@x\nbob\n",
            "c.yaml": """
            data: users.csv
            requests:
              - name: Create
                GET: "http://x/{{name}}/{{email}}"
            """,
        ])
        let c = try loadIncluding(dir).get()
        let runs = c.runsPerDataRow(commandLine: nil, allowed: [])
        #expect(runs.collections.isEmpty)
        #expect(
            runs.diagnostics.map(\.description) == ["\(dir)/users.csv:3:1: row 2 has no value for column 'email', which request 'Create' of \(dir)/c.yaml uses"]
        )

        try "name,email\nana,a@x\nbob,b@x\n".write(toFile: dir + "/users.csv", atomically: true, encoding: .utf8)
        let ok = c.runsPerDataRow(commandLine: nil, allowed: [])
        #expect(ok.diagnostics.isEmpty)
        #expect(ok.collections.map(\.name) == ["c [row 1]", "c [row 2]"])
        #expect(ok.collections[1].dataRow?.values.map(\.value) == [.string("bob"), .string("b@x")])
        // The columns are known to the placeholder check.
        #expect(ReferenceCheck.undefinedVariables(in: ok.collections[0], known: []).isEmpty)
    }

    @Test func aDataPathOutsideTheRootIsRefusedAndAnEmptyFileIsAnError() throws {
        let dir = try fragmentFolder([
            "empty.csv": "name\n",
            "c.yaml": "data: ../x.csv\nrequests:\n  - GET: http://x/\n",
            "d.yaml": "data: empty.csv\nrequests:\n  - GET: http://x/{{name}}\n",
        ])
        let c = try loadIncluding(dir).get()
        let refused = c.runsPerDataRow(commandLine: nil, allowed: [])
        #expect(refused.diagnostics.count == 1)
        #expect(refused.diagnostics[0].description.hasPrefix("\(dir)/c.yaml:1:7: file '../x.csv' is outside the collection's folder"))
        let d = try loadIncluding(dir, file: "d.yaml").get()
        #expect(
            d.runsPerDataRow(commandLine: nil, allowed: []).diagnostics.map(\.description) == [
                "\(dir)/empty.csv: the data file has no rows: \(dir)/d.yaml would run no request"
            ])
    }
}
