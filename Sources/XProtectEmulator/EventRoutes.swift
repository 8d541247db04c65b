import VigilJSON

/// Events REST (2023 R2+): `POST /events` triggers an event (202 `data`), `GET /events` lists them
/// newest first (`page`, `size`), `GET /events/{id}`; `include=data` adds each event's `data`.
extension EmulatorRoutes {
    /// Whether `include` (a comma-separated list) names `data`.
    func includesData(_ req: EmulatorRequest) -> Bool {
        (req.query.value("include") ?? "").split(separator: ",").contains { $0.trimmingSpaces.lowercased() == "data" }
    }

    /// An event or alarm object without its `data` part unless the request asked for it.
    func withData(_ object: JSONObject, data: JSONValue?, _ req: EmulatorRequest) -> JSONValue {
        var object = object
        object["data"] = includesData(req) ? (data ?? object["data"]) : nil
        return .object(object)
    }

    /// `/events`
    func occurredEventList(_ req: EmulatorRequest) async -> Reply {
        await handle {
            switch req.method {
            case .get:
                let events = await store.listOccurredEvents(page: try pagingValue(req, "page"), size: try pagingValue(req, "size"))
                return answer(Envelope.array(events.map { withData($0, data: nil, req) }))
            case .post:
                let event = try await store.triggerEvent(try json(req))
                return answer(.accepted, Envelope.data(withData(event, data: nil, req)))
            default:
                return .methodNotAllowed("GET, POST")
            }
        }
    }

    /// `/events/{id}`
    func occurredEvent(_ req: EmulatorRequest) async -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        guard let event = await store.occurredEvent(req.id) else { return .notFoundID }
        return answer(Envelope.data(withData(event, data: nil, req)))
    }
}

extension Substring {
    var trimmingSpaces: String { String(self).trimmingSpaces }
}
