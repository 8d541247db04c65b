import Hummingbird
import Testing

@testable import XProtectEmulator

@Suite struct BookmarkTests {
    @Test func crudAndSearch() async throws {
        for (profile, deleteAnswersState) in [("2024 R2", false), ("2025 R2", true)] {
            try await withEmulator(profile: profile) { h in
                let token = try await h.token()
                let body = #"""
                    {"device":{"type":"cameras","id":"\#(Seeded.ptzCamera.uppercased())"},"header":"Door","description":"Forced",
                     "timeBegin":"2025-06-11T10:00:00+02:00","timeTrigged":"2025-06-11T08:00:05.5Z","timeEnd":"2025-06-11T08:00:30Z"}
                    """#
                let created = try await h.api(.post, "/bookmarks", body: body, token: token)
                #expect(created.status == 201, "\(profile)")
                let id = try #require(created.string("result.id"))
                #expect(created.string("result.header") == "Door")
                #expect(created.string("result.device.id") == Seeded.ptzCamera)
                #expect(created.string("result.timeBegin") == "2025-06-11T08:00:00.0000000Z")
                #expect(created.string("result.timeTrigged") == "2025-06-11T08:00:05.5000000Z")
                #expect(created.string("result.relations.parent.type") == "cameras")

                let got = try await h.api(.get, "/bookmarks/\(id)", token: token)
                #expect(got.status == 200)
                #expect(got.string("data.description") == "Forced")
                let patched = try await h.api(.patch, "/bookmarks/\(id)", body: #"{"header":"Door 2","reference":"R-1"}"#, token: token)
                #expect(patched.status == 200)
                #expect(patched.string("data.header") == "Door 2")
                #expect(try await h.api(.get, "/bookmarks/\(id)", token: token).string("data.reference") == "R-1")
                #expect(try await h.api(.put, "/bookmarks/\(id)", body: #"{"description":"x"}"#, token: token).status == 400)
                let backwards = try await h.api(.patch, "/bookmarks/\(id)", body: #"{"timeEnd":"2020-01-01T00:00:00Z"}"#, token: token)
                #expect(backwards.status == 400)

                // A second bookmark on another camera, triggered "now".
                let other = try await h.api(
                    .post, "/bookmarks", body: #"{"device":"cameras/\#(Seeded.fixedCamera)","header":"Now"}"#, token: token)
                #expect(other.status == 201)

                let search = #"{"timeBegin":"2025-06-11T00:00:00Z","timeEnd":"2025-06-12T00:00:00Z"}"#
                let found = try await h.api(.post, "/bookmarks?task=SearchTime", body: search, token: token)
                #expect(found.status == 200)
                #expect(found.string("result.state") == "Success")
                #expect(found.count("result.bookmarks") == 1)
                #expect(found.string("result.bookmarks.0.id") == id)
                let everything = #"{"timeBegin":"2000-01-01T00:00:00Z","timeEnd":"2100-01-01T00:00:00Z"}"#
                #expect(try await h.api(.post, "/bookmarks?task=SearchTime", body: everything, token: token).count("result.bookmarks") == 2)
                let onCamera = #"{"timeBegin":"2000-01-01T00:00:00Z","timeEnd":"2100-01-01T00:00:00Z","deviceIds":["\#(Seeded.fixedCamera)"]}"#
                let filtered = try await h.api(.post, "/bookmarks?task=SearchTime", body: onCamera, token: token)
                #expect(filtered.count("result.bookmarks") == 1)
                #expect(filtered.string("result.bookmarks.0.header") == "Now")
                let noParams = try await h.api(.post, "/bookmarks?task=SearchTime", body: "{}", token: token)
                #expect(noParams.status == 400)
                #expect(noParams.value("params.timeBegin") != nil)
                #expect(
                    try await h.api(.post, "/bookmarks?task=Nope", body: "{}", token: token).string("error.details.0.errorText")
                        == "Bad request: Unknown task: Nope")

                let deleted = try await h.api(.delete, "/bookmarks/\(id)", token: token)
                #expect(deleted.status == 200)
                #expect((deleted.string("state") == "Success") == deleteAnswersState, "\(profile)")
                #expect((deleted.string("data.id") == id) == !deleteAnswersState, "\(profile)")
                #expect(try await h.api(.get, "/bookmarks/\(id)", token: token).status == 404)
                #expect(try await h.api(.delete, "/bookmarks/\(id)", token: token).status == 404)
            }
        }
    }

    @Test func invalidBookmarks() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let noCamera = try await h.api(.post, "/bookmarks", body: #"{"device":"nope","header":"x"}"#, token: token)
            #expect(noCamera.status == 400)
            #expect(noCamera.string("error.details.0.property") == "device")
            let noHeader = try await h.api(.post, "/bookmarks", body: #"{"device":"\#(Seeded.ptzCamera)"}"#, token: token)
            #expect(noHeader.string("error.details.0.property") == "header")
            let badTime = try await h.api(
                .post, "/bookmarks", body: #"{"device":"\#(Seeded.ptzCamera)","header":"x","timeBegin":"yesterday"}"#, token: token)
            #expect(badTime.status == 400)
            #expect(badTime.string("error.details.0.property") == "timeBegin")
            // A plain GET of the collection, with or without query, is the real server's 400.
            #expect(try await h.api(.get, "/bookmarks?page=0&size=10", token: token).status == 400)
        }
    }

    @Test func timestampsParse() {
        #expect(Timestamp.parse("2025-10-27T15:03:52.8070000Z").map { Timestamp.format(ticks: $0) } == "2025-10-27T15:03:52.8070000Z")
        #expect(Timestamp.parse("2022-05-23T09:24:58.913+02:00").map { Timestamp.format(ticks: $0) } == "2022-05-23T07:24:58.9130000Z")
        #expect(Timestamp.parse("0001-01-01T00:00:00.0000000").map { Timestamp.format(ticks: $0) } == Timestamp.minValue + "Z")
        #expect(Timestamp.parse("2025-13-01T00:00:00Z") == nil)
        #expect(Timestamp.parse("2025-01-01 00:00:00Z") == nil)
        #expect(Timestamp.parse("2025-01-01T00:00:00.Z") == nil)
    }
}
