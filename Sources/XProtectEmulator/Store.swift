import NIOCore
import VigilJSON

/// A failed store operation, mapped to the Config API's error answers by the routes.
enum StoreError: Error, Sendable {
    case notFound
    case badRequest(String, property: String? = nil)
    case unknownTask(String)
    /// The token's user may not do this (403).
    case forbidden
    /// A task's required parameters are missing (400 with `params`).
    case missingParameters([String])
}

/// All mutable Config API state: user-defined events, cameras and their presets, tasks.
/// Objects are kept in their modern form (JSON booleans); ``render(_:)`` applies the release profile.
actor Store {
    let profile: ReleaseProfile
    let taskDuration: Duration
    var generator = SplitMix64(seed: 0x0007_1C11_E5EE_D000)

    // userDefinedEvents, in creation order
    var events: [JSONObject] = []
    // cameras, in seed order
    var cameras: [CameraState] = []
    var cameraIndex: [String: Int] = [:]
    /// Cached `{"array":[…]}` bodies of `GET /cameras` (key: include disabled?).
    var cameraListCache: [Bool: ByteBuffer] = [:]
    // tasks
    var tasks: [Int: TaskRecord] = [:]
    var nextTaskID = 1
    var nextSessionID = 1
    var sessions: [Int: String] = [:]  // sessionDataId → camera id
    // Events REST (2023 R2+): triggered events, oldest first
    var occurredEvents: [JSONObject] = []
    // Alarms REST (2023 R2+): alarms, oldest first; `data` parts by alarm id
    var alarms: [JSONObject] = []
    var alarmData: [String: JSONValue] = [:]
    var nextAlarmLocalID = 1
    // Bookmarks REST (2024 R2+), in creation order
    var bookmarks: [JSONObject] = []
    /// Events and State WebSocket (2023 R3+): sessions and subscribers of the events triggered here.
    let hub: EventHub

    struct CameraState: Sendable {
        var json: JSONObject
        var ptz: Bool
        var failTasks: Bool
        var presets: [JSONObject]
        var devicePresets: [PresetSeed]
        var id: String { json["id"]?.stringValue ?? "" }
        var enabled: Bool { json["enabled"]?.boolValue ?? true }
    }

    init(profile: ReleaseProfile, taskDuration: Duration, seed: Seed, sessionTimeout: Duration = .seconds(30)) {
        self.profile = profile
        self.taskDuration = taskDuration
        self.hub = EventHub(sessionTimeout: sessionTimeout)
        for event in SeedData.systemEvents {
            events.append(Self.eventJSON(id: event.id, name: event.name, subtype: "System", at: SeedData.seedTimestamp))
        }
        for event in SeedData.userEvents {
            events.append(Self.eventJSON(id: event.id, name: event.name, subtype: "UserDefined", at: SeedData.seedTimestamp))
        }
        for event in seed.events {
            events.append(Self.eventJSON(id: event.id, name: event.name, subtype: "UserDefined", at: SeedData.seedTimestamp))
        }
        for camera in seed.cameras {
            cameraIndex[camera.id] = cameras.count
            cameras.append(
                CameraState(
                    json: camera.json(), ptz: camera.ptz, failTasks: camera.failTasks,
                    presets: camera.presets.map { $0.json(cameraID: camera.id) }, devicePresets: camera.devicePresets))
        }
    }

    // MARK: Rendering

    /// Applies the release profile to an answer: string booleans before 2022 R2, no camera
    /// `ptzEnabled`/`failoverSetting` before 2023 R1.
    nonisolated func render(_ value: JSONValue) -> JSONValue {
        profile.usesStringBooleans ? value.stringifyingBooleans() : value
    }

    nonisolated func renderCamera(_ camera: JSONObject) -> JSONValue {
        var camera = camera
        if !profile.hasCameraPtzAndFailoverFields {
            camera["ptzEnabled"] = nil
            camera["failoverSetting"] = nil
        }
        return .object(camera)
    }

    /// The DELETE answer for a deleted object.
    nonisolated func deleteAnswer(_ deleted: JSONValue) -> JSONValue {
        profile.deleteAnswersState ? .object(["state": .string("Success")]) : render(Envelope.data(deleted))
    }

    func newID() -> String { UUIDGenerator.uuid(from: &generator) }

    // MARK: Sites

    nonisolated var site: JSONValue {
        .object([
            "displayName": .string("VIGIL-EMULATOR"), "id": .string(SeedData.siteID), "name": .string("VIGIL-EMULATOR"),
            "description": .string("Vigil XProtect API Gateway emulator"), "lastModified": .string(SeedData.seedTimestamp),
            "timeZone": .string("UTC"), "computerName": .string("VIGIL-EMULATOR"), "domainName": .string(""),
            "lastStatusHandshake": .string(SeedData.seedTimestamp), "physicalMemory": .int(17_179_869_184),
            "platform": .string("[X64] Windows Server 2022"), "processors": .int(2), "serviceAccount": .string("NT AUTHORITY\\NETWORK SERVICE"),
            "synchronizationStatus": .int(0), "masterSiteAddress": .string(""), "version": .string(profile.productVersion),
            "relations": .object(["self": Envelope.path("sites", SeedData.siteID)]),
        ])
    }

    // MARK: userDefinedEvents

    static func eventJSON(id: String, name: String, subtype: String, at time: String) -> JSONObject {
        [
            "displayName": .string(name), "id": .string(id), "name": .string(name), "lastModified": .string(time),
            "createdDate": .string(time), "subtype": .string(subtype),
            "relations": .object(["self": Envelope.path("userDefinedEvents", id)]),
        ]
    }

    func listEvents() -> [JSONValue] { events.map(JSONValue.object) }

    func event(_ id: String) -> JSONValue? {
        let id = id.lowercased()
        return events.first { $0["id"]?.stringValue == id }.map(JSONValue.object)
    }

    /// Validates the writable `name` property; `required` for POST and PUT.
    static func eventName(in body: JSONValue?, required: Bool) throws(StoreError) -> String? {
        guard let body, case .object = body else {
            throw .badRequest("Bad Request - the request body must be a JSONValue object")
        }
        guard let value = body.member("name") else {
            if required { throw .badRequest("Bad Request - name is required", property: "name") }
            return nil
        }
        guard let name = value.stringValue else { throw .badRequest("Bad Request - name must be a string", property: "name") }
        guard !name.trimmingSpaces.isEmpty else { throw .badRequest("Bad Request - name cannot be empty", property: "name") }
        return name
    }

    func createEvent(_ body: JSONValue?) throws(StoreError) -> JSONValue {
        let name = try Self.eventName(in: body, required: true)!
        let event = Self.eventJSON(id: newID(), name: name, subtype: "UserDefined", at: Timestamp.now())
        events.append(event)
        return .object(event)
    }

    /// PUT (`replace`) and PATCH: only `name` is writable; read-only properties in the body are ignored.
    func updateEvent(_ id: String, _ body: JSONValue?, replace: Bool) throws(StoreError) -> JSONValue {
        let id = id.lowercased()
        guard let index = events.firstIndex(where: { $0["id"]?.stringValue == id }) else { throw .notFound }
        try Self.refuseSystem(events[index])
        if let name = try Self.eventName(in: body, required: replace) {
            events[index]["name"] = .string(name)
            events[index]["displayName"] = .string(name)
        }
        events[index]["lastModified"] = .string(Timestamp.now())
        return .object(events[index])
    }

    func deleteEvent(_ id: String) throws(StoreError) -> JSONValue {
        let id = id.lowercased()
        guard let index = events.firstIndex(where: { $0["id"]?.stringValue == id }) else { throw .notFound }
        try Self.refuseSystem(events[index])
        return .object(events.remove(at: index))
    }

    private static func refuseSystem(_ event: JSONObject) throws(StoreError) {
        if event["subtype"]?.stringValue == "System" {
            throw .badRequest("Bad Request - built-in System events cannot be changed or deleted")
        }
    }
}
