import VigilJSON

/// The deterministic objects every emulator starts with. Ids are fixed, lower-case GUIDs.
enum SeedData {
    static let siteID = "bc4fe0ba-1b57-4d4c-9d43-7d1f0ac0ffee"
    static let recordingServerID = "6d8f2c1a-3b4e-4f5a-8c7d-9e0f1a2b3c4d"
    static let storageID = "0605d1b6-7c3a-4e2b-9f1d-2a3b4c5d6e7f"
    static let seedTimestamp = "2025-06-11T08:00:00.0000000Z"

    /// The three built-in System user-defined events present on every system.
    static let systemEvents: [(id: String, name: String)] = [
        ("85867627-b287-4439-9e55-a63701e1715b", "RequestStartRecording"),
        ("77b1e70d-ba8d-4bb8-9ee8-43b09746d82a", "RequestStopRecording"),
        ("7605f8b0-7f5f-4432-b223-0bb2dc3f1f5c", "RequestPlayAudio"),
    ]

    /// User-defined events seeded besides the System ones: the one the seeded alarm definition fires on.
    static let userEvents: [(id: String, name: String)] = [(alarmTriggerEventID, "Vigil alarm trigger")]
    static let alarmTriggerEventID = "4c1a7e2d-9b3f-4e6a-8d5c-2f7b1e9a0c11"

    /// Event types that are not user-defined events (Events REST): a user token may not trigger them (403).
    static let deviceEventTypes: [(id: String, name: String)] = [
        ("6f6e2b1a-0c3d-4e5f-9a8b-7c6d5e4f3a01", "Motion Started"),
        ("6f6e2b1a-0c3d-4e5f-9a8b-7c6d5e4f3a02", "Motion Stopped"),
    ]

    /// The state group of the `getState` states (Events and State WebSocket), chosen.
    static let motionStateGroupID = "7e3c1d5a-4b2f-4a6e-9c8d-1f0e2d3c4b5a"

    /// `/alarmStates`: the default states, with the levels the Event Server uses.
    static let alarmStates: [(id: String, name: String, level: Int)] = [
        ("1b5e8c3a-0001-4a6f-9c2d-8e7f6a5b4c01", "New", 1),
        ("1b5e8c3a-0004-4a6f-9c2d-8e7f6a5b4c04", "In progress", 4),
        ("1b5e8c3a-0009-4a6f-9c2d-8e7f6a5b4c09", "On hold", 9),
        ("1b5e8c3a-0011-4a6f-9c2d-8e7f6a5b4c11", "Closed", 11),
    ]

    /// `/alarmPriorities`: the default priorities.
    static let alarmPriorities: [(id: String, name: String, level: Int)] = [
        ("2c6f9d4b-0001-4b7a-8d3e-9f8a7b6c5d01", "High", 1),
        ("2c6f9d4b-0002-4b7a-8d3e-9f8a7b6c5d02", "Medium", 2),
        ("2c6f9d4b-0003-4b7a-8d3e-9f8a7b6c5d03", "Low", 3),
    ]

    /// The seeded alarm definition: triggering the "Vigil alarm trigger" user-defined event raises an alarm.
    static let alarmDefinition = (
        id: "3d7a0e5c-2f1b-4c8d-9e6f-0a1b2c3d4e51", name: "Vigil alarm on user-defined event",
        message: "The Vigil alarm trigger event was triggered", eventType: alarmTriggerEventID, priority: alarmPriorities[0].id
    )

    static let cameras: [CameraSeed] = [
        CameraSeed(
            id: "93345da5-de2b-415c-afe3-968f4b28cccd", hardwareID: "5a94379d-2c1b-4f0e-8d7a-6b5c4d3e2f10",
            name: "AXIS Q6155-E PTZ Dome Network Camera (10.10.16.21) - Camera 1", ptz: true,
            gisPoint: "POINT (12.5683 55.6761)",
            presets: [
                PresetSeed(id: "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b01", name: "Home", isDefault: true),
                PresetSeed(id: "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b02", name: "Entrance", pan: -0.35, tilt: 0.1, zoom: 0.2),
                PresetSeed(id: "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b03", name: "Parking lot", pan: 0.6, tilt: -0.2, zoom: 0.5),
            ],
            devicePresets: [
                PresetSeed(id: "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1d01", name: "Device preset 1", pan: 0.1, devicePresetID: "1"),
                PresetSeed(id: "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1d02", name: "Device preset 2", pan: 0.9, devicePresetID: "2"),
            ]),
        CameraSeed(
            id: "a8a8b9dc-7e5f-4c3b-9a1d-2e3f4a5b6c7d", hardwareID: "7b6a5948-3726-4150-9f8e-7d6c5b4a3921",
            name: "Hikvision DS-2DE4425IW-DE (10.10.16.22) - Camera 1", ptz: true,
            presets: [PresetSeed(id: "4a3b2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c01", name: "Home", isDefault: true)],
            devicePresets: [
                PresetSeed(id: "4a3b2c1d-0e9f-4a8b-9c7d-6e5f4a3b2d01", name: "Preset 1", tilt: 0.3, devicePresetID: "1")
            ]),
        CameraSeed(
            id: "2f1e0d9c-8b7a-4c6d-8e5f-4a3b2c1d0e9f", hardwareID: "8c7b6a59-4837-4261-a09f-8e7d6c5b4a32",
            name: "AXIS P1375 Network Camera (10.10.16.23) - Camera 1", ptz: false),
        CameraSeed(
            id: "5c4b3a29-1807-4f6e-9d5c-4b3a29180706", hardwareID: "9d8c7b6a-5948-4372-b1a0-9f8e7d6c5b43",
            name: "Bosch AUTODOME IP starlight 7000i (10.10.16.24) - Camera 1", ptz: true, failTasks: true,
            presets: [PresetSeed(id: "5b4c3d2e-1f0a-4b9c-8d7e-6f5a4b3c2d01", name: "Home", isDefault: true)]),
        CameraSeed(
            id: "e7d6c5b4-a392-4180-b7f6-e5d4c3b2a190", hardwareID: "ae9d8c7b-6a59-4483-82b1-a09f8e7d6c54",
            name: "AXIS M3106-L Mk II Network Camera (10.10.16.25) - Camera 1", ptz: false, enabled: false),
    ]
}

/// A camera to seed (built in, or from a seed file).
struct CameraSeed: Sendable {
    var id: String
    var hardwareID: String
    var name: String
    var ptz: Bool
    var enabled: Bool = true
    /// Tasks on this camera end in `Error`.
    var failTasks: Bool = false
    var channel: Int = 0
    var description: String = ""
    var gisPoint: String = "POINT EMPTY"
    var presets: [PresetSeed] = []
    /// What `GetDevicePresets` reads back from the device.
    var devicePresets: [PresetSeed] = []

    init(
        id: String, hardwareID: String, name: String, ptz: Bool, enabled: Bool = true, failTasks: Bool = false,
        gisPoint: String = "POINT EMPTY", presets: [PresetSeed] = [], devicePresets: [PresetSeed] = []
    ) {
        self.id = id.lowercased()
        self.hardwareID = hardwareID.lowercased()
        self.name = name
        self.ptz = ptz
        self.enabled = enabled
        self.failTasks = failTasks
        self.gisPoint = gisPoint
        self.presets = presets
        self.devicePresets = devicePresets
    }

    /// The camera object, fields in the order a real 2025 R1 server returns them.
    func json() -> JSONObject {
        [
            "displayName": .string(name), "enabled": .bool(enabled), "id": .string(id), "name": .string(name),
            "channel": .int(Int64(channel)), "description": .string(description), "createdDate": .string(Timestamp.minValue),
            "lastModified": .string(SeedData.seedTimestamp), "gisPoint": .string(gisPoint), "shortName": .string(""),
            "icon": .int(0), "coverageDirection": .double(0), "coverageDepth": .double(0), "coverageFieldOfView": .double(0),
            "recordingFramerate": .double(5), "recordKeyframesOnly": .bool(false), "recordOnRelatedDevices": .bool(true),
            "ptzEnabled": .bool(ptz), "recordingEnabled": .bool(true), "prebufferEnabled": .bool(true),
            "prebufferInMemory": .bool(true), "prebufferSeconds": .int(3), "edgeStorageEnabled": .bool(false),
            "edgeStoragePlaybackEnabled": .bool(false), "manualRecordingTimeoutEnabled": .bool(true),
            "manualRecordingTimeoutMinutes": .int(15), "recordingStorage": Envelope.path("storages", SeedData.storageID),
            "failoverSetting": .string("FullSupport"),
            "relations": .object(["parent": Envelope.path("hardware", hardwareID), "self": Envelope.path("cameras", id)]),
        ]
    }
}

/// A PTZ preset to seed.
struct PresetSeed: Sendable {
    var id: String
    var name: String
    var pan = 0.0, tilt = 0.0, zoom = 0.0
    var isDefault = false
    /// Set for presets stored in the device (`devicePreset: true`).
    var devicePresetID: String?

    init(
        id: String, name: String, pan: Double = 0, tilt: Double = 0, zoom: Double = 0, isDefault: Bool = false,
        devicePresetID: String? = nil
    ) {
        self.id = id.lowercased()
        self.name = name
        self.pan = pan
        self.tilt = tilt
        self.zoom = zoom
        self.isDefault = isDefault
        self.devicePresetID = devicePresetID
    }

    func json(cameraID: String) -> JSONObject {
        [
            "displayName": .string(name), "id": .string(id), "name": .string(name), "description": .string(""),
            "devicePreset": .bool(devicePresetID != nil), "devicePresetInternalId": .string(devicePresetID ?? ""),
            "defaultPreset": .bool(isDefault), "pan": .double(pan), "tilt": .double(tilt), "zoom": .double(zoom),
            "relations": .object(["parent": Envelope.path("cameras", cameraID), "self": Envelope.path("ptzPresets", id)]),
        ]
    }
}
