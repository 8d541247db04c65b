import Foundation
import Testing
@testable import VigilCore
import VigilYAML

/// A fresh folder holding `files` (name → text); returns its path.
func fragmentFolder(_ files: [String: String]) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-include-\(UUID().uuidString)")
    for (name, text) in files {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return dir.path
}

/// Loads `folder/c.yaml` as `vigil` would (scanned, root the folder); the diagnostics when it does not load.
func loadIncluding(_ folder: String, file: String = "c.yaml", root: String? = nil) -> Result<CollectionFile, LoadError> {
    let path = folder + "/" + file
    guard let source = YAMLSource(contentsOf: path) else { return .failure(LoadError([Diagnostic.unreadable(path)])) }
    do {
        return .success(try CollectionLoader.scan(source, root: root ?? folder))
    } catch {
        return .failure(error)
    }
}

@Suite("Include")
struct IncludeTests {
    static let signIn = """
        - name: Get token
          GET: "{{api}}/sites"
          headers: { X-Who: "{{who}}" }
          capture: { siteId: "array[0].id" }
        - name: Site
          GET: "{{api}}/sites/{{siteId}}"
          json: { count: "{{count}}", label: "n-{{count}}" }
        """

    @Test func expandsAFragmentWithParametersUnderTheStepsName() throws {
        let dir = try fragmentFolder([
            "common/sign-in.yaml": Self.signIn,
            "c.yaml": """
            requests:
              - GET: "{{api}}/first"
              - name: Sign in check
                include: common/sign-in.yaml
                with: { who: "user {{user}}", count: 3 }
              - name: After
                GET: "{{api}}/sites/{{siteId}}/more"
            """,
        ])
        let c = try loadIncluding(dir).get()
        #expect(c.stream == nil)
        #expect(c.requests.map(\.name) == ["GET {{api}}/first", "Sign in check › Get token", "Sign in check › Site", "After"])
        let token = c.requests[1]
        #expect(token.origin == RequestOrigin(file: "\(dir)/common/sign-in.yaml", chain: [IncludeSite(file: "\(dir)/c.yaml", mark: Mark(line: 3, column: 5))]))
        #expect(token.headers.first?.value.source == "user {{user}}")
        #expect(token.mark == Mark(line: 1, column: 3))
        // A whole-value parameter keeps its type; inside text it is its text.
        #expect(
            c.requests[2].body
                == .json(
                    .object([
                        .init(key: Template(literal: "count"), value: .value(.int(3))), .init(key: Template(literal: "label"), value: .value(.string("n-3"))),
                    ])))
        // The capture of the fragment is known after it.
        let diagnostics = ReferenceCheck.undefinedVariables(in: c, known: ["api", "user"])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
    }

    @Test func errorsInsideAFragmentNameItsPlaceAndTheChain() throws {
        let dir = try fragmentFolder([
            "inner.yaml": """
            - name: Broken
              GTE: "{{api}}/x"
            """,
            "middle.yaml": """
            - GET: "{{api}}/middle"
            - include: inner.yaml
            """,
            "c.yaml": """
            requests:
              - GET: "{{api}}/a"
              - include: middle.yaml
            """,
        ])
        guard case .failure(let error) = loadIncluding(dir) else {
            Issue.record("loaded")
            return
        }
        let text = error.diagnostics.map(\.description)
        #expect(
            text.contains {
                $0.hasPrefix("\(dir)/inner.yaml:2:3: unknown key 'GTE' in a request (did you mean 'GET'?)")
                    && $0.hasSuffix("(included from \(dir)/middle.yaml:2:3, included from \(dir)/c.yaml:3:5)")
            }, "\(text)")
    }

    @Test func anUndefinedPlaceholderInAFragmentIsReportedThere() throws {
        let dir = try fragmentFolder([
            "f.yaml": """
            - name: Uses
              GET: "{{api}}/cameras/{{cameraId}}"
            """,
            "c.yaml": """
            variables: { cameraID: x }
            requests:
              - name: Camera
                include: f.yaml
            """,
        ])
        let c = try loadIncluding(dir).get()
        let found = ReferenceCheck.undefinedVariables(in: c, known: ["api"]).map(\.description)
        #expect(
            found == [
                "\(dir)/f.yaml:1:3: request 'Camera › Uses' uses '{{cameraId}}' in the URL, but no variable, --var or earlier capture defines it (did you mean 'cameraID'?) (included from \(dir)/c.yaml:3:5)"
            ])
    }

    @Test func aParameterTheFragmentDoesNotUseIsAnErrorWithDidYouMean() throws {
        let dir = try fragmentFolder([
            "f.yaml": """
            - GET: "{{api}}/cameras/{{cameraId}}"
            """,
            "c.yaml": """
            requests:
              - include: f.yaml
                with:
                  camraId: x
            """,
        ])
        guard case .failure(let error) = loadIncluding(dir) else {
            Issue.record("loaded")
            return
        }
        #expect(
            error.diagnostics.map(\.description) == [
                "\(dir)/c.yaml:4:7: parameter 'camraId' is not used by the fragment \(dir)/f.yaml (did you mean 'cameraId'?)"
            ])
    }

    @Test func aCycleIsAnErrorNamingTheChain() throws {
        let dir = try fragmentFolder([
            "a.yaml": "- include: b.yaml\n",
            "b.yaml": "- GET: http://x/b\n- include: a.yaml\n",
            "c.yaml": "requests:\n  - include: a.yaml\n",
        ])
        guard case .failure(let error) = loadIncluding(dir) else {
            Issue.record("loaded")
            return
        }
        let text = error.diagnostics.map(\.description)
        #expect(
            text.contains {
                $0.hasPrefix("\(dir)/b.yaml:2:12: include cycle: \(dir)/a.yaml → \(dir)/b.yaml → \(dir)/a.yaml")
            }, "\(text)")
        // Including oneself is a cycle too.
        let own = try fragmentFolder(["c.yaml": "requests:\n  - include: c.yaml\n"])
        guard case .failure(let e2) = loadIncluding(own) else {
            Issue.record("loaded")
            return
        }
        #expect(e2.diagnostics.map(\.description) == ["\(own)/c.yaml:2:14: include cycle: \(own)/c.yaml → \(own)/c.yaml"])
    }

    @Test func aFragmentOutsideTheRootIsRefused() throws {
        let outside = try fragmentFolder(["secret.yaml": "- GET: http://x/secret\n"])
        let dir = try fragmentFolder([
            "c.yaml": """
            requests:
              - include: ../\((outside as NSString).lastPathComponent)/secret.yaml
              - include: \(outside)/secret.yaml
              - include: missing.yaml
            """
        ])
        guard case .failure(let error) = loadIncluding(dir) else {
            Issue.record("loaded")
            return
        }
        let text = error.diagnostics.map(\.description)
        #expect(text.count == 3, "\(text)")
        #expect(text[0].hasPrefix("\(dir)/c.yaml:2:14: file '../") && text[0].contains("is outside the collection's folder (it leads out of"))
        #expect(text[1].hasPrefix("\(dir)/c.yaml:3:14: file '\(outside)/secret.yaml' is outside the collection's folder (an absolute path"))
        #expect(text[2] == "\(dir)/c.yaml:4:14: file 'missing.yaml' does not exist or is a folder")
    }

    @Test func aFragmentMustBeAListAndStepsTakeKnownKeys() throws {
        let dir = try fragmentFolder([
            "map.yaml": "GET: http://x\n",
            "c.yaml": """
            requests:
              - include: map.yaml
                wiht: { a: 1 }
            """,
        ])
        guard case .failure(let error) = loadIncluding(dir) else {
            Issue.record("loaded")
            return
        }
        #expect(
            error.diagnostics.map(\.description) == [
                "\(dir)/map.yaml:1:1: a fragment is a list of requests (and include steps); found a mapping (included from \(dir)/c.yaml:2:5)",
                "\(dir)/c.yaml:3:5: unknown key 'wiht' in an include step (did you mean 'with'?)",
            ])
        let dir2 = try fragmentFolder(["map.yaml": "GET: http://x\n", "c.yaml": "requests:\n  - include: map.yaml\n"])
        guard case .failure(let e2) = loadIncluding(dir2) else {
            Issue.record("loaded")
            return
        }
        #expect(
            e2.diagnostics.map(\.description) == [
                "\(dir2)/map.yaml:1:1: a fragment is a list of requests (and include steps); found a mapping (included from \(dir2)/c.yaml:2:5)"
            ])
    }

    @Test func forEachOnARequestAndOnAnInclude() throws {
        let dir = try fragmentFolder([
            "event.yaml": """
            - name: Create
              POST: "{{api}}/events"
              json: { name: "{{user.name}} #{{user.index}}", tag: "{{tag}}" }
              capture: { eventId: data.id }
            - name: Delete
              DELETE: "{{api}}/events/{{eventId}}"
            """,
            "c.yaml": """
            requests:
              - name: List
                GET: "{{api}}/cameras"
                capture: { cameraIds: { path: "array[*].id", all: true } }
              - name: Camera
                GET: "{{api}}/cameras/{{camera}}?i={{camera.index}}"
                forEach: "{{cameraIds}}"
                as: camera
              - name: Events
                include: event.yaml
                forEach: "{{users}}"
                as: user
                with: { tag: "t-{{user.index}}" }
              - name: Literal
                GET: "{{api}}/x/{{item}}"
                forEach: [a, b]
            """,
        ])
        let c = try loadIncluding(dir).get()
        #expect(c.requests.map { $0.loops.map(\.variable) } == [[], ["camera"], ["user"], ["user"], ["item"]])
        #expect(c.requests[2].loops[0].id == c.requests[3].loops[0].id)
        #expect(c.requests[2].iterationName([(2, 3)]) == "Events [2/3] › Create")
        #expect(c.requests[1].iterationName([(1, 5)]) == "Camera [1/5]")
        let found = ReferenceCheck.undefinedVariables(in: c, known: ["api"]).map(\.description)
        #expect(found == ["\(dir)/c.yaml:11:14: request 'Events › Create' uses '{{users}}' in forEach, but no variable, --var or earlier capture defines it"])
    }

    @Test func forEachNeedsAListAndAsNeedsForEach() {
        let errors = collectionErrors(
            """
            requests:
              - GET: http://x/{{item}}
                forEach: "cams {{ids}}"
              - GET: http://x
                as: cam
              - GET: http://x/{{c}}
                forEach: "{{ids}}"
                as: "c.d"
            """, file: "l.yaml")
        #expect(
            errors == [
                "l.yaml:3:14: forEach takes a list: a variable holding one (\"{{cameraIds}}\", a capture with all: true) or a list written in place; found a string",
                "l.yaml:5:5: 'as' names the item of a forEach; this request has no forEach",
                "l.yaml:8:9: 'c.d' is not a variable name for as: (letters, digits, '_', '-')",
            ])
    }
}
