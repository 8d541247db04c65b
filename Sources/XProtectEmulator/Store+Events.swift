import VigilJSON

/// Events REST (2023 R2+): events triggered through `POST /events`, kept newest last; every
/// emulator token is a user token, so only user-defined events may be triggered.
extension Store {
    /// What an event type id names.
    enum EventType {
        /// A user-defined event: its id is the type and the source.
        case userDefined(name: String)
        /// A device event type (generatorType not External): a user token may not trigger it.
        case device(name: String)
    }

    func eventType(_ id: String) -> EventType? {
        let id = id.lowercased()
        if let event = events.first(where: { $0["id"]?.stringValue == id }) {
            return .userDefined(name: event["name"]?.stringValue ?? "")
        }
        if let type = SeedData.deviceEventTypes.first(where: { $0.id == id }) { return .device(name: type.name) }
        return nil
    }

    /// `POST /events` `{"type":…}`: records the event and fires the alarm definitions on its type.
    /// Answers the event with its `data` part, for callers that asked `include=data`.
    func triggerEvent(_ body: JSONValue?) throws(StoreError) -> JSONObject {
        guard let body, case .object = body else { throw .badRequest("Bad Request - the request body must be a JSONValue object") }
        guard let raw = body.member("type") else { throw .badRequest("Bad Request - type is required", property: "type") }
        guard let typeID = raw.stringValue?.trimmingSpaces.lowercased(), !typeID.isEmpty else {
            throw .badRequest("Bad Request - type must be an event type id", property: "type")
        }
        switch eventType(typeID) {
        case nil: throw .badRequest("Bad Request - unknown event type: \(typeID)", property: "type")
        case .device: throw .forbidden
        case .userDefined(let name):
            let event: JSONObject = [
                "id": .string(newID()), "type": .string(typeID), "source": .string("userDefinedEvents/\(typeID)"),
                "time": .string(Timestamp.now()),
                "data": .object(["typeName": .string(name), "sourceName": .string(name)]),
            ]
            occurredEvents.append(event)
            var pushed = event
            pushed["data"] = nil
            hub.publish(pushed)
            if typeID == SeedData.alarmDefinition.eventType { raiseDefinedAlarm(for: event) }
            return event
        }
    }

    /// `GET /events`: newest first, paged.
    func listOccurredEvents(page: Int?, size: Int?) -> [JSONObject] {
        Self.paged(occurredEvents.reversed(), page: page, size: size)
    }

    func occurredEvent(_ id: String) -> JSONObject? {
        let id = id.lowercased()
        return occurredEvents.first { $0["id"]?.stringValue == id }
    }

    /// `page` (0-based) and `size` over a list; no `size` means all, a page past the end is empty.
    static func paged<T>(_ list: [T], page: Int?, size: Int?) -> [T] {
        guard page != nil || size != nil else { return list }
        let size = size ?? list.count
        let start = (page ?? 0) * size
        return start < list.count && size > 0 ? Array(list[start..<min(list.count, start + size)]) : []
    }

    /// The alarm the seeded definition raises when its user-defined event is triggered.
    private func raiseDefinedAlarm(for event: JSONObject) {
        let definition = SeedData.alarmDefinition
        let alarm = newAlarm(
            name: definition.name, message: definition.message, source: event["source"]?.stringValue ?? "",
            sourceName: "Vigil alarm trigger", priority: definition.priority)
        alarmData[alarm["id"]?.stringValue ?? ""] = .object([
            "alarmDefinition": Envelope.path("alarmDefinitions", definition.id), "event": .object(event),
        ])
        alarms.append(alarm)
    }
}
