import VigilJSON

/// `/cameras`: list (enabled only unless `?disabled`; `page`/`size` paging), get, PUT/PATCH of
/// writable fields, and the `ptzPresets` child resource.
extension EmulatorRoutes {
    /// Camera tasks listed by `?tasks` (invoking them answers 501: not emulated).
    func cameraTasks() -> [JSONValue] {
        var tasks = [
            Envelope.task("GetOtherRecordingServersWithMedia", "Get other recording servers with media"),
            Envelope.task("RetrieveEdgeStorage", "Retrieve edge storage"),
            Envelope.task("TruncateStorage", "Truncate storage"),
            Envelope.task("ChangeDeviceRecordingStorage", "Change recording storage"),
            Envelope.task("ChangeSecurityPermissions", "Edit permissions"),
        ]
        if profile.hasExtendedCameraTasks {
            tasks += [
                Envelope.task("GetPtzAbsolutePosition", "Get PTZ absolute position"),
                Envelope.task("SetPtzAbsolutePosition", "Set PTZ absolute position"),
                Envelope.task("JpegGetLive", "Get live JPEG"),
                Envelope.task("SendDriverCommand", "Send driver command"),
            ]
        }
        return tasks
    }

    /// `/cameras`
    func cameraList(_ req: EmulatorRequest) async -> Reply {
        await handle {
            guard req.method == .get else { return .methodNotAllowed("GET") }
            let page = try pagingValue(req, "page")
            let size = try pagingValue(req, "size")
            let body = await store.cameraListBody(includeDisabled: req.query.flag("disabled"), page: page, size: size)
            return .json(.ok, bytes: body)
        }
    }

    /// `/cameras/{id}`
    func camera(_ req: EmulatorRequest) async -> Reply {
        await handle {
            guard let camera = await store.camera(req.id) else { return .notFoundID }
            switch req.method {
            case .get:
                return single(
                    req, data: store.renderCamera(camera.json), tasks: cameraTasks(),
                    resources: [.object(["type": .string("ptzPresets"), "displayName": .string("PTZ presets")])])
            case .patch, .put:
                let updated = try await store.updateCamera(req.id, try json(req))
                return answer(Envelope.data(store.renderCamera(updated)))
            case .post:
                guard let task = req.query.value("task") else { return .badRequest("Bad request: Unknown request") }
                guard cameraTasks().contains(where: { $0["id"]?.stringValue?.lowercased() == task.lowercased() }) else {
                    return .unknownTask(task)
                }
                return .error(501, "Not Implemented: the Vigil emulator does not run the camera task \(task)")
            default:
                return .methodNotAllowed("GET, PUT, PATCH, POST")
            }
        }
    }

    /// `page` (0-based) and `size`; a missing one is nil, a bad one is a 400.
    func pagingValue(_ req: EmulatorRequest, _ name: String) throws(ReplyError) -> Int? {
        guard req.query.has(name) else { return nil }
        guard let text = req.query.value(name), let value = Int(text), value >= 0 else {
            throw ReplyError(reply: .badRequest("Bad Request - \(name) must be a non-negative integer", property: name))
        }
        return value
    }
}
