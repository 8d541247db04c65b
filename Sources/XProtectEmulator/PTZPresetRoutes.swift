import VigilJSON

/// `/cameras/{id}/ptzPresets`: list, `?tasks` (`DefaultPtzPreset`, `GetDevicePresets`), task invocation,
/// create, get, delete, and `Goto` (2024 R2+). A camera without PTZ has no presets and no preset tasks.
extension EmulatorRoutes {
    static let presetCollectionTasks = [
        Envelope.task("DefaultPtzPreset", "Set default PTZ preset"),
        Envelope.task("GetDevicePresets", "Get presets from camera"),
    ]

    /// `/cameras/{id}/ptzPresets`
    func presetList(_ req: EmulatorRequest) async -> Reply {
        await handle {
            guard let camera = await store.camera(req.id) else { return .notFoundID }
            switch req.method {
            case .get:
                var members = JSONObject()
                if !req.query.flag("noData") { members["array"] = .array(try await store.presets(camera: camera.id)) }
                if req.query.flag("tasks") { members["tasks"] = .array(camera.ptz ? Self.presetCollectionTasks : []) }
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
    }

    /// `/cameras/{id}/ptzPresets/{presetId}`
    func preset(_ req: EmulatorRequest) async -> Reply {
        await handle {
            guard let camera = await store.camera(req.id) else { return .notFoundID }
            switch req.method {
            case .get:
                let preset = try await store.preset(camera: camera.id, preset: req.presetID)
                let tasks = profile.hasPtzPresetGoto ? [Envelope.task("Goto", "Go to preset")] : []
                return single(req, data: preset, tasks: tasks)
            case .delete:
                return .json(.ok, store.deleteAnswer(try await store.deletePreset(camera: camera.id, preset: req.presetID)))
            case .post:
                _ = try await store.preset(camera: camera.id, preset: req.presetID)
                let task = req.query.value("task") ?? ""
                guard profile.hasPtzPresetGoto, task.lowercased() == "goto" else { return .unknownTask(task) }
                if camera.failTasks { return .error(502, "Bad Gateway") }
                return answer(Envelope.result(.object(["state": .string("Success")])))
            default:
                return .methodNotAllowed("GET, DELETE, POST")
            }
        }
    }

    /// `/cameras/{id}/ptzPresets/{presetId}/{child}…`: the camera must exist, the preset need not.
    func presetChild(_ req: EmulatorRequest) async -> Reply {
        guard await store.camera(req.id) != nil else { return .notFoundID }
        return .unknownResource(req.remainder.first ?? "")
    }
}
