/// `/cameras/{id}/ptzPresets`: list, `?tasks` (`DefaultPtzPreset`, `GetDevicePresets`), task invocation,
/// create, get, delete, and `Goto` (2024 R2+). A camera without PTZ has no presets and no preset tasks.
extension EmulatorResponder {
    static let presetCollectionTasks = [
        Envelope.task("DefaultPtzPreset", "Set default PTZ preset"),
        Envelope.task("GetDevicePresets", "Get presets from camera"),
    ]

    func ptzPresets(_ req: EmulatorRequest, camera: Store.CameraState, _ path: [String]) async throws -> Reply {
        if path.isEmpty {
            switch req.method {
            case .get:
                var members: [JSON.Member] = []
                if !req.query.flag("noData") {
                    members.append(.init(key: "array", value: .array(try await store.presets(camera: camera.id))))
                }
                if req.query.flag("tasks") {
                    members.append(.init(key: "tasks", value: .array(camera.ptz ? Self.presetCollectionTasks : [])))
                }
                return answer(.object(members))
            case .post:
                if let task = req.query.value("task") {
                    return answer(Envelope.result(try await store.startPresetTask(task, camera: camera.id, body: try json(req))))
                }
                return answer(.created, Envelope.result(try await store.createPreset(camera: camera.id, try json(req))))
            default:
                return .methodNotAllowed("GET, POST")
            }
        }
        guard path.count == 1 else { return .unknownResource(path[1]) }
        let presetID = path[0]
        switch req.method {
        case .get:
            let preset = try await store.preset(camera: camera.id, preset: presetID)
            let tasks = profile.hasPtzPresetGoto ? [Envelope.task("Goto", "Go to preset")] : []
            return single(req, data: preset, tasks: tasks)
        case .delete:
            return .json(.ok, store.deleteAnswer(try await store.deletePreset(camera: camera.id, preset: presetID)))
        case .post:
            _ = try await store.preset(camera: camera.id, preset: presetID)
            let task = req.query.value("task") ?? ""
            guard profile.hasPtzPresetGoto, task.lowercased() == "goto" else { return .unknownTask(task) }
            if camera.failTasks { return .error(502, "Bad Gateway") }
            return answer(Envelope.result(.obj(["state": .string("Success")])))
        default:
            return .methodNotAllowed("GET, DELETE, POST")
        }
    }
}
