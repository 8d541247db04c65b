/// `/userDefinedEvents`: list, get (with `?tasks`, `?resources`, `?definitions`, `?noData`), create,
/// PUT, PATCH, DELETE and the `ChangeSecurityPermissions` task.
extension EmulatorResponder {
    static let eventDefinitions: JSON = .obj([
        "displayName": definition("string", canSet: false),
        "id": definition("string", canSet: false),
        "name": definition("string", canSet: true),
        "lastModified": definition("dateTime", canSet: false),
        "createdDate": definition("dateTime", canSet: false),
        "subtype": definition("string", canSet: false),
    ])

    static func definition(_ valueType: String, canSet: Bool) -> JSON {
        .obj(["canSet": .bool(canSet), "valueType": .string(valueType)])
    }

    func userDefinedEvents(_ req: EmulatorRequest, _ path: [String]) async -> Reply {
        await handle {
            switch (path.count, req.method) {
            case (0, .get):
                return answer(Envelope.array(await store.listEvents()))
            case (0, .post):
                return answer(.created, Envelope.result(try await store.createEvent(try json(req))))
            case (0, _):
                return .methodNotAllowed("GET, POST")
            case (1, .get):
                guard let event = await store.event(path[0]) else { return .notFoundID }
                return single(
                    req, data: event, tasks: [Envelope.task("ChangeSecurityPermissions", "Edit permissions")],
                    definitions: Self.eventDefinitions)
            case (1, .put), (1, .patch):
                let body = try json(req)
                return answer(Envelope.data(try await store.updateEvent(path[0], body, replace: req.method == .put)))
            case (1, .delete):
                return .json(.ok, store.deleteAnswer(try await store.deleteEvent(path[0])))
            case (1, .post):
                guard await store.event(path[0]) != nil else { return .notFoundID }
                guard let task = req.query.value("task") else { return .badRequest("Bad request: Unknown request") }
                guard task.lowercased() == "changesecuritypermissions" else { return .unknownTask(task) }
                guard let userPath = try json(req)?.member("userPath")?.stringValue, !userPath.isEmpty else {
                    return .missingParameters(["userPath"])
                }
                return answer(Envelope.result(.obj(["userPath": .string(userPath), "state": .string("Success")])))
            case (1, _):
                return .methodNotAllowed("GET, PUT, PATCH, DELETE, POST")
            default:
                guard await store.event(path[0]) != nil else { return .notFoundID }
                return .unknownResource(path[1])
            }
        }
    }
}

extension Reply {
    /// `{"error":{…"Bad request: parameters missing"…},"params":{"name":"",…}}`
    static func missingParameters(_ names: [String]) -> Reply {
        .json(
            .badRequest,
            .obj([
                "error": Envelope.error(400, "Bad request: parameters missing")["error"]!,
                "params": .object(names.map { JSON.Member(key: $0, value: .string("")) }),
            ]))
    }
}
