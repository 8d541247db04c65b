import VigilJSON

/// Asynchronous tasks (`POST …?task=X` → `/tasks/{id}`), which progress over the configured duration.
struct TaskRecord: Sendable {
    enum Kind: Sendable {
        /// First call (`sessionDataId` 0): completes with a new session id.
        case getDevicePresetsStart(newSession: Int)
        /// Second call with that session id: completes by storing the device's presets.
        case getDevicePresetsFinish(session: Int)
        /// Sets the default preset (when `itemSelection` named one).
        case defaultPtzPreset(presetID: String?)
    }

    var id: Int
    var kind: Kind
    var cameraID: String
    var created: ContinuousClock.Instant
    var fails: Bool
    var settled = false
}

/// Error reported by tasks of a camera configured to fail.
enum FaultyTask {
    static let errorCode = 61008
    static let errorText = "VMO61008: Could not communicate with the PTZ device. The device did not respond."
}

extension Store {
    enum Phase { case idle, inProgress(Int), done }

    func phase(of task: TaskRecord, now: ContinuousClock.Instant = .now) -> Phase {
        guard taskDuration > .zero else { return .done }
        let fraction = (now - task.created) / taskDuration
        if fraction >= 1 { return .done }
        if fraction < 0.2 { return .idle }
        return .inProgress(max(1, min(99, Int(fraction * 100))))
    }

    /// Starts a PTZ preset task on a camera; answers the `result` of the invoking POST.
    func startPresetTask(_ name: String, camera id: String, body: JSONValue?) throws(StoreError) -> JSONValue {
        settleTasks()
        guard let index = cameraIndex[id.lowercased()] else { throw .notFound }
        let camera = cameras[index]
        guard camera.ptz else { throw .unknownTask(name) }
        let session = body?.member("sessionDataId")?.integerValue ?? 0
        let kind: TaskRecord.Kind
        switch name.lowercased() {
        case "getdevicepresets":
            if session == 0 {
                kind = .getDevicePresetsStart(newSession: nextSessionID)
                nextSessionID += 1
            } else {
                guard sessions[session] == camera.id else {
                    throw .badRequest("Bad Request - unknown sessionDataId \(session)", property: "sessionDataId")
                }
                sessions[session] = nil
                kind = .getDevicePresetsFinish(session: session)
            }
        case "defaultptzpreset":
            var presetID: String?
            if let selection = body?.member("itemSelection") {
                guard let text = selection.stringValue, let id = Self.selectedPreset(text),
                    camera.presets.contains(where: { $0["id"]?.stringValue == id })
                else { throw .badRequest("Bad Request - itemSelection must be PtzPreset[<id of a preset of this camera>]", property: "itemSelection") }
                presetID = id
            }
            kind = .defaultPtzPreset(presetID: presetID)
        default:
            throw .unknownTask(name)
        }
        let task = TaskRecord(id: nextTaskID, kind: kind, cameraID: camera.id, created: .now, fails: camera.failTasks)
        nextTaskID += 1
        tasks[task.id] = task
        return .object(["sessionDataId": .int(Int64(session)), "state": .string("Idle"), "path": Envelope.path("tasks", String(task.id))])
    }

    /// `PtzPreset[3f2a…]` → `3f2a…`.
    static func selectedPreset(_ text: String) -> String? {
        guard text.lowercased().hasPrefix("ptzpreset["), text.hasSuffix("]") else { return nil }
        return String(text.dropFirst("PtzPreset[".count).dropLast()).lowercased()
    }

    /// Applies the effects of tasks that have completed since the last look.
    func settleTasks() {
        let now = ContinuousClock.now
        for (id, task) in tasks where !task.settled {
            guard case .done = phase(of: task, now: now) else { continue }
            tasks[id]?.settled = true
            guard !task.fails, let index = cameraIndex[task.cameraID] else { continue }
            switch task.kind {
            case .getDevicePresetsStart(let session):
                sessions[session] = task.cameraID
            case .getDevicePresetsFinish:
                let camera = cameras[index]
                for seed in camera.devicePresets where !camera.presets.contains(where: { $0["id"]?.stringValue == seed.id }) {
                    cameras[index].presets.append(seed.json(cameraID: task.cameraID))
                }
            case .defaultPtzPreset(let presetID?):
                for p in cameras[index].presets.indices {
                    cameras[index].presets[p]["defaultPreset"] = .bool(cameras[index].presets[p]["id"]?.stringValue == presetID)
                }
            case .defaultPtzPreset(nil):
                break
            }
        }
    }

    func taskJSON(_ task: TaskRecord) -> JSONValue {
        let phase = phase(of: task)
        var session = 0
        switch task.kind {
        case .getDevicePresetsStart(let s): if case .done = phase, !task.fails { session = s }
        case .getDevicePresetsFinish(let s): session = s
        case .defaultPtzPreset: break
        }
        var json: JSONObject = [
            "displayName": .string("invokeResult"), "progress": .int(0),
            "cameraPath": Envelope.path("cameras", task.cameraID), "sessionDataId": .int(Int64(session)),
            "affectedProfileIds": .array([]), "state": .string("Idle"),
        ]
        switch phase {
        case .idle: break
        case .inProgress(let p):
            json["progress"] = .int(Int64(p))
            json["state"] = .string("InProgress")
        case .done:
            json["progress"] = .int(100)
            json["state"] = .string(task.fails ? "Error" : "Success")
            if task.fails {
                json["errorCode"] = .int(Int64(FaultyTask.errorCode))
                json["errorText"] = .string(FaultyTask.errorText)
            }
        }
        json["relations"] = .object([
            "parent": Envelope.path("sites", SeedData.siteID), "self": Envelope.path("tasks", String(task.id)),
        ])
        return .object(json)
    }

    func listTasks() -> [JSONValue] {
        settleTasks()
        return tasks.keys.sorted().compactMap { tasks[$0].map(taskJSON) }
    }

    func task(_ id: String) -> JSONValue? {
        settleTasks()
        guard let n = Int(id), let task = tasks[n] else { return nil }
        return taskJSON(task)
    }

    /// `TaskCleanup`: forgets the task.
    func cleanupTask(_ id: String) throws(StoreError) {
        settleTasks()
        guard let n = Int(id), tasks[n] != nil else { throw .notFound }
        tasks[n] = nil
    }
}
