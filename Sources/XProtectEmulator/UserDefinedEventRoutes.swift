import VigilJSON

/// `/userDefinedEvents`: list, get (with `?tasks`, `?resources`, `?definitions`, `?noData`), create,
/// PUT, PATCH, DELETE and the `ChangeSecurityPermissions` task.
extension EmulatorRoutes {
    static let eventDefinitions: JSONValue = .object([
        "displayName": definition("string", canSet: false),
        "id": definition("string", canSet: false),
        "name": definition("string", canSet: true),
        "lastModified": definition("dateTime", canSet: false),
        "createdDate": definition("dateTime", canSet: false),
        "subtype": definition("string", canSet: false),
    ])

    static func definition(_ valueType: String, canSet: Bool) -> JSONValue {
        .object(["canSet": .bool(canSet), "valueType": .string(valueType)])
    }

    /// `/userDefinedEvents`
    func eventList(_ req: EmulatorRequest) async -> Reply {
        await handle {
            switch req.method {
            case .get: return answer(Envelope.array(await store.listEvents()))
            case .post: return answer(.created, Envelope.result(try await store.createEvent(try json(req))))
            default: return .methodNotAllowed("GET, POST")
            }
        }
    }

    /// `/userDefinedEvents/{id}`
    func event(_ req: EmulatorRequest) async -> Reply {
        await handle {
            switch req.method {
            case .get:
                guard let event = await store.event(req.id) else { return .notFoundID }
                return single(
                    req, data: event, tasks: [Envelope.task("ChangeSecurityPermissions", "Edit permissions")],
                    definitions: Self.eventDefinitions)
            case .put, .patch:
                let body = try json(req)
                return answer(Envelope.data(try await store.updateEvent(req.id, body, replace: req.method == .put)))
            case .delete:
                return .json(.ok, store.deleteAnswer(try await store.deleteEvent(req.id)))
            case .post:
                guard await store.event(req.id) != nil else { return .notFoundID }
                guard let task = req.query.value("task") else { return .badRequest("Bad request: Unknown request") }
                guard task.lowercased() == "changesecuritypermissions" else { return .unknownTask(task) }
                guard let userPath = try json(req)?.member("userPath")?.stringValue, !userPath.isEmpty else {
                    return .missingParameters(["userPath"])
                }
                return answer(Envelope.result(.object(["userPath": .string(userPath), "state": .string("Success")])))
            default:
                return .methodNotAllowed("GET, PUT, PATCH, DELETE, POST")
            }
        }
    }
}

extension Reply {
    /// `{"error":{…"Bad request: parameters missing"…},"params":{"name":"",…}}`
    static func missingParameters(_ names: [String]) -> Reply {
        .json(
            .badRequest,
            .object([
                "error": Envelope.error(400, "Bad request: parameters missing")["error"]!,
                "params": .object(JSONObject(names.map { ($0, JSONValue.string("")) })),
            ]))
    }
}
