import Hummingbird
import Testing

@testable import XProtectEmulator

@Suite struct CameraTests {
    @Test func listsEnabledCamerasWithRealisticFields() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let list = try await h.api(.get, "/cameras", token: token)
            #expect(list.status == 200)
            #expect(list.count("array") == 4)
            #expect(list.string("array.0.id") == Seeded.ptzCamera)
            #expect(list.value("array.0.ptzEnabled") == .bool(true))
            #expect(list.value("array.2.ptzEnabled") == .bool(false))
            #expect(list.string("array.0.createdDate") == "0001-01-01T00:00:00.0000000")
            #expect(list.string("array.0.recordingStorage.type") == "storages")
            #expect(list.string("array.0.relations.parent.type") == "hardware")
            #expect(list.string("array.0.relations.self.id") == Seeded.ptzCamera)
            #expect(list.string("array.0.failoverSetting") == "FullSupport")
            #expect(list.int("array.0.prebufferSeconds") == 3)
            #expect(list.text.contains(#""recordingFramerate" : 5,"#))
            #expect(list.text.hasPrefix(#"{  "array" :  [ {  "displayName" : "#))
            let ids = (0..<4).compactMap { list.string("array.\($0).id") }
            #expect(!ids.contains(Seeded.disabledCamera))
            #expect(ids.allSatisfy { $0 == $0.lowercased() })
        }
    }

    @Test func disabledFlagIncludesDisabledCameras() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            for query in ["?disabled", "?Disabled=", "?DISABLED=true"] {
                let list = try await h.api(.get, "/cameras" + query, token: token)
                #expect(list.count("array") == 5, "\(query)")
                #expect(list.string("array.4.id") == Seeded.disabledCamera)
                #expect(list.value("array.4.enabled") == .bool(false))
            }
            #expect(try await h.api(.get, "/cameras?disabled=false", token: token).count("array") == 4)
        }
    }

    @Test func paging() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let first = try await h.api(.get, "/cameras?page=0&size=2", token: token)
            #expect(first.count("array") == 2)
            #expect(first.string("array.0.id") == Seeded.ptzCamera)
            let second = try await h.api(.get, "/cameras?PAGE=1&Size=2", token: token)
            #expect(second.count("array") == 2)
            #expect(second.string("array.0.id") == Seeded.fixedCamera)
            let withDisabled = try await h.api(.get, "/cameras?page=2&size=2&disabled", token: token)
            #expect(withDisabled.count("array") == 1)
            #expect(withDisabled.string("array.0.id") == Seeded.disabledCamera)
            let beyond = try await h.api(.get, "/cameras?page=9&size=2", token: token)
            #expect(beyond.text == #"{  "array" :  [  ] }"#)
            let bad = try await h.api(.get, "/cameras?page=-1&size=2", token: token)
            #expect(bad.status == 400)
            #expect(bad.string("error.details.0.property") == "page")
        }
    }

    @Test func getByIdAndFlags() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let got = try await h.api(.get, "/CAMERAS/\(Seeded.ptzCamera.uppercased())", token: token)
            #expect(got.status == 200)
            #expect(got.string("data.id") == Seeded.ptzCamera)
            let disabled = try await h.api(.get, "/cameras/\(Seeded.disabledCamera)", token: token)
            #expect(disabled.status == 200)
            let tasks = try await h.api(.get, "/cameras/\(Seeded.ptzCamera)?tasks&noData", token: token)
            #expect(tasks.value("data") == nil)
            #expect(tasks.string("tasks.0.id") == "GetOtherRecordingServersWithMedia")
            let ids = (0..<(tasks.count("tasks") ?? 0)).compactMap { tasks.string("tasks.\($0).id") }
            #expect(ids.contains("SetPtzAbsolutePosition"))
            let resources = try await h.api(.get, "/cameras/\(Seeded.ptzCamera)?resources&noData", token: token)
            #expect(resources.string("resources.0.type") == "ptzPresets")
            let missing = try await h.api(.get, "/cameras/00000000-0000-0000-0000-000000000000", token: token)
            #expect(missing.status == 404)
            #expect(missing.string("error.details.0.errorText") == "Not Found, the requested id does not exist")
            let live = try await h.api(.get, "/cameras/\(Seeded.ptzCamera)/live", token: token)
            #expect(live.status == 404)
            #expect(live.string("error.details.0.errorText") == "Unknown resource: live")
        }
    }

    @Test func patchWritableFields() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let path = "/cameras/\(Seeded.fixedCamera)"
            let patched = try await h.api(
                .patch, path, body: #"{"name":"Lobby","recordingFramerate":12.5,"enabled":"false","id":"x","ptzEnabled":true}"#, token: token)
            #expect(patched.status == 200)
            #expect(patched.string("data.name") == "Lobby")
            #expect(patched.string("data.displayName") == "Lobby")
            #expect(patched.value("data.recordingFramerate") == .double(12.5))
            #expect(patched.value("data.enabled") == .bool(false))
            #expect(patched.string("data.id") == Seeded.fixedCamera)
            #expect(patched.value("data.ptzEnabled") == .bool(false))
            // The change is visible in the (cached) list: now disabled.
            let list = try await h.api(.get, "/cameras", token: token)
            #expect(list.count("array") == 3)
            let all = try await h.api(.get, "/cameras?disabled", token: token)
            #expect(all.string("array.2.name") == "Lobby")

            let bad = try await h.api(.patch, path, body: #"{"recordingEnabled":"maybe"}"#, token: token)
            #expect(bad.status == 400)
            #expect(bad.string("error.details.0.property") == "recordingEnabled")
            let failover = try await h.api(.patch, path, body: #"{"failoverSetting":"Sometimes"}"#, token: token)
            #expect(failover.status == 400)
            let put = try await h.api(.put, path, body: #"{"failoverSetting":"LiveOnly"}"#, token: token)
            #expect(put.string("data.failoverSetting") == "LiveOnly")
            let delete = try await h.api(.delete, path, token: token)
            #expect(delete.status == 405)
            let post = try await h.api(.post, "/cameras", body: "{}", token: token)
            #expect(post.status == 405)
        }
    }

    @Test func cameraTasksAreListedButNotRun() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let run = try await h.api(.post, "/cameras/\(Seeded.ptzCamera)?task=RetrieveEdgeStorage", body: "{}", token: token)
            #expect(run.status == 501)
            let unknown = try await h.api(.post, "/cameras/\(Seeded.ptzCamera)?task=Fly", body: "{}", token: token)
            #expect(unknown.status == 400)
        }
    }

    @Test func unknownResources() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            for name in ["recordings", "sequences", "playback", "investigations"] {
                let answer = try await h.api(.get, "/\(name)", token: token)
                #expect(answer.status == 404)
                #expect(answer.text == #"{  "error" : {  "httpCode" : 404,  "details" :  [ {  "errorText" : "Unknown resource: \#(name)" } ] } }"#)
            }
        }
    }

    @Test func sites() async throws {
        try await withEmulator(profile: "2024r2") { h in
            let token = try await h.token()
            let list = try await h.api(.get, "/sites", token: token)
            #expect(list.count("array") == 1)
            #expect(list.string("array.0.version") == "24.2.0.1")
            #expect(list.string("array.0.id") == Seeded.site)
            let one = try await h.api(.get, "/sites/\(Seeded.site)", token: token)
            #expect(one.string("data.version") == "24.2.0.1")
            #expect(try await h.api(.get, "/sites/\(Seeded.ptzCamera)", token: token).status == 404)
        }
    }
}
