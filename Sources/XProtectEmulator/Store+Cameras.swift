import NIOCore
import VigilJSON

/// Cameras and their PTZ presets.
extension Store {
    enum FieldType { case string, bool, int, double, failover }

    /// Writable camera properties (SPEC25); everything else in a PATCH/PUT body is read-only and ignored.
    static let writableCameraFields: [String: FieldType] = [
        "name": .string, "description": .string, "shortName": .string, "gisPoint": .string,
        "enabled": .bool, "recordKeyframesOnly": .bool, "recordOnRelatedDevices": .bool, "recordingEnabled": .bool,
        "prebufferEnabled": .bool, "prebufferInMemory": .bool, "edgeStorageEnabled": .bool,
        "edgeStoragePlaybackEnabled": .bool, "manualRecordingTimeoutEnabled": .bool,
        "icon": .int, "prebufferSeconds": .int, "manualRecordingTimeoutMinutes": .int,
        "coverageDirection": .double, "coverageDepth": .double, "coverageFieldOfView": .double,
        "recordingFramerate": .double, "failoverSetting": .failover,
    ]

    /// The `{"array":[…]}` body of `GET /cameras`, cached per variant until a camera changes.
    func cameraListBody(includeDisabled: Bool, page: Int?, size: Int?) -> ByteBuffer {
        if page == nil && size == nil, let cached = cameraListCache[includeDisabled] { return cached }
        var list = cameras.filter { includeDisabled || $0.enabled }.map { render(renderCamera($0.json)) }
        if page != nil || size != nil {
            let size = size ?? list.count
            let start = (page ?? 0) * size
            list = start < list.count && size > 0 ? Array(list[start..<min(list.count, start + size)]) : []
        }
        let body = ByteBuffer(bytes: Envelope.array(list).serializedBytes(.aspNet))
        if page == nil && size == nil { cameraListCache[includeDisabled] = body }
        return body
    }

    func camera(_ id: String) -> CameraState? {
        cameraIndex[id.lowercased()].map { cameras[$0] }
    }

    func updateCamera(_ id: String, _ body: JSONValue?) throws(StoreError) -> JSONObject {
        guard let index = cameraIndex[id.lowercased()] else { throw .notFound }
        guard let body, case .object(let members) = body else {
            throw .badRequest("Bad Request - the request body must be a JSONValue object")
        }
        var camera = cameras[index].json
        let lookup = Dictionary(uniqueKeysWithValues: Self.writableCameraFields.map { ($0.key.lowercased(), ($0.key, $0.value)) })
        for member in members {
            guard let (key, type) = lookup[member.key.lowercased()] else { continue }
            let value = member.value
            switch type {
            case .string:
                guard let s = value.stringValue else { throw .badRequest("Bad Request - \(key) must be a string", property: key) }
                if key == "name" {
                    guard !s.trimmingSpaces.isEmpty else { throw .badRequest("Bad Request - name cannot be empty", property: key) }
                    camera["displayName"] = .string(s)
                }
                camera[key] = .string(s)
            case .bool:
                guard let b = value.lenientBoolValue else { throw .badRequest("Bad Request - \(key) must be a boolean", property: key) }
                camera[key] = .bool(b)
            case .int:
                guard let i = value.intValue ?? value.stringValue.flatMap({ Int64($0) }) else {
                    throw .badRequest("Bad Request - \(key) must be an integer", property: key)
                }
                camera[key] = .int(i)
            case .double:
                guard let d = value.doubleValue ?? value.stringValue.flatMap({ Double($0) }) else {
                    throw .badRequest("Bad Request - \(key) must be a number", property: key)
                }
                camera[key] = .double(d)
            case .failover:
                guard profile.hasCameraPtzAndFailoverFields else { continue }
                guard let s = value.stringValue, ["FullSupport", "LiveOnly", "Disabled"].contains(s) else {
                    throw .badRequest("Bad Request - failoverSetting must be FullSupport, LiveOnly or Disabled", property: key)
                }
                camera[key] = .string(s)
            }
        }
        camera["lastModified"] = .string(Timestamp.now())
        cameras[index].json = camera
        cameraListCache.removeAll()
        return camera
    }

    // MARK: ptzPresets

    func presets(camera id: String) throws(StoreError) -> [JSONValue] {
        settleTasks()
        guard let camera = camera(id) else { throw .notFound }
        return camera.presets.map(JSONValue.object)
    }

    func preset(camera id: String, preset presetID: String) throws(StoreError) -> JSONValue {
        let presets = try presets(camera: id)
        guard let preset = presets.first(where: { $0["id"]?.stringValue == presetID.lowercased() }) else { throw .notFound }
        return preset
    }

    func createPreset(camera id: String, _ body: JSONValue?) throws(StoreError) -> JSONValue {
        guard let index = cameraIndex[id.lowercased()] else { throw .notFound }
        guard cameras[index].ptz else { throw .badRequest("Bad Request - the camera does not support PTZ") }
        guard let body, case .object = body else { throw .badRequest("Bad Request - the request body must be a JSONValue object") }
        guard let name = body.member("name")?.stringValue, !name.trimmingSpaces.isEmpty else {
            throw .badRequest("Bad Request - name is required", property: "name")
        }
        var number: [Double] = []
        for key in ["pan", "tilt", "zoom"] {
            guard let raw = body.member(key) else { number.append(0); continue }
            guard let value = raw.doubleValue else { throw .badRequest("Bad Request - \(key) must be a number", property: key) }
            number.append(value)
        }
        var seed = PresetSeed(id: newID(), name: name, pan: number[0], tilt: number[1], zoom: number[2])
        seed.id = seed.id.lowercased()
        var preset = seed.json(cameraID: cameras[index].id)
        if let description = body.member("description")?.stringValue { preset["description"] = .string(description) }
        cameras[index].presets.append(preset)
        return .object(preset)
    }

    func deletePreset(camera id: String, preset presetID: String) throws(StoreError) -> JSONValue {
        guard let index = cameraIndex[id.lowercased()] else { throw .notFound }
        guard let p = cameras[index].presets.firstIndex(where: { $0["id"]?.stringValue == presetID.lowercased() }) else {
            throw .notFound
        }
        return .object(cameras[index].presets.remove(at: p))
    }
}
