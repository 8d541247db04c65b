import VigilJSON

/// Alarms REST (2023 R2+): alarms raised by `POST /alarms` or by the seeded alarm definition,
/// kept newest last; `PATCH` changes state, priority, comment, assignee and reason for closing.
extension Store {
    /// A new alarm in state New; `localId` counts from 1 as the Event Server's alarm numbers do.
    func newAlarm(name: String, message: String, source: String, sourceName: String, priority: String) -> JSONObject {
        let now = Timestamp.now()
        let state = SeedData.alarmStates[0]
        let priorityName = SeedData.alarmPriorities.first { $0.id == priority }?.name ?? ""
        defer { nextAlarmLocalID += 1 }
        let id = newID()
        return [
            "id": .string(id), "localId": .int(Int64(nextAlarmLocalID)), "name": .string(name), "message": .string(message),
            "source": .string(source), "sourceName": .string(sourceName), "time": .string(now), "lastModified": .string(now),
            "state": .string(state.id), "stateName": .string(state.name), "stateLevel": .int(Int64(state.level)),
            "priority": .string(priority), "priorityName": .string(priorityName),
            "assignedTo": .object(["displayName": .string("")]), "comment": .string(""), "reasonForClosing": .string(""),
            "relations": .object(["self": Envelope.path("alarms", id)]),
        ]
    }

    /// `POST /alarms` `{"name","message","source":"<cameraId>"[, "priority":"<id>"]}`.
    func createAlarm(_ body: JSONValue?) throws(StoreError) -> JSONObject {
        guard let body, case .object = body else { throw .badRequest("Bad Request - the request body must be a JSONValue object") }
        guard let name = body.member("name")?.stringValue, !name.trimmingSpaces.isEmpty else {
            throw .badRequest("Bad Request - name is required", property: "name")
        }
        let message = body.member("message")?.stringValue ?? ""
        guard let rawSource = body.member("source")?.stringValue, !rawSource.isEmpty else {
            throw .badRequest("Bad Request - source is required", property: "source")
        }
        let cameraID = Self.cameraID(fromReference: rawSource)
        guard let camera = camera(cameraID) else {
            throw .badRequest("Bad Request - source must be the id of a camera", property: "source")
        }
        var priority = SeedData.alarmPriorities[1].id
        if let raw = body.member("priority"), raw != .null { priority = try Self.alarmPriorityID(raw) }
        let alarm = newAlarm(
            name: name, message: message, source: "cameras/\(camera.id)", sourceName: camera.json["name"]?.stringValue ?? "",
            priority: priority)
        alarms.append(alarm)
        return alarm
    }

    /// A camera id from `<guid>`, `cameras/<guid>` or `{"type":"cameras","id":…}` forms.
    static func cameraID(fromReference raw: String) -> String {
        let lower = raw.trimmingSpaces.lowercased()
        return lower.hasPrefix("cameras/") ? String(lower.dropFirst("cameras/".count)) : lower
    }

    func listAlarms(page: Int?, size: Int?) -> [JSONObject] { Self.paged(alarms.reversed(), page: page, size: size) }

    func alarm(_ id: String) -> (alarm: JSONObject, data: JSONValue)? {
        let id = id.lowercased()
        guard let alarm = alarms.first(where: { $0["id"]?.stringValue == id }) else { return nil }
        return (alarm, alarmData[id] ?? .object([:]))
    }

    /// `PATCH /alarms/{id}`: `null` members leave the property as it is.
    func updateAlarm(_ id: String, _ body: JSONValue?) throws(StoreError) -> JSONObject {
        let id = id.lowercased()
        guard let index = alarms.firstIndex(where: { $0["id"]?.stringValue == id }) else { throw .notFound }
        guard let body, case .object = body else { throw .badRequest("Bad Request - the request body must be a JSONValue object") }
        var alarm = alarms[index]
        if let raw = body.member("state"), raw != .null {
            guard let stateID = raw.stringValue?.lowercased(), let state = SeedData.alarmStates.first(where: { $0.id == stateID }) else {
                throw .badRequest("Bad Request - state must be the id of an alarm state", property: "state")
            }
            alarm["state"] = .string(state.id)
            alarm["stateName"] = .string(state.name)
            alarm["stateLevel"] = .int(Int64(state.level))
        }
        if let raw = body.member("priority"), raw != .null {
            let priority = try Self.alarmPriorityID(raw)
            alarm["priority"] = .string(priority)
            alarm["priorityName"] = .string(SeedData.alarmPriorities.first { $0.id == priority }?.name ?? "")
        }
        for key in ["comment", "reasonForClosing"] {
            guard let raw = body.member(key), raw != .null else { continue }
            guard let text = raw.stringValue else { throw .badRequest("Bad Request - \(key) must be a string", property: key) }
            alarm[key] = .string(text)
        }
        // The sample sends the dotted key "assignedTo.displayName"; an `assignedTo` object or string is accepted too.
        let assignee = body.member("assignedTo.displayName") ?? body.member("assignedTo")?.member("displayName") ?? body.member("assignedTo")
        if let raw = assignee, raw != .null {
            guard let name = raw.stringValue else {
                throw .badRequest("Bad Request - assignedTo.displayName must be a string", property: "assignedTo.displayName")
            }
            alarm["assignedTo"] = .object(["displayName": .string(name)])
        }
        alarm["lastModified"] = .string(Timestamp.now())
        alarms[index] = alarm
        return alarm
    }

    static func alarmPriorityID(_ raw: JSONValue) throws(StoreError) -> String {
        guard let id = raw.stringValue?.lowercased(), SeedData.alarmPriorities.contains(where: { $0.id == id }) else {
            throw .badRequest("Bad Request - priority must be the id of an alarm priority", property: "priority")
        }
        return id
    }
}
