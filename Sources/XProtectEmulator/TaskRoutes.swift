/// `/tasks`: list, get (`data` moving `Idle` → `InProgress` → `Success`/`Error`), `?tasks` and
/// `TaskCleanup`, after which the task is gone.
extension EmulatorResponder {
    static let taskTasks = [Envelope.task("TaskCleanup", "Finish")]

    func tasks(_ req: EmulatorRequest, _ path: [String]) async -> Reply {
        await handle {
            switch (path.count, req.method) {
            case (0, .get):
                return answer(Envelope.array(await store.listTasks()))
            case (0, _):
                return .methodNotAllowed("GET")
            case (1, .get):
                guard let task = await store.task(path[0]) else { return .notFoundID }
                return single(req, data: task, tasks: Self.taskTasks)
            case (1, .post):
                guard await store.task(path[0]) != nil else { return .notFoundID }
                let task = req.query.value("task") ?? ""
                guard task.lowercased() == "taskcleanup" else { return .unknownTask(task) }
                _ = try json(req)
                if profile.rejectsTaskCleanup {
                    return .badRequest("Bad request -not supported, Method flow missing next MethodId")
                }
                try await store.cleanupTask(path[0])
                return answer(Envelope.result(.obj(["state": .string("Success")])))
            case (1, _):
                return .methodNotAllowed("GET, POST")
            default:
                guard await store.task(path[0]) != nil else { return .notFoundID }
                return .unknownResource(path[1])
            }
        }
    }
}
