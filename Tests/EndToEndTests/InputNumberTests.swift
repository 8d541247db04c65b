import Foundation
import Testing

/// Numbers JSON cannot carry are errors in data files, `--var-file` and `--var` as in a
/// collection's `variables:`: never sent rounded (`1e+23`) or as null (`1e400`, `.nan`).
@Suite struct InputNumberTests {
    static let files: [String: String] = [
        "c.yaml": """
        name: D
        requests:
          - POST: "http://127.0.0.1:1/{{id}}"
            json: { v: "{{id}}" }
        """,
        "big.yaml": "- id: 99999999999999999999999\n",
        "inf.json": "[{\"id\": 1e400}]",
        "nan.yaml": "- { id: [1, .nan] }\n",
        "vars.yaml": "id: 99999999999999999999999\n",
        "fine.yaml": "- id: 12\n",
    ]

    @Test func dataFilesVarFilesAndVarListsRefuseThem() async throws {
        let dir = try scratch(Self.files)
        let beyond = "is beyond a 64-bit integer and would lose digits as a number; quote it to send it as a string"
        let notJSON = "is not a number JSON can carry (it has no infinity or NaN"
        let cases: [([String], Int32, String)] = [
            (["--data", "big.yaml"], 2, "big.yaml:1:7: 99999999999999999999999 \(beyond)"),
            (["--data", "inf.json"], 2, "inf.json:1:9: '1e400' \(notJSON)"),
            (["--data", "nan.yaml"], 2, "nan.yaml:1:13: '.nan' \(notJSON)"),
            (["--var-file", "vars.yaml"], 2, "vars.yaml:1:5: 99999999999999999999999 \(beyond)"),
            (["--var", "id=[1e400]"], 4, "--var id: '1e400' \(notJSON)"),
        ]
        for (arguments, status, message) in cases {
            let r = try await vigil(["validate", "c.yaml"] + arguments, in: dir)
            #expect(r.status == status, "\(arguments): \(r.all)")
            #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
        let fine = try await vigil(["validate", "c.yaml", "--data", "fine.yaml", "--var", "x={ n: 18446744073 }"], in: dir)
        #expect(fine.status == 0, "\(fine.all)")
    }
}
