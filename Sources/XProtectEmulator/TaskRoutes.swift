import VigilJSON

/// `/tasks`: list, get (`data` moving `Idle` → `InProgress` → `Success`/`Error`), `?tasks` and
/// `TaskCleanup`, after which the task is gone.
extension EmulatorRoutes {
    static let taskTasks = [Envelope.task("TaskCleanup", "Finish")]

    /// `/tasks`
    func taskList(_ req: EmulatorRequest) async -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        return answer(Envelope.array(await store.listTasks()))
    }

    /// `/tasks/{id}`
    func task(_ req: EmulatorRequest) async -> Reply {
        await handle {
            switch req.method {
            case .get:
                guard let task = await store.task(req.id) else { return .notFoundID }
                return single(req, data: task, tasks: Self.taskTasks)
            case .post:
                guard await store.task(req.id) != nil else { return .notFoundID }
                let task = req.query.value("task") ?? ""
                guard task.lowercased() == "taskcleanup" else { return .unknownTask(task) }
                _ = try json(req)
                if profile.rejectsTaskCleanup {
                    return .badRequest("Bad request -not supported, Method flow missing next MethodId")
                }
                try await store.cleanupTask(req.id)
                return answer(Envelope.result(.object(["state": .string("Success")])))
            default:
                return .methodNotAllowed("GET, POST")
            }
        }
    }
}
