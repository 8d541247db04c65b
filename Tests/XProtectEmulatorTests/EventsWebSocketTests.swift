import Hummingbird
import HummingbirdWSClient
import Testing
import VigilJSON

@testable import XProtectEmulator

/// The Events and State WebSocket at `/api/ws/events/v1`, against an emulator on a loopback port.
@Suite struct EventsWebSocketTests {
    static let alarmTrigger = SeedData.alarmTriggerEventID
    static let startRecording = Seeded.startRecording
    static let everyUserDefinedEvent = #"{"modifier":"include","resourceTypes":["userDefinedEvents"],"sourceIds":["*"],"eventTypes":["*"]}"#

    static func startSession(_ id: Int = 1, session: String = "", event: String = "") -> String {
        #"{"command":"startSession","commandId":\#(id),"sessionId":"\#(session)","eventId":"\#(event)"}"#
    }

    static func subscribe(_ id: Int, _ filters: String...) -> String {
        #"{"command":"addSubscription","commandId":\#(id),"filters":[\#(filters.joined(separator: ","))]}"#
    }

    @Test(arguments: ["2023 R2", "2023 R3", "2024 R1"])
    func upgradeRefusedBeforeItsReleaseAndWithoutAToken(profile: String) async throws {
        try await withEmulator(profile: profile) { h in
            let token = try await h.token()
            if profile == "2023 R2" {
                let answer = try await h.upgradeRequest(token: token)
                #expect(answer.status == 404)
                #expect(answer.text.isEmpty)
                let refused = await SocketProbe(h, token: token).closed()
                #expect(throws: WebSocketClientError.webSocketUpgradeFailed) { try refused.get() }
                return
            }
            let bogus = try await h.upgradeRequest(token: "not-a-token")
            #expect(bogus.status == 401)
            #expect(bogus.header("WWW-Authenticate") == "Bearer")
            #expect(bogus.string("error.details.0.errorText") == "Unauthorized")
            #expect(try await h.upgradeRequest("/api/ws/other/v1", token: token).status == 404)
            #expect(try await h.request(.get, EventsWebSocket.path, token: token).status == 400)
            #expect(try await h.request(.get, EventsWebSocket.path).status == 401)
            if profile == "2023 R3" {
                #expect(try await h.upgradeRequest().status == 401)
                let refused = await SocketProbe(h).closed()
                #expect(throws: WebSocketClientError.webSocketUpgradeFailed) { try refused.get() }
            } else {
                // 2024 R1: the upgrade succeeds without a token, but only `authenticate` is accepted first.
                let socket = SocketProbe(h)
                let answer = try await socket.command(Self.startSession())
                #expect(answer.int("status") == 401)
                #expect(answer.string("error.errorText") == "Unauthorized")
                #expect(try await socket.closed().get()?.closeCode == .policyViolation)
            }
            let socket = SocketProbe(h, token: token)
            let started = try await socket.command(Self.startSession(7))
            #expect(started.int("commandId") == 7)
            #expect(started.int("status") == 201)
            #expect(started.string("sessionId")?.count == 36)
            #expect(started.int("inactiveTimeoutSeconds") == (profile == "2023 R3" ? nil : 30))
            await socket.close()
        }
    }

    @Test func authenticateCommandFrom2024R1() async throws {
        try await withEmulator(profile: "2024 R1") { h in
            let token = try await h.token()
            let wrong = SocketProbe(h)
            let refused = try await wrong.command(#"{"command":"authenticate","commandId":1,"token":"Bearer nope"}"#)
            #expect(refused.int("status") == 401)
            #expect(try await wrong.closed().get()?.closeCode == .policyViolation)

            let socket = SocketProbe(h)
            let ok = try await socket.command(#"{"command":"authenticate","commandId":1,"token":"Bearer \#(token)"}"#)
            #expect(ok.int("commandId") == 1)
            #expect(ok.int("status") == 200)
            #expect(try await socket.command(Self.startSession(2)).int("status") == 201)
            await socket.close()
        }
        try await withEmulator(profile: "2023 R3") { h in
            let token = try await h.token()
            let socket = SocketProbe(h, token: token, path: EventsWebSocket.path + "/")  // the samples' trailing slash
            let answer = try await socket.command(#"{"command":"authenticate","commandId":3,"token":"Bearer \#(token)"}"#)
            #expect(answer.int("status") == 400)
            #expect(answer.string("error.errorText") == "Bad Request - unknown command: authenticate")
            #expect(try await socket.command(Self.startSession(4)).int("status") == 201)
            await socket.close()
        }
    }

    @Test func eventTriggeredThroughRESTArrivesAndAResumedSessionReplaysWhatItMissed() async throws {
        try await withEmulator(profile: "2024 R2") { h in
            let token = try await h.token()
            let first = SocketProbe(h, token: token)
            let started = try await first.command(Self.startSession())
            #expect(started.int("status") == 201)
            let session = try #require(started.string("sessionId"))
            let subscribed = try await first.command(Self.subscribe(2, Self.everyUserDefinedEvent))
            #expect(subscribed.int("status") == 200)
            #expect(subscribed.int("subscriptionId") == 1)

            let e1 = try await h.trigger(Self.startRecording, token: token)
            let pushed = try await first.next()
            #expect(pushed.at("events")?.arrayValue?.count == 1)
            #expect(pushed.string("events.0.id") == e1)
            #expect(pushed.string("events.0.type") == Self.startRecording)
            #expect(pushed.string("events.0.source") == "userDefinedEvents/\(Self.startRecording)")
            #expect(pushed.string("events.0.time")?.hasSuffix("Z") == true)
            await first.close()

            let e2 = try await h.trigger(Self.alarmTrigger, token: token)
            let e3 = try await h.trigger(Self.startRecording, token: token)
            let second = SocketProbe(h, token: token)
            let resumed = try await second.command(Self.startSession(5, session: session, event: e1))
            #expect(resumed.int("commandId") == 5)
            #expect(resumed.int("status") == 200)
            #expect(resumed.string("sessionId") == session)
            let replay = try await second.next()
            #expect(replay.at("events")?.arrayValue?.compactMap { $0["id"]?.stringValue } == [e2, e3])
            // The subscription came back with the session.
            let e4 = try await h.trigger(Self.startRecording, token: token)
            #expect(try await second.next().string("events.0.id") == e4)
            await second.close()

            let unknown = SocketProbe(h, token: token)
            let fresh = try await unknown.command(Self.startSession(1, session: "00000000-0000-4000-8000-000000000000"))
            #expect(fresh.int("status") == 201)
            #expect(fresh.string("sessionId") != session)
            await unknown.close()
        }
    }

    @Test func aSessionStartedOnAnotherConnectionMovesThere() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let first = SocketProbe(h, token: token)
            let session = try #require(try await first.command(Self.startSession()).string("sessionId"))
            _ = try await first.command(Self.subscribe(2, Self.everyUserDefinedEvent))
            let second = SocketProbe(h, token: token)
            #expect(try await second.command(Self.startSession(1, session: session)).int("status") == 200)
            let event = try await h.trigger(Self.startRecording, token: token)
            #expect(try await second.next().string("events.0.id") == event)
            let orphan = try await first.command(Self.subscribe(3, Self.everyUserDefinedEvent))
            #expect(orphan.int("status") == 400)
            #expect(first.pending.isEmpty)
            await first.close()
            await second.close()
        }
    }

    @Test func aSessionDetachedLongerThanTheTimeoutStartsAfresh() async throws {
        try await withEmulator(configure: { $0.eventSessionTimeout = .milliseconds(200) }) { h in
            let token = try await h.token()
            let first = SocketProbe(h, token: token)
            let session = try #require(try await first.command(Self.startSession()).string("sessionId"))
            await first.close()
            try await Task.sleep(for: .milliseconds(400))
            let second = SocketProbe(h, token: token)
            let answer = try await second.command(Self.startSession(2, session: session))
            #expect(answer.int("status") == 201)
            #expect(answer.int("inactiveTimeoutSeconds") == 1)  // whole seconds, rounded up
            #expect(answer.string("sessionId") != session)
            await second.close()
        }
    }

    @Test func filtersDecideWhatIsPushed() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let socket = SocketProbe(h, token: token)
            _ = try await socket.command(Self.startSession())
            // Every user-defined event except the alarm trigger.
            let exclude = #"{"modifier":"exclude","resourceTypes":["*"],"sourceIds":["*"],"eventTypes":["\#(Self.alarmTrigger.uppercased())"]}"#
            let subscribed = try await socket.command(Self.subscribe(2, Self.everyUserDefinedEvent, exclude))
            #expect(subscribed.int("status") == 200)
            _ = try await h.trigger(Self.alarmTrigger, token: token)
            let included = try await h.trigger(Self.startRecording, token: token)
            #expect(try await socket.next().string("events.0.id") == included)

            // A second subscription on one source only: the alarm trigger now passes through it.
            let only = #"{"modifier":"include","resourceTypes":["userDefinedEvents"],"sourceIds":["\#(Self.alarmTrigger)"],"eventTypes":["*"]}"#
            let second = try await socket.command(Self.subscribe(3, only))
            #expect(second.int("subscriptionId") == 2)
            let trigger = try await h.trigger(Self.alarmTrigger, token: token)
            #expect(try await socket.next().string("events.0.id") == trigger)

            // Without the first subscription, only the alarm trigger is pushed.
            let removed = try await socket.command(#"{"command":"removeSubscription","commandId":4,"subscriptionId":1}"#)
            #expect(removed.int("status") == 200)
            let again = try await socket.command(#"{"command":"removeSubscription","commandId":5,"subscriptionId":1}"#)
            #expect(again.int("status") == 404)
            _ = try await h.trigger(Self.startRecording, token: token)
            let last = try await h.trigger(Self.alarmTrigger, token: token)
            #expect(try await socket.next().string("events.0.id") == last)
            #expect(socket.pending.isEmpty)

            let invalid = try await socket.command(#"{"command":"addSubscription","commandId":6,"filters":[{"modifier":"maybe"}]}"#)
            #expect(invalid.int("status") == 400)
            #expect(invalid.string("error.errorText") == "Bad Request - filters[0].modifier must be include or exclude")
            await socket.close()
        }
    }

    @Test func getStateFollowsTheSubscriptions() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let socket = SocketProbe(h, token: token)
            let early = try await socket.command(#"{"command":"getState","commandId":1}"#)
            #expect(early.int("status") == 400)
            #expect(early.string("error.errorText") == "Bad Request - no session: send startSession first")
            _ = try await socket.command(Self.startSession(2))
            #expect(try await socket.command(#"{"command":"getState","commandId":3}"#).at("states")?.arrayValue?.isEmpty == true)
            let cameras = #"{"modifier":"include","resourceTypes":["cameras"],"sourceIds":["*"],"eventTypes":["*"]}"#
            _ = try await socket.command(Self.subscribe(4, cameras))
            let state = try await socket.command(#"{"command":"getState","commandId":5}"#)
            #expect(state.int("status") == 200)
            let enabled = try await h.api(.get, "/cameras", token: token).count("array")
            #expect(state.at("states")?.arrayValue?.count == enabled)
            #expect(state.string("states.0.source") == "cameras/\(Seeded.ptzCamera)")
            #expect(state.string("states.0.stategroupid") == SeedData.motionStateGroupID)
            await socket.close()
        }
    }

    @Test(arguments: ["not json", #"["startSession"]"#, #"{"command":"startSession"}"#, #"{"commandId":1}"#])
    func malformedCommandClosesTheSocket(command: String) async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let socket = SocketProbe(h, token: token)
            let unknown = try await socket.command(#"{"command":"dance","commandId":1}"#)
            #expect(unknown.int("status") == 400)
            #expect(unknown.string("error.errorText") == "Bad Request - unknown command: dance")
            socket.send(command)
            let close = try await socket.closed().get()
            #expect(close?.closeCode == .policyViolation)
            #expect(close?.reason?.hasPrefix("Malformed command") == true)
            #expect(socket.pending.isEmpty)
        }
    }

    @Test func shutdownClosesOpenSockets() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        let h = Harness(emulator: emulator)
        let socket = SocketProbe(h, token: try await h.token())
        #expect(try await socket.command(Self.startSession()).int("status") == 201)
        let clock = ContinuousClock()
        let start = clock.now
        await emulator.shutdown()
        _ = await socket.closed()
        #expect(clock.now - start < .seconds(3))
    }

    @Test func injected5xxRefusesTheUpgrade() async throws {
        try await withEmulator(configure: { $0.faults = EmulatorFaults(serverErrorRate: 1, serverErrorStatus: 503) }) { h in
            let answer = try await h.upgradeRequest()
            #expect(answer.status == 503)
            #expect(answer.string("error.details.0.errorText") == "Service Unavailable")
        }
    }

    @Test func wsDropFaultClosesTheConnectionAfterNFrames() async throws {
        #expect(try EmulatorFaults(parsing: "ws-drop=2").webSocketDropAfterFrames == 2)
        #expect(throws: EmulatorError.self) { try EmulatorFaults(parsing: "ws-drop=0") }
        try await withEmulator(configure: { $0.faults = EmulatorFaults(webSocketDropAfterFrames: 3) }) { h in
            let token = try await h.token()
            let socket = SocketProbe(h, token: token)
            let session = try #require(try await socket.command(Self.startSession()).string("sessionId"))
            _ = try await socket.command(Self.subscribe(2, Self.everyUserDefinedEvent))
            let e1 = try await h.trigger(Self.startRecording, token: token)
            #expect(try await socket.next().string("events.0.id") == e1)
            // The third frame was the last: the connection ends without a close frame.
            if case .success(let frame) = await socket.closed() { #expect(frame == nil) }
            // The session survives the drop: the event pushed meanwhile is replayed on resume.
            let e2 = try await h.trigger(Self.startRecording, token: token)
            let again = SocketProbe(h, token: token)
            #expect(try await again.command(Self.startSession(1, session: session, event: e1)).int("status") == 200)
            #expect(try await again.next().string("events.0.id") == e2)
            await again.close()
        }
    }
}
