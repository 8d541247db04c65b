import Hummingbird
import Testing

@testable import XProtectEmulator

@Suite struct PTZAndTaskTests {
    @Test func presetListAndTaskList() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let list = try await h.api(.get, "/cameras/\(Seeded.ptzCamera)/ptzPresets", token: token)
            #expect(list.count("array") == 3)
            #expect(list.string("array.0.name") == "Home")
            #expect(list.value("array.0.defaultPreset") == .bool(true))
            #expect(list.string("array.1.relations.parent.id") == Seeded.ptzCamera)
            // The Python sample's spelling: lower-case path, value-less flags.
            let tasks = try await h.api(.get, "/cameras/\(Seeded.ptzCamera)/ptzpresets?tasks&noData", token: token)
            #expect(
                tasks.text
                    == #"{  "tasks" :  [ {  "id" : "DefaultPtzPreset",  "displayName" : "Set default PTZ preset" }, {  "id" : "GetDevicePresets",  "displayName" : "Get presets from camera" } ] }"#
            )
            let both = try await h.api(.get, "/cameras/\(Seeded.ptzCamera)/ptzPresets?tasks", token: token)
            #expect(both.count("array") == 3)
            #expect(both.count("tasks") == 2)
        }
    }

    @Test func nonPTZCameraHasNoPresetsAndNoTasks() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let base = "/cameras/\(Seeded.fixedCamera)/ptzPresets"
            #expect(try await h.api(.get, base, token: token).text == #"{  "array" :  [  ] }"#)
            #expect(try await h.api(.get, base + "?tasks&noData", token: token).text == #"{  "tasks" :  [  ] }"#)
            let invoke = try await h.api(.post, base + "?task=GetDevicePresets", body: #"{"sessionDataId":0}"#, token: token)
            #expect(invoke.status == 400)
            #expect(invoke.string("error.details.0.errorText") == "Bad request: Unknown task: GetDevicePresets")
            let create = try await h.api(.post, base, body: #"{"name":"x"}"#, token: token)
            #expect(create.status == 400)
        }
    }

    @Test func taskProgressesToSuccessAndIsCleanedUp() async throws {
        try await withEmulator(configure: { $0.taskDuration = .milliseconds(1500) }) { h in
            let token = try await h.token()
            let invoke = try await h.api(
                .post, "/cameras/\(Seeded.ptzCamera)/ptzPresets?task=GetDevicePresets", body: #"{"sessionDataId": 0}"#, token: token)
            #expect(invoke.status == 200)
            #expect(invoke.text.hasPrefix(#"{  "result" : {  "sessionDataId" : 0,  "state" : "Idle",  "path" : {  "type" : "tasks",  "id" : ""#))
            let taskID = try #require(invoke.string("result.path.id"))
            #expect(Int(taskID) != nil)

            let first = try await h.api(.get, "/tasks/\(taskID)", token: token)
            #expect(first.string("data.state") == "Idle")
            #expect(first.int("data.progress") == 0)
            #expect(first.string("data.displayName") == "invokeResult")
            #expect(first.string("data.cameraPath.id") == Seeded.ptzCamera)
            #expect(first.value("data.affectedProfileIds") == .array([]))
            #expect(first.string("data.relations.self.id") == taskID)
            #expect(first.string("data.relations.parent.type") == "sites")

            // Poll as a client would; states only move forward and progress only rises.
            var seen: [(String, Int)] = []
            var done = first
            for _ in 0..<60 {
                try await Task.sleep(for: .milliseconds(100))
                done = try await h.api(.get, "/tasks/\(taskID)", token: token)
                seen.append((done.string("data.state") ?? "?", done.int("data.progress") ?? -1))
                if done.string("data.state") == "Success" { break }
            }
            let order = ["Idle": 0, "InProgress": 1, "Success": 2]
            #expect(seen.contains { $0.0 == "InProgress" && $0.1 > 0 && $0.1 < 100 })
            #expect(zip(seen, seen.dropFirst()).allSatisfy { order[$0.0]! <= order[$1.0]! && $0.1 <= $1.1 })
            #expect(done.string("data.state") == "Success")
            #expect(done.int("data.progress") == 100)
            #expect(done.value("data.errorCode") == nil)
            let session = try #require(done.int("data.sessionDataId"))
            #expect(session > 0)

            let list = try await h.api(.get, "/tasks", token: token)
            #expect(list.count("array") == 1)
            let cleanupTasks = try await h.api(.get, "/tasks/\(taskID)?tasks&noData", token: token)
            #expect(cleanupTasks.string("tasks.0.id") == "TaskCleanup")
            #expect(cleanupTasks.string("tasks.0.displayName") == "Finish")

            let cleanup = try await h.api(.post, "/tasks/\(taskID)?task=TaskCleanup", body: "{}", token: token)
            #expect(cleanup.status == 200)
            #expect(cleanup.text == #"{  "result" : {  "state" : "Success" } }"#)
            #expect(try await h.api(.get, "/tasks/\(taskID)", token: token).status == 404)
            #expect(try await h.api(.get, "/tasks", token: token).text == #"{  "array" :  [  ] }"#)
        }
    }

    @Test func twoStepGetDevicePresets() async throws {
        try await withEmulator(configure: { $0.taskDuration = .zero }) { h in
            let token = try await h.token()
            let base = "/cameras/\(Seeded.ptzCamera)/ptzPresets"
            let step1 = try await h.api(.post, base + "?task=GetDevicePresets", body: #"{"sessionDataId":0}"#, token: token)
            let task1 = try #require(step1.string("result.path.id"))
            let done1 = try await h.api(.get, "/tasks/\(task1)", token: token)
            let session = try #require(done1.int("data.sessionDataId"))
            #expect(session != 0)
            #expect(try await h.api(.get, base, token: token).count("array") == 3)

            let step2 = try await h.api(.post, base + "?task=GetDevicePresets", body: #"{"sessionDataId":\#(session)}"#, token: token)
            #expect(step2.status == 200)
            #expect(step2.int("result.sessionDataId") == session)
            let task2 = try #require(step2.string("result.path.id"))
            #expect(task2 != task1)
            let done2 = try await h.api(.get, "/tasks/\(task2)", token: token)
            #expect(done2.string("data.state") == "Success")
            #expect(done2.int("data.sessionDataId") == session)
            let presets = try await h.api(.get, base, token: token)
            #expect(presets.count("array") == 5)
            #expect(presets.string("array.3.name") == "Device preset 1")
            #expect(presets.value("array.3.devicePreset") == .bool(true))

            // A session id is good for one second step only.
            let reused = try await h.api(.post, base + "?task=GetDevicePresets", body: #"{"sessionDataId":\#(session)}"#, token: token)
            #expect(reused.status == 400)
            #expect(reused.string("error.details.0.property") == "sessionDataId")
        }
    }

    @Test func defaultPtzPresetTask() async throws {
        try await withEmulator(configure: { $0.taskDuration = .zero }) { h in
            let token = try await h.token()
            let base = "/cameras/\(Seeded.ptzCamera)/ptzPresets"
            let invoke = try await h.api(
                .post, base + "?task=DefaultPtzPreset", body: #"{"itemSelection":"PtzPreset[\#(Seeded.entrancePreset)]"}"#, token: token)
            #expect(invoke.status == 200)
            let task = try #require(invoke.string("result.path.id"))
            #expect(try await h.api(.get, "/tasks/\(task)", token: token).string("data.state") == "Success")
            let preset = try await h.api(.get, base + "/\(Seeded.entrancePreset)", token: token)
            #expect(preset.value("data.defaultPreset") == .bool(true))
            let home = try await h.api(.get, base + "/\(Seeded.homePreset)", token: token)
            #expect(home.value("data.defaultPreset") == .bool(false))
            let plain = try await h.api(.post, base + "?task=DefaultPtzPreset", body: #"{"sessionDataId":0}"#, token: token)
            #expect(plain.string("result.state") == "Idle")
            let bad = try await h.api(.post, base + "?task=DefaultPtzPreset", body: #"{"itemSelection":"PtzPreset[nope]"}"#, token: token)
            #expect(bad.status == 400)
        }
    }

    @Test func faultyCameraTasksEndInError() async throws {
        try await withEmulator(configure: { $0.taskDuration = .milliseconds(50) }) { h in
            let token = try await h.token()
            let invoke = try await h.api(
                .post, "/cameras/\(Seeded.faultyCamera)/ptzPresets?task=GetDevicePresets", body: #"{"sessionDataId":0}"#, token: token)
            #expect(invoke.status == 200)
            let task = try #require(invoke.string("result.path.id"))
            try await Task.sleep(for: .milliseconds(80))
            let done = try await h.api(.get, "/tasks/\(task)", token: token)
            #expect(done.string("data.state") == "Error")
            #expect(done.int("data.progress") == 100)
            #expect(done.int("data.errorCode") == 61008)
            #expect(done.string("data.errorText")?.hasPrefix("VMO61008") == true)
            #expect(done.int("data.sessionDataId") == 0)
        }
    }

    @Test func presetCrudAndGoto() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let base = "/cameras/\(Seeded.ptzCamera2)/ptzPresets"
            let created = try await h.api(.post, base, body: #"{"name":"Gate","pan":0.5,"tilt":-0.25,"zoom":1}"#, token: token)
            #expect(created.status == 201)
            let id = try #require(created.string("result.id"))
            #expect(created.value("result.pan") == .double(0.5))
            #expect(created.value("result.zoom")?.doubleValue == 1)
            #expect(created.text.contains(#""zoom" : 1,"#))
            let got = try await h.api(.get, base + "/\(id)?tasks", token: token)
            #expect(got.string("data.name") == "Gate")
            #expect(got.string("tasks.0.id") == "Goto")
            let goto = try await h.api(.post, base + "/\(id)?task=Goto", token: token)
            #expect(goto.status == 200)
            #expect(goto.text == #"{  "result" : {  "state" : "Success" } }"#)
            let deleted = try await h.api(.delete, base + "/\(id)", token: token)
            #expect(deleted.text == #"{  "state" : "Success" }"#)
            #expect(try await h.api(.get, base + "/\(id)", token: token).status == 404)
            let faultyGoto = try await h.api(
                .post, "/cameras/\(Seeded.faultyCamera)/ptzPresets/5b4c3d2e-1f0a-4b9c-8d7e-6f5a4b3c2d01?task=Goto", token: token)
            #expect(faultyGoto.status == 502)
        }
    }

    @Test func gotoDoesNotExistBefore2024R2() async throws {
        try await withEmulator(profile: "2024 R1") { h in
            let token = try await h.token()
            let path = "/cameras/\(Seeded.ptzCamera)/ptzPresets/\(Seeded.homePreset)"
            let goto = try await h.api(.post, path + "?task=Goto", token: token)
            #expect(goto.status == 400)
            #expect(goto.string("error.details.0.errorText") == "Bad request: Unknown task: Goto")
            #expect(try await h.api(.get, path + "?tasks&noData", token: token).text == #"{  "tasks" :  [  ] }"#)
        }
    }

    @Test func taskErrors() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            #expect(try await h.api(.get, "/tasks/999", token: token).status == 404)
            #expect(try await h.api(.post, "/tasks/999?task=TaskCleanup", body: "{}", token: token).status == 404)
            let invoke = try await h.api(
                .post, "/cameras/\(Seeded.ptzCamera)/ptzPresets?task=GetDevicePresets", body: #"{"sessionDataId":0}"#, token: token)
            let task = try #require(invoke.string("result.path.id"))
            let wrong = try await h.api(.post, "/tasks/\(task)?task=TaskStop", body: "{}", token: token)
            #expect(wrong.status == 400)
            // The .NET sample sends an empty JSON string as the cleanup body.
            let cleanup = try await h.api(.post, "/tasks/\(task)?task=TaskCleanup", body: #""""#, token: token)
            #expect(cleanup.status == 200)
            let unknownSession = try await h.api(
                .post, "/cameras/\(Seeded.ptzCamera)/ptzPresets?task=GetDevicePresets", body: #"{"sessionDataId":77}"#, token: token)
            #expect(unknownSession.status == 400)
        }
    }
}
