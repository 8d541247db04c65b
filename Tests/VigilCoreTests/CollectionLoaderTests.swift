import Foundation
import Testing
@testable import VigilCore
import VigilJSON
import VigilYAML

@Suite("CollectionLoader: valid collections")
struct CollectionLoaderTests {
    static let full = """
        name: Full collection
        description: Every key at once.
        requires: 2021 R2
        variables:
          eventName: "Vigil event {{$uuid}}"
          count: 3
          nested: { list: [1, "{{count}}"] }
        defaults:
          headers: { Accept: application/json, X-Trace: "t-{{count}}" }
          query: { lang: en, debug: }
          timeout: 10s
          followRedirects: false
        auth: xprotect
        requests:
          - name: Create
            description: creates the event
            POST: "{{api}}/userDefinedEvents"
            headers:
              X-Request: "r-{{count}}"
              X-Count: 5
            query:
              tasks:
              noData: ~
              page: 2
              q: "{{eventName}}"
            json:
              name: "{{eventName}}"
              count: "{{count}}"
              enabled: true
              ratio: 0.5
              none: null
              tags: [a, "{{count}}", "x{{count}}"]
              "{{eventName}}": key
            expect:
              status: 201
              headers:
                Content-Type: { contains: json }
              body:
                result.name: "{{eventName}}"
                result.id: { matches: "^[0-9a-f-]{36}$" }
                $.result.count: { gte: 1, lt: 10 }
              duration: 2s
            capture:
              eventId: result.id
              location: { header: Location, regex: "/([^/]+)$" }
              code: { status: true }
              ids: { path: "array[*].id", all: true }
              firstId: { path: "$.array[?@.ptzEnabled == true].id", first: true, optional: true }
            timeout: 5s
            followRedirects: true
            auth: none
          - name: Form
            PUT: "{{api}}/x"
            form: { a: "1", b: , c: "{{count}}" }
            expect: { status: [200, 204] }
            when: { eventId: { exists: true }, count: 3 }
            retry:
              until: { body: { data.progress: 100 } }
              failWhen: { body: { data.state: Error } }
              interval: 200ms
              backoff: 1.5
              timeout: 1m
            auth: other
          - PATCH: http://example.com/items/1
            body: "raw {{count}}"
            expect: { status: 2xx, duration: { lt: 1s, gte: 10ms } }
          - DELETE: http://example.com/items/1
            file: "data/{{count}}.bin"
            retry: {}
            expect: { status: { gte: 200, lt: 300 } }
        finally:
          - name: Delete the event
            DELETE: "{{api}}/userDefinedEvents/{{eventId}}"
            when: { eventId: { exists: true } }
        """

    @Test func topLevel() throws {
        let c = try collection(Self.full, file: "dir/full.yaml")
        #expect(c.file == "dir/full.yaml")
        #expect(c.name == "Full collection")
        #expect(c.description == "Every key at once.")
        #expect(c.auth == .profile("xprotect", Mark(line: 13, column: 7)))
        #expect(c.requests.count == 4)
        #expect(c.finally.count == 1)
    }

    @Test func variables() throws {
        let c = try collection(Self.full)
        #expect(c.variables.map(\.name) == ["eventName", "count", "nested"])
        #expect(c.variables[0].value == .template(try tpl("Vigil event {{$uuid}}")))
        #expect(c.variables[1].value == .value(.int(3)))
        #expect(
            c.variables[2].value
                == .object([
                    .init(key: Template(literal: "list"), value: .array([.value(1), .template(try tpl("{{count}}"))]))
                ]))
    }

    @Test func defaults() throws {
        let d = try collection(Self.full).defaults
        #expect(
            d.headers == [
                HeaderTemplate(name: "Accept", value: Template(literal: "application/json")),
                HeaderTemplate(name: "X-Trace", value: try tpl("t-{{count}}")),
            ])
        #expect(d.query == [QueryTemplate(name: "lang", value: Template(literal: "en")), QueryTemplate(name: "debug", value: nil)])
        #expect(ms(d.timeout) == 10_000)
        #expect(d.followRedirects == false)
    }

    @Test func requestWithEveryKey() throws {
        let r = try collection(Self.full).requests[0]
        #expect(r.name == "Create")
        #expect(r.method == "POST")
        #expect(r.url == (try tpl("{{api}}/userDefinedEvents")))
        #expect(r.mark == Mark(line: 15, column: 5))
        #expect(r.urlMark == Mark(line: 17, column: 11))
        #expect(
            r.headers == [
                HeaderTemplate(name: "X-Request", value: try tpl("r-{{count}}")),
                HeaderTemplate(name: "X-Count", value: Template(literal: "5")),
            ])
        #expect(
            r.query == [
                QueryTemplate(name: "tasks", value: nil),
                QueryTemplate(name: "noData", value: nil),
                QueryTemplate(name: "page", value: Template(literal: "2")),
                QueryTemplate(name: "q", value: try tpl("{{eventName}}")),
            ])
        let expectedBody = TemplateTree.object([
            .init(key: Template(literal: "name"), value: .template(try tpl("{{eventName}}"))),
            .init(key: Template(literal: "count"), value: .template(try tpl("{{count}}"))),
            .init(key: Template(literal: "enabled"), value: .value(true)),
            .init(key: Template(literal: "ratio"), value: .value(.double(0.5))),
            .init(key: Template(literal: "none"), value: .value(.null)),
            .init(key: Template(literal: "tags"), value: .array([.value("a"), .template(try tpl("{{count}}")), .template(try tpl("x{{count}}"))])),
            .init(key: try tpl("{{eventName}}"), value: .value("key")),
        ])
        #expect(r.body == .json(expectedBody))
        #expect(ms(r.timeout) == 5_000)
        #expect(r.followRedirects == true)
        #expect(r.auth == AuthChoice.none)
    }

    @Test func jsonBodyResolvesWithTypes() throws {
        let r = try collection(Self.full).requests[0]
        guard case .json(let tree) = r.body else {
            Issue.record("expected a json body, got \(String(describing: r.body))")
            return
        }
        let value = try tree.resolve(TableResolver(["eventName": "E", "count": 3]))
        #expect(value == ["name": "E", "count": 3, "enabled": true, "ratio": 0.5, "none": nil, "tags": ["a", 3, "x3"], "E": "key"])
        #expect(value.objectValue?.keys == ["name", "count", "enabled", "ratio", "none", "tags", "E"])
    }

    @Test func expectations() throws {
        let e = try collection(Self.full).requests[0].expect
        #expect(e.status == .codes([201]))
        #expect(e.headers.count == 1)
        #expect(e.headers.first?.name == "Content-Type")
        #expect(e.headers.first?.matcher == .all([.contains(.value("json"))]))
        #expect(e.headers.first?.mark == Mark(line: 37, column: 9))
        #expect(e.body.map(\.path.text) == ["result.name", "result.id", "$.result.count"])
        #expect(e.body.map(\.path.description) == ["$.result.name", "$.result.id", "$.result.count"])
        #expect(e.body.map(\.mark) == [Mark(line: 39, column: 9), Mark(line: 40, column: 9), Mark(line: 41, column: 9)])
        #expect(e.body[0].matcher == .equals(.template(try tpl("{{eventName}}"))))
        #expect(e.body[1].matcher == .all([.matches(Template(literal: "^[0-9a-f-]{36}$"))]))
        #expect(e.body[2].matcher == .all([.gte(.value(1)), .lt(.value(10))]))
        #expect(e.durationMs == .all([.lte(.value(2000))]))
        #expect(!e.isEmpty)
    }

    @Test func bodyPathsSelectFromResponses() throws {
        let e = try collection(Self.full).requests[0].expect
        let response: JSONValue = ["result": ["name": "n", "id": "i", "count": 2]]
        #expect(e.body.map { $0.path.values(in: response) } == [["n"], ["i"], [2]])
    }

    @Test func capturesOfEachForm() throws {
        let captures = try collection(Self.full).requests[0].captures
        #expect(captures.map(\.name) == ["eventId", "location", "code", "ids", "firstId"])
        #expect(captures.map(\.mark) == (44...48).map { Mark(line: $0, column: 7) })

        guard case .body(let p0, let all0, let first0) = captures[0].source else { Issue.record("eventId: \(captures[0].source)"); return }
        #expect(p0.text == "result.id")
        #expect(!all0 && !first0)
        #expect(captures[0].regex == nil)
        #expect(!captures[0].optional)

        guard case .header(let h) = captures[1].source else { Issue.record("location: \(captures[1].source)"); return }
        #expect(h == HeaderSelector(name: "Location"))
        #expect(captures[1].regex == "/([^/]+)$")

        guard case .status = captures[2].source else { Issue.record("code: \(captures[2].source)"); return }

        guard case .body(let p3, let all3, let first3) = captures[3].source else { Issue.record("ids: \(captures[3].source)"); return }
        #expect(p3.description == "$.array[*].id")
        #expect(all3 && !first3)

        guard case .body(let p4, let all4, let first4) = captures[4].source else { Issue.record("firstId: \(captures[4].source)"); return }
        #expect(p4.text == "$.array[?@.ptzEnabled == true].id")
        #expect(!all4 && first4)
        #expect(captures[4].optional)
        let doc: JSONValue = ["array": [["id": "a", "ptzEnabled": false], ["id": "b", "ptzEnabled": true]]]
        #expect(p4.values(in: doc) == ["b"])
    }

    @Test func formWhenRetryAndNamedAuth() throws {
        let r = try collection(Self.full).requests[1]
        #expect(r.method == "PUT")
        #expect(
            r.body
                == .form([
                    QueryTemplate(name: "a", value: Template(literal: "1")),
                    QueryTemplate(name: "b", value: nil),
                    QueryTemplate(name: "c", value: try tpl("{{count}}")),
                ]))
        #expect(r.expect.status == .codes([200, 204]))
        #expect(r.when.map(\.variable) == ["eventId", "count"])
        #expect(r.when.map(\.matcher) == [.all([.exists(true)]), .equals(.value(3))])
        let retry = try #require(r.retry)
        #expect(retry.until?.body.map(\.path.text) == ["data.progress"])
        #expect(retry.until?.body.first?.matcher == .equals(.value(100)))
        #expect(retry.until?.status == nil)
        #expect(retry.failWhen?.body.map(\.path.text) == ["data.state"])
        #expect(retry.failWhen?.body.first?.matcher == .equals(.value("Error")))
        #expect(ms(retry.interval) == 200)
        #expect(retry.backoff == 1.5)
        #expect(ms(retry.timeout) == 60_000)
        #expect(r.auth == .profile("other", Mark(line: 63, column: 11)))
    }

    @Test func textBodyClassStatusAndDurationOperators() throws {
        let r = try collection(Self.full).requests[2]
        #expect(r.method == "PATCH")
        #expect(r.name == "PATCH http://example.com/items/1")
        #expect(r.url == Template(literal: "http://example.com/items/1"))
        #expect(r.body == .text(try tpl("raw {{count}}")))
        #expect(r.expect.status == .classes([2]))
        #expect(r.expect.durationMs == .all([.lt(.value(1000)), .gte(.value(10))]))
        #expect(r.retry == nil)
        #expect(r.auth == .inherit)
        #expect(r.timeout == nil)
        #expect(r.followRedirects == nil)
    }

    @Test func fileBodyDefaultRetryAndStatusOperators() throws {
        let r = try collection(Self.full).requests[3]
        #expect(r.body == .file(try tpl("data/{{count}}.bin")))
        let retry = try #require(r.retry)
        #expect(retry.until == nil)
        #expect(retry.failWhen == nil)
        #expect(ms(retry.interval) == 500)
        #expect(retry.backoff == 1)
        #expect(ms(retry.timeout) == 30_000)
        #expect(r.expect.status == .matcher(.all([.gte(.value(200)), .lt(.value(300))])))
    }

    @Test func finallyRequests() throws {
        let f = try collection(Self.full).finally
        #expect(f.map(\.name) == ["Delete the event"])
        #expect(f[0].method == "DELETE")
        #expect(f[0].url == (try tpl("{{api}}/userDefinedEvents/{{eventId}}")))
        #expect(f[0].when.map(\.variable) == ["eventId"])
        #expect(f[0].mark == Mark(line: 72, column: 5))
    }

    @Test(arguments: ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
    func everyMethod(_ method: String) throws {
        let c = try collection("requests:\n  - \(method): http://h/x\n")
        #expect(c.requests.first?.method == method)
        #expect(c.requests.first?.url == Template(literal: "http://h/x"))
        #expect(c.requests.first?.name == "\(method) http://h/x")
    }

    @Test func minimalCollectionDefaults() throws {
        let c = try collection("requests:\n  - GET: http://h/\n", file: "collections/01-user-defined-events.yaml")
        #expect(c.name == "01-user-defined-events")
        #expect(c.description == nil)
        #expect(c.auth == .inherit)
        #expect(c.variables.isEmpty)
        #expect(c.finally.isEmpty)
        #expect(c.defaults.headers.isEmpty && c.defaults.query.isEmpty)
        #expect(c.defaults.timeout == nil && c.defaults.followRedirects == nil)
        let r = try #require(c.requests.first)
        #expect(r.body == nil)
        #expect(r.expect.isEmpty)
        #expect(r.captures.isEmpty && r.when.isEmpty && r.headers.isEmpty && r.query.isEmpty)
    }

    @Test func emptyRequestListIsRefused() throws {
        // A run of it would pass without testing anything.
        #expect(collectionErrors("name: nothing\nrequests: []\n") == ["c.yaml:2:11: the collection has no requests: a run of it would test nothing"])
        // `finally` alone still sends something.
        #expect(try collection("name: cleanup\nrequests: []\nfinally:\n  - DELETE: http://h/x\n").finally.count == 1)
    }

    @Test func nameMayBeAnyScalar() throws {
        let c = try collection("requests:\n  - name: 2024\n    GET: http://h/\n")
        #expect(c.requests.first?.name == "2024")
    }

    @Test(arguments: [
        ("201", StatusExpectation.codes([201])),
        ("[200, 204]", .codes([200, 204])),
        ("100", .codes([100])),
        ("599", .codes([599])),
        ("2xx", .classes([2])),
        ("2XX", .classes([2])),
        ("[2xx, 3xx]", .classes([2, 3])),
        ("{ in: [200, 201] }", .matcher(.all([.isIn(.array([.value(200), .value(201)]))]))),
        ("{ not: 500 }", .matcher(.all([.not(.equals(.value(500)))]))),
    ])
    func statusForms(_ yaml: String, _ expected: StatusExpectation) throws {
        let c = try collection("requests:\n  - GET: http://h/\n    expect:\n      status: \(yaml)\n")
        #expect(c.requests.first?.expect.status == expected)
    }

    @Test func statusSummaries() {
        #expect(StatusExpectation.codes([200, 204]).summary == "200 or 204")
        #expect(StatusExpectation.classes([2, 3]).summary == "2xx or 3xx")
        #expect(StatusExpectation.matcher(.all([.gte(.value(200)), .lt(.value(300))])).summary == ">= 200 and < 300")
    }

    @Test(arguments: [
        ("5", Matcher.equals(.value(5))),
        ("\"5\"", .equals(.value("5"))),
        ("null", .equals(.value(.null))),
        ("[1, 2]", .equals(.array([.value(1), .value(2)]))),
        (
            "{ id: 1, name: x }",
            .equals(.object([.init(key: Template(literal: "id"), value: .value(1)), .init(key: Template(literal: "name"), value: .value("x"))]))
        ),
        ("{ eq: { gt: 1 } }", .all([.eq(.object([.init(key: Template(literal: "gt"), value: .value(1))]))])),
        ("{ ne: 3 }", .all([.ne(.value(3))])),
        ("{ gt: 1, lte: 2.5 }", .all([.gt(.value(1)), .lte(.value(.double(2.5)))])),
        ("{ in: [a, b] }", .all([.isIn(.array([.value("a"), .value("b")]))])),
        ("{ contains: x, notContains: y }", .all([.contains(.value("x")), .notContains(.value("y"))])),
        ("{ startsWith: ab, endsWith: yz }", .all([.startsWith(Template(literal: "ab")), .endsWith(Template(literal: "yz"))])),
        ("{ matches: '^a+$' }", .all([.matches(Template(literal: "^a+$"))])),
        ("{ exists: false }", .all([.exists(false)])),
        ("{ empty: true }", .all([.empty(true)])),
        ("{ type: integer }", .all([.type("integer")])),
        ("{ length: 3 }", .all([.length(.equals(.value(3)))])),
        ("{ length: { gte: 1 } }", .all([.length(.all([.gte(.value(1))]))])),
        ("{ not: { empty: true } }", .all([.not(.all([.empty(true)]))])),
        ("{ not: 5 }", .all([.not(.equals(.value(5)))])),
        ("\"{{expected}}\"", .equals(.template(Template(parts: [.placeholder(.variable("expected"), offset: 0)], source: "{{expected}}")))),
        (
            "{ id: \"{{id}}\" }",
            .equals(
                .object([.init(key: Template(literal: "id"), value: .template(Template(parts: [.placeholder(.variable("id"), offset: 0)], source: "{{id}}")))]))
        ),
        ("{}", .equals(.object([]))),
    ])
    func matcherForms(_ yaml: String, _ expected: Matcher) throws {
        let c = try collection("requests:\n  - GET: http://h/\n    expect:\n      body:\n        a: \(yaml)\n")
        #expect(c.requests.first?.expect.body.first?.matcher == expected)
    }

    @Test func durationAloneMeansAtMost() throws {
        let c = try collection("requests:\n  - GET: http://h/\n    expect: { duration: 1.5s }\n")
        #expect(c.requests.first?.expect.durationMs == .all([.lte(.value(1500))]))
    }

    @Test func bareNumberDurationsAreSeconds() throws {
        let c = try collection("defaults: { timeout: 10 }\nrequests:\n  - GET: http://h/\n    timeout: 0.25\n")
        #expect(ms(c.defaults.timeout) == 10_000)
        #expect(ms(c.requests.first?.timeout) == 250)
    }

    @Test func anchorsAndMergeKeysWorkInCollections() throws {
        let yaml = """
            requests:
              - &base
                GET: http://h/a
                headers: { X-A: "1" }
              - <<: *base
                name: second
            """
        let c = try collection(yaml)
        #expect(c.requests.map(\.name) == ["GET http://h/a", "second"])
        #expect(c.requests[1].headers == [HeaderTemplate(name: "X-A", value: Template(literal: "1"))])
    }

    /// `\{{` writes a literal `{{` in every template; a `json:` string must send it without the backslash.
    @Test func escapedBracesInAJSONBodyLoseTheBackslash() throws {
        let c = try collection("requests:\n  - POST: http://h/\n    json:\n      text: \\{{notAVariable}}\n")
        guard case .json(let tree) = c.requests.first?.body else {
            Issue.record("expected a json body")
            return
        }
        #expect(try tree.resolve(TableResolver()) == ["text": "{{notAVariable}}"])
    }

    @Test func escapedBracesInAURLAreNotAPlaceholder() throws {
        let c = try collection("requests:\n  - GET: http://h/\\{{raw}}\n")
        #expect(c.requests.first?.url.isLiteral == true)
        #expect(try c.requests.first?.url.render(TableResolver()) == "http://h/{{raw}}")
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The repository's `collections/*.yaml`: path and text, in name order (the path, so that
    /// their `include:` fragments and `data:` files are found).
    static func seedCollections() throws -> [(file: String, text: String)] {
        let dir = repositoryRoot.appendingPathComponent("collections")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }.sorted()
        try #require(!files.isEmpty)
        return try files.map { (dir.path + "/" + $0, try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)) }
    }

    @Test func seedCollectionsLoad() throws {
        for (file, text) in try Self.seedCollections() {
            let loaded = try collection(text, file: file)
            #expect(!loaded.requests.isEmpty, "\(file)")
            // A data-driven one is checked as each row runs it.
            let runs = loaded.runsPerDataRow(commandLine: nil, allowed: [])
            #expect(runs.diagnostics.isEmpty, "\(runs.diagnostics)")
            for c in runs.collections {
                #expect(ReferenceCheck.undefinedVariables(in: c, known: ["api", "baseUrl"]).isEmpty, "\(file)")
            }
        }
    }
}

@Suite struct RequestKeySlotTests {
    /// Every request key has a slot (a key added without growing them crashed the loader).
    @Test func everyKeyHasASlot() {
        #expect(RequestKeys.Key.allCases.count <= RequestKeys.slotCount)
    }
}
