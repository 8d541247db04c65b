import Hummingbird
import Testing

@testable import XProtectEmulator

@Suite struct UserDefinedEventTests {
    @Test func seededSystemEvents() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let list = try await h.api(.get, "/userDefinedEvents", token: token)
            #expect(list.status == 200)
            #expect(list.count("array") == 4)
            #expect(list.string("array.0.id") == Seeded.startRecording)
            #expect(list.string("array.0.name") == "RequestStartRecording")
            #expect(list.string("array.0.subtype") == "System")
            #expect(list.string("array.1.id") == "77b1e70d-ba8d-4bb8-9ee8-43b09746d82a")
            #expect(list.string("array.2.name") == "RequestPlayAudio")
            // The user-defined event the seeded alarm definition fires on.
            #expect(list.string("array.3.id") == "4c1a7e2d-9b3f-4e6a-8d5c-2f7b1e9a0c11")
            #expect(list.string("array.3.name") == "Vigil alarm trigger")
            #expect(list.string("array.3.subtype") == "UserDefined")
            #expect(list.string("array.0.relations.self.type") == "userDefinedEvents")
            #expect(list.header("Content-Type") == "application/json; charset=utf-8")
            #expect(list.header("Cache-Control") == "no-cache")
            #expect(list.header("Pragma") == "no-cache")
            #expect(list.header("Expires") == "-1")
            #expect(list.header("X-Powered-By") == "ASP.NET")
            #expect(list.header("X-Frame-Options") == "SAMEORIGIN")
            #expect(list.header("Server") == "Microsoft-IIS/10.0")
        }
    }

    @Test func crudFlowOnLatestRelease() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            // The Python sample sends JSON without Content-Type.
            let created = try await h.api(.post, "/userDefinedEvents", body: #"{"name": "my Python event"}"#, token: token)
            #expect(created.status == 201)
            #expect(created.value("data") == nil)
            let id = try #require(created.string("result.id"))
            #expect(id.range(of: "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", options: .regularExpression) != nil)
            #expect(created.string("result.name") == "my Python event")
            #expect(created.string("result.displayName") == "my Python event")
            #expect(created.string("result.subtype") == "UserDefined")
            #expect(created.string("result.lastModified")?.hasSuffix("Z") == true)

            let typed = try await h.request(
                .post, "/api/rest/v1/userDefinedEvents", body: #"{"name":"typed"}"#, token: token,
                headers: ["Content-Type": "application/json; charset=utf-8"])
            #expect(typed.status == 201)
            #expect(typed.string("result.name") == "typed")
            #expect(try await h.api(.delete, "/userDefinedEvents/\(typed.string("result.id") ?? "")", token: token).status == 200)

            let got = try await h.api(.get, "/userdefinedevents/\(id.uppercased())", token: token)
            #expect(got.status == 200)
            #expect(got.string("data.id") == id)

            let put = try await h.api(.put, "/userDefinedEvents/\(id)", body: #"{"name": "my updated event", "id": "ignored"}"#, token: token)
            #expect(put.status == 200)
            #expect(put.string("data.name") == "my updated event")
            #expect(put.string("data.id") == id)

            let patch = try await h.api(.patch, "/userDefinedEvents/\(id)", body: #"{"Name": "patched"}"#, token: token)
            #expect(patch.string("data.displayName") == "patched")

            #expect(try await h.api(.get, "/userDefinedEvents", token: token).count("array") == 5)

            let deleted = try await h.api(.delete, "/userDefinedEvents/\(id)", token: token)
            #expect(deleted.status == 200)
            #expect(deleted.text == #"{  "state" : "Success" }"#)
            let gone = try await h.api(.get, "/userDefinedEvents/\(id)", token: token)
            #expect(gone.status == 404)
            #expect(gone.string("error.details.0.errorText") == "Not Found, the requested id does not exist")
            #expect(try await h.api(.delete, "/userDefinedEvents/\(id)", token: token).status == 404)
        }
    }

    @Test func deleteAnswersDataBefore2025() async throws {
        try await withEmulator(profile: "2024 R2") { h in
            let token = try await h.token()
            let created = try await h.api(.post, "/userDefinedEvents", body: #"{"name":"x"}"#, token: token)
            let id = try #require(created.string("result.id"))
            let deleted = try await h.api(.delete, "/userDefinedEvents/\(id)", token: token)
            #expect(deleted.status == 200)
            #expect(deleted.string("data.id") == id)
            #expect(deleted.value("state") == nil)
        }
    }

    @Test func generatedIdsAreDeterministic() async throws {
        var ids: [String] = []
        for _ in 0..<2 {
            try await withEmulator { h in
                let token = try await h.token()
                let created = try await h.api(.post, "/userDefinedEvents", body: #"{"name":"x"}"#, token: token)
                ids.append(try #require(created.string("result.id")))
            }
        }
        #expect(ids[0] == ids[1])
    }

    @Test(arguments: [
        (#"{}"#, "name"), (#"{"name": 5}"#, "name"), (#"{"name": ""}"#, "name"), (#"{"name": null}"#, "name"),
    ])
    func createValidatesName(body: String, property: String) async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let answer = try await h.api(.post, "/userDefinedEvents", body: body, token: token)
            #expect(answer.status == 400)
            #expect(answer.int("error.httpCode") == 400)
            #expect(answer.string("error.details.0.property") == property)
            #expect(answer.string("error.details.0.errorText")?.hasPrefix("Bad Request") == true)
            #expect(try await h.api(.get, "/userDefinedEvents", token: token).count("array") == 4)
        }
    }

    @Test func malformedAndNonObjectBodies() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let broken = try await h.api(.post, "/userDefinedEvents", body: #"{"name": "#, token: token)
            #expect(broken.status == 400)
            #expect(broken.string("error.details.0.errorText")?.contains("invalid JSON") == true)
            let array = try await h.api(.post, "/userDefinedEvents", body: "[]", token: token)
            #expect(array.status == 400)
            let empty = try await h.api(.post, "/userDefinedEvents", token: token)
            #expect(empty.status == 400)
            // PATCH without name keeps the name; PUT requires it.
            let put = try await h.api(.put, "/userDefinedEvents/\(Seeded.startRecording)", body: "{}", token: token)
            #expect(put.status == 400)
        }
    }

    @Test func systemEventsCannotBeChanged() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let patch = try await h.api(.patch, "/userDefinedEvents/\(Seeded.startRecording)", body: #"{"name":"x"}"#, token: token)
            #expect(patch.status == 400)
            let delete = try await h.api(.delete, "/userDefinedEvents/\(Seeded.startRecording)", token: token)
            #expect(delete.status == 400)
            #expect(try await h.api(.get, "/userDefinedEvents", token: token).count("array") == 4)
        }
    }

    @Test func getFlags() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let path = "/userDefinedEvents/\(Seeded.startRecording)"
            let tasks = try await h.api(.get, path + "?tasks&noData", token: token)
            #expect(tasks.value("data") == nil)
            #expect(tasks.string("tasks.0.id") == "ChangeSecurityPermissions")
            #expect(tasks.string("tasks.0.displayName") == "Edit permissions")
            let resources = try await h.api(.get, path + "?RESOURCES", token: token)
            #expect(resources.string("data.id") == Seeded.startRecording)
            #expect(resources.count("resources") == 0)
            let definitions = try await h.api(.get, path + "?definitions", token: token)
            #expect(definitions.value("definitions.name.canSet") == .bool(true))
            #expect(definitions.value("definitions.id.canSet") == .bool(false))
            #expect(definitions.string("definitions.name.valueType") == "string")
            let noData = try await h.api(.get, path + "?nodata", token: token)
            #expect(noData.text == "{ }")
        }
    }

    @Test func changeSecurityPermissionsTask() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let path = "/userDefinedEvents/\(Seeded.startRecording)"
            let missing = try await h.api(.post, path + "?task=ChangeSecurityPermissions", body: "{}", token: token)
            #expect(missing.status == 400)
            #expect(missing.string("error.details.0.errorText") == "Bad request: parameters missing")
            #expect(missing.string("params.userPath") == "")
            let ok = try await h.api(.post, path + "?task=ChangeSecurityPermissions", body: #"{"userPath":"users/1"}"#, token: token)
            #expect(ok.status == 200)
            #expect(ok.string("result.state") == "Success")
            let unknown = try await h.api(.post, path + "?task=Explode", body: "{}", token: token)
            #expect(unknown.status == 400)
            #expect(unknown.string("error.details.0.errorText") == "Bad request: Unknown task: Explode")
        }
    }

    @Test func methodsAndChildren() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let delete = try await h.api(.delete, "/userDefinedEvents", token: token)
            #expect(delete.status == 405)
            #expect(delete.header("Allow") == "GET, POST")
            let child = try await h.api(.get, "/userDefinedEvents/\(Seeded.startRecording)/things", token: token)
            #expect(child.status == 404)
            #expect(child.string("error.details.0.errorText") == "Unknown resource: things")
        }
    }
}
