import VigilJSON

/// Bookmarks REST (2024 R2+): `POST /bookmarks` creates (201 `result`), `POST /bookmarks?task=SearchTime`
/// searches, `GET`/`PUT`/`PATCH`/`DELETE /bookmarks/{id}`. A plain `GET /bookmarks` is 400
/// `Bad request: Unknown request`, as on the real server.
extension EmulatorRoutes {
    static let bookmarkTasks = [Envelope.task("SearchTime", "Search bookmarks by time")]

    /// `/bookmarks`
    func bookmarkList(_ req: EmulatorRequest) async -> Reply {
        await handle {
            switch req.method {
            case .get:
                return .badRequest("Bad request: Unknown request")
            case .post:
                guard let task = req.query.value("task") else {
                    return answer(.created, Envelope.result(.object(try await store.createBookmark(try json(req)))))
                }
                guard task.lowercased() == "searchtime" else { return .unknownTask(task) }
                let found = try await store.searchBookmarks(try json(req))
                return answer(Envelope.result(.object(["bookmarks": .array(found.map(JSONValue.object)), "state": .string("Success")])))
            default:
                return .methodNotAllowed("GET, POST")
            }
        }
    }

    /// `/bookmarks/{id}`
    func bookmark(_ req: EmulatorRequest) async -> Reply {
        await handle {
            switch req.method {
            case .get:
                guard let bookmark = await store.bookmark(req.id) else { return .notFoundID }
                return single(req, data: .object(bookmark))
            case .put, .patch:
                let body = try json(req)
                return answer(Envelope.data(.object(try await store.updateBookmark(req.id, body, replace: req.method == .put))))
            case .delete:
                return .json(.ok, store.deleteAnswer(.object(try await store.deleteBookmark(req.id))))
            default:
                return .methodNotAllowed("GET, PUT, PATCH, DELETE")
            }
        }
    }
}
