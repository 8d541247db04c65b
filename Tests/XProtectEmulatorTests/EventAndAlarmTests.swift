import Hummingbird
import Testing

@testable import XProtectEmulator

@Suite struct EventAndAlarmTests {
    static let alarmTrigger = "4c1a7e2d-9b3f-4e6a-8d5c-2f7b1e9a0c11"
    static let motionStarted = "6f6e2b1a-0c3d-4e5f-9a8b-7c6d5e4f3a01"
    static let inProgress = "1b5e8c3a-0004-4a6f-9c2d-8e7f6a5b4c04"
    static let high = "2c6f9d4b-0001-4b7a-8d3e-9f8a7b6c5d01"

    /// Every new resource per release: present from its release, `Unknown resource` before.
    @Test(arguments: ReleaseProfile.all)
    func presentFromTheirRelease(profile: ReleaseProfile) async throws {
        try await withEmulator(configure: { $0.profile = profile }) { h in
            let token = try await h.token()
            let eventsAndAlarms = profile >= ReleaseProfile(named: "2023 R2")!
            for resource in ["events", "alarms", "alarmStates", "alarmPriorities"] {
                let answer = try await h.api(.get, "/\(resource)", token: token)
                if eventsAndAlarms {
                    #expect(answer.status == 200, "\(profile) \(resource)")
                    #expect(answer.value("array") != nil, "\(profile) \(resource)")
                } else {
                    #expect(answer.status == 404, "\(profile) \(resource)")
                    #expect(answer.string("error.details.0.errorText") == "Unknown resource: \(resource)", "\(profile)")
                }
            }
            let trigger = try await h.api(.post, "/events", body: #"{"type":"\#(Self.alarmTrigger)"}"#, token: token)
            #expect(trigger.status == (eventsAndAlarms ? 202 : 404), "\(profile)")
            let bookmarks = try await h.api(.get, "/bookmarks", token: token)
            if profile >= ReleaseProfile(named: "2024 R2")! {
                #expect(bookmarks.status == 400, "\(profile)")
                #expect(bookmarks.string("error.details.0.errorText") == "Bad request: Unknown request", "\(profile)")
            } else {
                #expect(bookmarks.status == 404, "\(profile)")
                #expect(bookmarks.string("error.details.0.errorText") == "Unknown resource: bookmarks", "\(profile)")
            }
        }
    }

    @Test func triggerAndListEvents() async throws {
        try await withEmulator(profile: "2023 R2") { h in
            let token = try await h.token()
            #expect(try await h.api(.get, "/events", token: token).text == #"{  "array" :  [  ] }"#)
            let first = try await h.api(.post, "/events", body: #"{"type":"\#(Seeded.startRecording.uppercased())"}"#, token: token)
            #expect(first.status == 202)
            let firstID = try #require(first.string("data.id"))
            #expect(first.string("data.type") == Seeded.startRecording)
            #expect(first.string("data.source") == "userDefinedEvents/\(Seeded.startRecording)")
            #expect(first.string("data.time")?.hasSuffix("Z") == true)
            #expect(first.value("data.data") == nil)
            let second = try await h.api(.post, "/events?include=data", body: #"{"type":"\#(Self.alarmTrigger)"}"#, token: token)
            #expect(second.status == 202)
            #expect(second.string("data.data.typeName") == "Vigil alarm trigger")
            let secondID = try #require(second.string("data.id"))

            let list = try await h.api(.get, "/events?page=0&size=10&include=data", token: token)
            #expect(list.count("array") == 2)
            #expect(list.string("array.0.id") == secondID)  // newest first
            #expect(list.string("array.1.id") == firstID)
            #expect(list.string("array.1.data.sourceName") == "RequestStartRecording")
            let page = try await h.api(.get, "/events?page=1&size=1", token: token)
            #expect(page.count("array") == 1)
            #expect(page.string("array.0.id") == firstID)
            #expect(page.value("array.0.data") == nil)
            #expect(try await h.api(.get, "/events?page=2&size=1", token: token).count("array") == 0)
            #expect(try await h.api(.get, "/events?size=-1", token: token).status == 400)

            let one = try await h.api(.get, "/events/\(firstID.uppercased())", token: token)
            #expect(one.status == 200)
            #expect(one.string("data.id") == firstID)
            let missing = try await h.api(.get, "/events/00000000-0000-0000-0000-000000000000", token: token)
            #expect(missing.status == 404)
            #expect(missing.string("error.details.0.errorText") == "Not Found, the requested id does not exist")
            #expect(try await h.api(.delete, "/events/\(firstID)", token: token).status == 405)
            #expect(try await h.api(.put, "/events", token: token).status == 405)
        }
    }

    @Test func whatAUserMayTrigger() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let device = try await h.api(.post, "/events", body: #"{"type":"\#(Self.motionStarted)"}"#, token: token)
            #expect(device.status == 403)
            #expect(device.int("error.httpCode") == 403)
            #expect(device.string("error.details.0.errorText") == "Forbidden, you are not authorized to access this object")
            let unknown = try await h.api(.post, "/events", body: #"{"type":"00000000-0000-0000-0000-000000000000"}"#, token: token)
            #expect(unknown.status == 400)
            #expect(unknown.string("error.details.0.property") == "type")
            let missing = try await h.api(.post, "/events", body: "{}", token: token)
            #expect(missing.status == 400)
            #expect(missing.string("error.details.0.errorText") == "Bad Request - type is required")
            // A user-defined event created at run time is an event type too.
            let created = try await h.api(.post, "/userDefinedEvents", body: #"{"name":"Door forced"}"#, token: token)
            let id = try #require(created.string("result.id"))
            #expect(try await h.api(.post, "/events", body: #"{"type":"\#(id)"}"#, token: token).status == 202)
            #expect(try await h.api(.get, "/events", token: token).count("array") == 1)
            // No Trigger task on user-defined events (the facts list none).
            let task = try await h.api(.post, "/userDefinedEvents/\(id)?task=Trigger", body: "{}", token: token)
            #expect(task.status == 400)
            #expect(task.string("error.details.0.errorText") == "Bad request: Unknown task: Trigger")
            #expect(try await h.api(.get, "/events", token: token).count("array") == 1)
            // Without a token: 401 as everywhere.
            #expect(try await h.request(.get, "/api/rest/v1/events").status == 401)
        }
    }

    @Test func alarmStatesAndPriorities() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let states = try await h.api(.get, "/alarmStates", token: token)
            #expect(states.count("array") == 4)
            #expect((0..<4).map { states.string("array.\($0).name") } == ["New", "In progress", "On hold", "Closed"])
            #expect((0..<4).map { states.int("array.\($0).level") } == [1, 4, 9, 11])
            let priorities = try await h.api(.get, "/alarmPriorities", token: token)
            #expect((0..<3).map { priorities.string("array.\($0).name") } == ["High", "Medium", "Low"])
            let one = try await h.api(.get, "/alarmStates/\(Self.inProgress)", token: token)
            #expect(one.string("data.name") == "In progress")
            #expect(try await h.api(.get, "/alarmPriorities/\(Self.inProgress)", token: token).status == 404)
            #expect(try await h.api(.post, "/alarmStates", body: "{}", token: token).status == 405)
        }
    }

    @Test func raiseAndHandleAnAlarm() async throws {
        try await withEmulator(profile: "2024 R2") { h in
            let token = try await h.token()
            let body = #"{"name":"Door alarm","message":"Door forced open","source":"\#(Seeded.ptzCamera)"}"#
            let created = try await h.api(.post, "/alarms", body: body, token: token)
            #expect(created.status == 202)
            let id = try #require(created.string("data.id"))
            #expect(created.string("data.name") == "Door alarm")
            #expect(created.string("data.message") == "Door forced open")
            #expect(created.string("data.source") == "cameras/\(Seeded.ptzCamera)")
            #expect(created.string("data.stateName") == "New")
            #expect(created.string("data.priorityName") == "Medium")
            #expect(created.int("data.localId") == 1)

            let patch =
                #"{"state":"\#(Self.inProgress)","priority":"\#(Self.high)","comment":"On it","assignedTo.displayName":"admin","reasonForClosing":null}"#
            let patched = try await h.api(.patch, "/alarms/\(id)", body: patch, token: token)
            #expect(patched.status == 202)
            #expect(patched.string("data.state") == Self.inProgress)
            let got = try await h.api(.get, "/alarms/\(id)?include=data", token: token)
            #expect(got.status == 200)
            #expect(got.string("data.stateName") == "In progress")
            #expect(got.int("data.stateLevel") == 4)
            #expect(got.string("data.priority") == Self.high)
            #expect(got.string("data.priorityName") == "High")
            #expect(got.string("data.comment") == "On it")
            #expect(got.string("data.assignedTo.displayName") == "admin")
            #expect(got.string("data.reasonForClosing") == "")
            #expect(got.value("data.data") != nil)
            #expect(try await h.api(.get, "/alarms/\(id)", token: token).value("data.data") == nil)
            // null leaves a property as it is.
            let nulls = try await h.api(.patch, "/alarms/\(id)", body: #"{"state":null,"comment":null}"#, token: token)
            #expect(nulls.string("data.stateName") == "In progress")
            #expect(nulls.string("data.comment") == "On it")

            let badState = try await h.api(.patch, "/alarms/\(id)", body: #"{"state":"Closed"}"#, token: token)
            #expect(badState.status == 400)
            #expect(badState.string("error.details.0.property") == "state")
            let noSource = try await h.api(.post, "/alarms", body: #"{"name":"x","source":"nope"}"#, token: token)
            #expect(noSource.status == 400)
            #expect(noSource.string("error.details.0.property") == "source")
            #expect(try await h.api(.post, "/alarms", body: #"{"source":"\#(Seeded.ptzCamera)"}"#, token: token).status == 400)
            #expect(try await h.api(.put, "/alarms/\(id)", body: "{}", token: token).status == 405)
            #expect(try await h.api(.get, "/alarms/00000000-0000-0000-0000-000000000000", token: token).status == 404)

            let second = try await h.api(.post, "/alarms", body: body, token: token)
            let list = try await h.api(.get, "/alarms?page=0&size=1", token: token)
            #expect(list.count("array") == 1)
            #expect(list.string("array.0.id") == second.string("data.id"))  // newest first
            #expect(try await h.api(.get, "/alarms", token: token).count("array") == 2)
        }
    }

    @Test func theSeededAlarmDefinitionFires() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            _ = try await h.api(.post, "/events", body: #"{"type":"\#(Seeded.startRecording)"}"#, token: token)
            #expect(try await h.api(.get, "/alarms", token: token).count("array") == 0)
            let event = try await h.api(.post, "/events", body: #"{"type":"\#(Self.alarmTrigger)"}"#, token: token)
            let alarms = try await h.api(.get, "/alarms?include=data", token: token)
            #expect(alarms.count("array") == 1)
            #expect(alarms.string("array.0.name") == "Vigil alarm on user-defined event")
            #expect(alarms.string("array.0.source") == "userDefinedEvents/\(Self.alarmTrigger)")
            #expect(alarms.string("array.0.priorityName") == "High")
            #expect(alarms.string("array.0.stateName") == "New")
            #expect(alarms.string("array.0.data.event.id") == event.string("data.id"))
            #expect(alarms.string("array.0.data.alarmDefinition.type") == "alarmDefinitions")
        }
    }
}
