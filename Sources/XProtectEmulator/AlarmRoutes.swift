import VigilJSON

/// Alarms REST (2023 R2+): `POST /alarms` (202 `data`), `GET /alarms` newest first (`page`, `size`),
/// `GET /alarms/{id}[?include=data]`, `PATCH /alarms/{id}` (202 `data`), and the default
/// `/alarmStates` and `/alarmPriorities`.
extension EmulatorRoutes {
    static func alarmLevels(_ levels: [(id: String, name: String, level: Int)], type: String) -> [JSONValue] {
        levels.map {
            .object([
                "id": .string($0.id), "name": .string($0.name), "level": .int(Int64($0.level)),
                "relations": .object(["self": Envelope.path(type, $0.id)]),
            ])
        }
    }

    /// `/alarms`
    func alarmList(_ req: EmulatorRequest) async -> Reply {
        await handle {
            switch req.method {
            case .get:
                let alarms = await store.listAlarms(page: try pagingValue(req, "page"), size: try pagingValue(req, "size"))
                var items: [JSONValue] = []
                for alarm in alarms { items.append(withData(alarm, data: await store.alarm(alarm["id"]?.stringValue ?? "")?.data, req)) }
                return answer(Envelope.array(items))
            case .post:
                let alarm = try await store.createAlarm(try json(req))
                return answer(.accepted, Envelope.data(withData(alarm, data: .object([:]), req)))
            default:
                return .methodNotAllowed("GET, POST")
            }
        }
    }

    /// `/alarms/{id}`
    func alarm(_ req: EmulatorRequest) async -> Reply {
        await handle {
            guard let (alarm, data) = await store.alarm(req.id) else { return .notFoundID }
            switch req.method {
            case .get:
                return answer(Envelope.data(withData(alarm, data: data, req)))
            case .patch:
                let updated = try await store.updateAlarm(req.id, try json(req))
                return answer(.accepted, Envelope.data(withData(updated, data: data, req)))
            default:
                return .methodNotAllowed("GET, PATCH")
            }
        }
    }

    /// `/alarmStates` and `/alarmPriorities`
    func alarmLevelList(_ req: EmulatorRequest, type: String) -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        let levels = type == "alarmStates" ? SeedData.alarmStates : SeedData.alarmPriorities
        return answer(Envelope.array(Self.alarmLevels(levels, type: type)))
    }

    /// `/alarmStates/{id}` and `/alarmPriorities/{id}`
    func alarmLevel(_ req: EmulatorRequest, type: String) -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        let levels = type == "alarmStates" ? SeedData.alarmStates : SeedData.alarmPriorities
        guard let level = Self.alarmLevels(levels, type: type).first(where: { $0["id"]?.stringValue == req.id.lowercased() }) else {
            return .notFoundID
        }
        return answer(Envelope.data(level))
    }
}
