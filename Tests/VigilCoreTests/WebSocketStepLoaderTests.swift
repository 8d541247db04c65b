import Testing
import VigilYAML

@testable import VigilCore

@Suite("CollectionLoader: WebSocket steps")
struct WebSocketStepLoaderTests {
    @Test func decodesAnOpeningStepAndAReceiveStep() throws {
        let yaml = """
            requests:
              - name: Subscribe
                WS: "{{wsEvents}}"
                headers: { X-Trace: "1" }
                send:
                  - { command: startSession, commandId: 1, sessionId: "", eventId: "" }
                  - "plain text"
                expect:
                  - { commandId: 1, status: 201 }
                  - { status: { in: [200, 201] } }
                capture: { sessionId: { message: 1, path: sessionId } }
                keepOpen: events
              - receive: events
                until: { "events[0].type": "{{udeId}}" }
                timeout: 5s
            """
        let c = try CollectionLoader.load(yaml, file: "c.yaml")
        let open = c.requests[0]
        #expect(open.method == "WS")
        #expect(open.url.source == "{{wsEvents}}")
        #expect(open.headers.first?.name == "X-Trace")
        let step = try #require(open.webSocket)
        #expect(step.send.count == 2)
        #expect(step.expect.map(\.count) == [2, 1])
        #expect(step.keepOpen == "events")
        #expect(step.receive == nil)
        #expect(open.captures.first?.message == 1)
        let receive = c.requests[1]
        #expect(receive.method == "RECEIVE")
        #expect(receive.name == "receive events")
        #expect(receive.webSocket?.receive == "events")
        #expect(receive.webSocket?.until.count == 1)
        #expect(receive.timeout == .seconds(5))
    }

    static let errors: [ErrorCase] = [
        ErrorCase(
            "receive of a connection nobody keeps open",
            "requests:\n  - WS: ws://h/\n    keepOpen: events\n  - receive: evnets\n",
            ["c.yaml:4:14: receive: 'evnets' is not a connection an earlier step keeps open (did you mean 'events'?)"]),
        ErrorCase(
            "receive before any keepOpen",
            "requests:\n  - receive: events\n",
            ["c.yaml:2:14: receive: 'events' is not a connection an earlier step keeps open (no earlier step has keepOpen:)"]),
        ErrorCase(
            "unknown key in a WS step",
            "requests:\n  - WS: ws://h/\n    sned: []\n",
            ["c.yaml:3:5: unknown key 'sned' in a request (did you mean 'send'?)"]),
        ErrorCase(
            "an HTTP key in a WS step",
            "requests:\n  - WS: ws://h/\n    json: { a: 1 }\n",
            ["c.yaml:3:5: 'json' does not apply to a WS step"]),
        ErrorCase(
            "send in a receive step",
            "requests:\n  - WS: ws://h/\n    keepOpen: e\n  - receive: e\n    send: []\n",
            ["c.yaml:5:5: 'send' does not apply to a receive step"]),
        ErrorCase(
            "a method and WS",
            "requests:\n  - WS: ws://h/\n    GET: http://h/\n",
            ["c.yaml:3:5: a WebSocket step has no HTTP method; found GET"]),
        ErrorCase(
            "send in an HTTP request",
            "requests:\n  - GET: http://h/\n    send: []\n",
            ["c.yaml:3:5: 'send' belongs to a WebSocket step (WS: or receive:)"]),
        ErrorCase(
            "capture from a reply that is not expected",
            "requests:\n  - WS: ws://h/\n    expect: [ { a: 1 } ]\n    capture: { s: { message: 2, path: s } }\n",
            ["c.yaml:4:16: capture 's': message 2 is out of range (1 to 1, one per expect entry)"]),
        ErrorCase(
            "an expect entry that is not a mapping",
            "requests:\n  - WS: ws://h/\n    expect: [ 201 ]\n",
            ["c.yaml:3:15: each expect entry must be a mapping of JSONPath to expected value, e.g. { commandId: 1, status: 200 }"]),
    ]

    @Test(arguments: errors) func errorsAtTheirPlace(_ c: ErrorCase) { CollectionErrorTests.verify(c) }
}
