import Testing
import VigilJSON
@testable import VigilCore

/// `with:` parameters that are mappings and lists, read into with dotted paths.
@Suite("Include parameters")
struct IncludeParameterTests {
    @Test func aDottedPathReadsIntoAMappingOrListParameter() throws {
        let dir = try fragmentFolder([
            "f.yaml": """
            - POST: "http://x/{{obj.k}}/{{lst.1}}"
              json:
                o: "{{obj.k}}"
                l0: "{{lst.0}}"
                whole: "{{obj}}"
                text: "id-{{obj.k}}-{{lst.0}}"
                cam: "{{ref.id}}"
                deep: "{{nested.a.id}}"
            """,
            "c.yaml": """
            requests:
              - include: f.yaml
                with:
                  obj: { k: v }
                  lst: [1, a]
                  ref: "{{cams.0}}"
                  nested: { a: "{{cams.1}}" }
            """,
        ])
        let c = try loadIncluding(dir).get()
        let request = try #require(c.requests.first)
        #expect(request.url.source == "http://x/v/a")
        guard case .json(let tree) = request.body else {
            Issue.record("no json body: \(String(describing: request.body))")
            return
        }
        let cams: JSONValue = .array([.object(["id": .int(7)]), .object(["id": .int(8)])])
        let sent = try tree.resolve(TableResolver(["cams": cams, "cams.0.id": .int(7), "cams.1.id": .int(8)]))
        #expect(
            sent
                == .object([
                    "o": "v", "l0": .int(1), "whole": .object(["k": "v"]), "text": "id-v-1", "cam": .int(7), "deep": .int(8),
                ]))
    }

    @Test func aPathAParameterDoesNotHaveOrAWholeMappingInTextIsAnError() throws {
        let dir = try fragmentFolder([
            "f.yaml": """
            - GET: "http://x/{{obj.nope}}"
              json: { a: "{{lst.5}}", b: "x {{obj}}", c: "{{word.id}}" }
            """,
            "c.yaml": """
            requests:
              - include: f.yaml
                with: { obj: { k: v }, lst: [1, a], word: plain }
            """,
        ])
        guard case .failure(let error) = loadIncluding(dir) else {
            Issue.record("loaded")
            return
        }
        #expect(
            error.diagnostics.map(\.description) == [
                "\(dir)/f.yaml:1:8: '{{obj.nope}}' reads 'nope', a key parameter 'obj' does not have (included from \(dir)/c.yaml:2:5)",
                "\(dir)/f.yaml:2:14: '{{lst.5}}' reads item '5' of parameter 'lst', a list of 2 (included from \(dir)/c.yaml:2:5)",
                "\(dir)/f.yaml:2:30: parameter 'obj' is a mapping: it can stand only for a whole value, not inside text (included from \(dir)/c.yaml:2:5)",
                "\(dir)/f.yaml:2:46: '{{word.id}}' reads into parameter 'word', which is not a variable (plain) (included from \(dir)/c.yaml:2:5)",
            ])
    }

    @Test func anUnusedParameterGetsDidYouMeanAmongNamesAlsoGiven() throws {
        let dir = try fragmentFolder([
            "f.yaml": "- GET: \"http://x/{{camera}}\"\n",
            "c.yaml": "requests:\n  - include: f.yaml\n    with: { camera: c, camra: d }\n",
        ])
        guard case .failure(let error) = loadIncluding(dir) else {
            Issue.record("loaded")
            return
        }
        #expect(
            error.diagnostics.map(\.description) == [
                "\(dir)/c.yaml:3:24: parameter 'camra' is not used by the fragment \(dir)/f.yaml (did you mean 'camera'?)"
            ])
    }
}
