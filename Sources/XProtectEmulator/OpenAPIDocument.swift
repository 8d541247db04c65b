import VigilJSON

/// The emulator's own OpenAPI 3.1 description, served at `/api/rest/v1/openapi.json`: exactly
/// the Config, Events and Alarms resources the emulator serves for its release profile, each
/// operation with the statuses it answers and the shape of each answer (the `array`, `data`,
/// `result` and `error` envelopes, and the members every item of a resource has). Written by
/// us from what the emulator does, not Milestone's description (docs/emulator.md); a run
/// against the emulator with `openapi:` pointing here checks that the two agree.
enum EmulatorOpenAPI {
    /// How an operation answers when it succeeds.
    enum Answer {
        /// `{"array": [Item]}`
        case array(String)
        /// `{"array": [Item], "tasks": […]}`, each member asked for (`?noData`, `?tasks`).
        case arrayAndTasks(String)
        /// `{"data": Item}`
        case data(String)
        /// `{"result": {…}}`
        case result
        /// `{"data": Item}` or `{"state": "Success"}` (the DELETE answer changed in 2025 R1).
        case deleted(String)
    }

    struct Operation {
        var method: String
        var success: Int
        var answer: Answer
        /// Error statuses besides 401 (every operation may answer 401), with the error envelope.
        var errors: [Int]
        var summary: String
        /// Other success statuses with the same answer (a POST that creates answers 201, one that runs a task 200).
        var alsoSuccess: [Int] = []
    }

    struct PathItem {
        var path: String
        var tag: String
        var operations: [Operation]
    }

    static func document(for profile: ReleaseProfile) -> JSONValue {
        var paths = JSONObject()
        for item in pathItems(profile) {
            var methods = JSONObject()
            for op in item.operations {
                var responses = JSONObject()
                for code in [op.success] + op.alsoSuccess { responses[String(code)] = response(op.answer, profile: profile) }
                for code in ([401] + op.errors).sorted() {
                    responses[String(code)] = ["description": "An error", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
                }
                var operation: JSONObject = ["tags": [.string(item.tag)], "summary": .string(op.summary), "responses": .object(responses)]
                operation["operationId"] = .string(
                    op.method + item.path.split(separator: "/").map { $0.hasPrefix("{") ? "ById" : $0.prefix(1).uppercased() + $0.dropFirst() }.joined())
                methods[op.method] = .object(operation)
            }
            if item.path.contains("{") {
                var parameters: [JSONValue] = []
                for segment in item.path.split(separator: "/") where segment.hasPrefix("{") {
                    parameters.append(["name": .string(String(segment.dropFirst().dropLast())), "in": "path", "required": true, "schema": ["type": "string"]])
                }
                methods["parameters"] = .array(parameters)
            }
            paths[item.path] = .object(methods)
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Vigil's XProtect API Gateway emulator",
                "version": .string(profile.name),
                "description": .string(
                    "What Vigil's emulator serves for XProtect \(profile.name): the Config API resources it emulates and, from 2023 R2, Events and Alarms. Not Milestone's description."
                ),
            ],
            "servers": [["url": "/api/rest/v1"]],
            "paths": .object(paths),
            "components": ["schemas": .object(schemas(profile))],
        ]
    }

    static func response(_ answer: Answer, profile: ReleaseProfile) -> JSONValue {
        func json(_ schema: JSONValue) -> JSONValue { ["description": "Success", "content": ["application/json": ["schema": schema]]] }
        func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }
        switch answer {
        case .array(let item):
            return json(["type": "object", "required": ["array"], "properties": ["array": ["type": "array", "items": ref(item)]]])
        case .arrayAndTasks(let item):
            return json(["type": "object", "properties": ["array": ["type": "array", "items": ref(item)], "tasks": ["type": "array"]]])
        case .data(let item):
            return json(["type": "object", "required": ["data"], "properties": ["data": ref(item)]])
        case .result:
            return json(["type": "object", "required": ["result"], "properties": ["result": ["type": "object"]]])
        case .deleted(let item):
            if profile.deleteAnswersState {
                return json(["type": "object", "required": ["state"], "properties": ["state": ["const": "Success"]]])
            }
            return json(["type": "object", "required": ["data"], "properties": ["data": ref(item)]])
        }
    }

    static func pathItems(_ profile: ReleaseProfile) -> [PathItem] {
        typealias Op = Operation
        var items: [PathItem] = [
            PathItem(
                path: "/userDefinedEvents", tag: "UserDefinedEvents",
                operations: [
                    Op(method: "get", success: 200, answer: .array("UserDefinedEvent"), errors: [400], summary: "List user-defined events"),
                    Op(method: "post", success: 201, answer: .result, errors: [400], summary: "Create a user-defined event"),
                ]),
            PathItem(
                path: "/userDefinedEvents/{id}", tag: "UserDefinedEvents",
                operations: [
                    Op(method: "get", success: 200, answer: .data("UserDefinedEvent"), errors: [400, 404], summary: "Get a user-defined event"),
                    Op(method: "put", success: 200, answer: .data("UserDefinedEvent"), errors: [400, 404], summary: "Replace a user-defined event"),
                    Op(method: "patch", success: 200, answer: .data("UserDefinedEvent"), errors: [400, 404], summary: "Update a user-defined event"),
                    Op(method: "delete", success: 200, answer: .deleted("UserDefinedEvent"), errors: [400, 404], summary: "Delete a user-defined event"),
                    Op(method: "post", success: 200, answer: .result, errors: [400, 404], summary: "Run a task (?task=Trigger)"),
                ]),
            PathItem(
                path: "/cameras", tag: "Cameras",
                operations: [Op(method: "get", success: 200, answer: .array("Camera"), errors: [400], summary: "List cameras")]),
            PathItem(
                path: "/cameras/{id}", tag: "Cameras",
                operations: [
                    Op(method: "get", success: 200, answer: .data("Camera"), errors: [400, 404], summary: "Get a camera"),
                    Op(method: "put", success: 200, answer: .data("Camera"), errors: [400, 404], summary: "Replace a camera's settings"),
                    Op(method: "patch", success: 200, answer: .data("Camera"), errors: [400, 404], summary: "Update a camera"),
                    Op(method: "post", success: 200, answer: .result, errors: [400, 404], summary: "Run a camera task (?task=…)"),
                ]),
            PathItem(
                path: "/cameras/{id}/ptzPresets", tag: "PtzPresets",
                operations: [
                    Op(method: "get", success: 200, answer: .arrayAndTasks("PtzPreset"), errors: [400, 404], summary: "List a camera's PTZ presets"),
                    Op(
                        method: "post", success: 201, answer: .result, errors: [400, 404], summary: "Create a PTZ preset, or run a task (200)",
                        alsoSuccess: [200]),
                ]),
            PathItem(
                path: "/cameras/{id}/ptzPresets/{presetId}", tag: "PtzPresets",
                operations: [
                    Op(method: "get", success: 200, answer: .data("PtzPreset"), errors: [400, 404], summary: "Get a PTZ preset"),
                    Op(method: "delete", success: 200, answer: .deleted("PtzPreset"), errors: [400, 404], summary: "Delete a PTZ preset"),
                    Op(method: "post", success: 200, answer: .result, errors: [400, 404], summary: "Run a PTZ preset task (?task=…)"),
                ]),
            PathItem(
                path: "/tasks", tag: "Tasks",
                operations: [Op(method: "get", success: 200, answer: .array("Task"), errors: [400], summary: "List tasks")]),
            PathItem(
                path: "/tasks/{id}", tag: "Tasks",
                operations: [
                    Op(method: "get", success: 200, answer: .data("Task"), errors: [400, 404], summary: "Get a task (its progress)"),
                    Op(method: "post", success: 200, answer: .result, errors: [400, 404], summary: "Run a task's task (?task=TaskCleanup)"),
                ]),
            PathItem(path: "/sites", tag: "Sites", operations: [Op(method: "get", success: 200, answer: .array("Site"), errors: [], summary: "List sites")]),
            PathItem(
                path: "/sites/{id}", tag: "Sites", operations: [Op(method: "get", success: 200, answer: .data("Site"), errors: [404], summary: "Get a site")]),
        ]
        if profile.hasPermissionResources {
            items += [
                PathItem(
                    path: "/securityNamespaces", tag: "Permissions",
                    operations: [Op(method: "get", success: 200, answer: .array("Item"), errors: [], summary: "List security namespaces")]),
                PathItem(
                    path: "/securityNamespaces/{id}", tag: "Permissions",
                    operations: [Op(method: "get", success: 200, answer: .data("Item"), errors: [404], summary: "Get a security namespace")]),
                PathItem(
                    path: "/effectivePermissions/{id}", tag: "Permissions",
                    operations: [Op(method: "get", success: 200, answer: .data("Object"), errors: [400, 404], summary: "The user's effective permissions")]),
                PathItem(
                    path: "/registeredServices", tag: "Permissions",
                    operations: [Op(method: "get", success: 200, answer: .array("Item"), errors: [], summary: "List registered services")]),
                PathItem(
                    path: "/registeredServices/{id}", tag: "Permissions",
                    operations: [Op(method: "get", success: 200, answer: .data("Item"), errors: [404], summary: "Get a registered service")]),
            ]
        }
        if profile.hasEventsAndAlarms {
            items += [
                PathItem(
                    path: "/events", tag: "Events",
                    operations: [
                        Op(method: "get", success: 200, answer: .array("Event"), errors: [400], summary: "List events, newest first"),
                        Op(method: "post", success: 202, answer: .data("Event"), errors: [400, 403], summary: "Trigger an event"),
                    ]),
                PathItem(
                    path: "/events/{id}", tag: "Events",
                    operations: [Op(method: "get", success: 200, answer: .data("Event"), errors: [404], summary: "Get an event")]),
                PathItem(
                    path: "/alarms", tag: "Alarms",
                    operations: [
                        Op(method: "get", success: 200, answer: .array("Alarm"), errors: [400], summary: "List alarms"),
                        Op(method: "post", success: 202, answer: .data("Alarm"), errors: [400], summary: "Raise an alarm"),
                    ]),
                PathItem(
                    path: "/alarms/{id}", tag: "Alarms",
                    operations: [
                        Op(method: "get", success: 200, answer: .data("Alarm"), errors: [404], summary: "Get an alarm"),
                        Op(method: "patch", success: 202, answer: .data("Alarm"), errors: [400, 404], summary: "Change an alarm's state, priority, comment"),
                    ]),
            ]
            for type in ["alarmStates", "alarmPriorities"] {
                items += [
                    PathItem(
                        path: "/\(type)", tag: "Alarms",
                        operations: [Op(method: "get", success: 200, answer: .array("AlarmLevel"), errors: [], summary: "List \(type)")]),
                    PathItem(
                        path: "/\(type)/{id}", tag: "Alarms",
                        operations: [Op(method: "get", success: 200, answer: .data("AlarmLevel"), errors: [404], summary: "Get one")]),
                ]
            }
        }
        if profile.hasBookmarks {
            items += [
                PathItem(
                    path: "/bookmarks", tag: "Bookmarks",
                    operations: [
                        Op(
                            method: "post", success: 201, answer: .result, errors: [400], summary: "Create a bookmark, or search (?task=…, 200)",
                            alsoSuccess: [200])
                    ]),
                PathItem(
                    path: "/bookmarks/{id}", tag: "Bookmarks",
                    operations: [
                        Op(method: "get", success: 200, answer: .data("Bookmark"), errors: [404], summary: "Get a bookmark"),
                        Op(method: "put", success: 200, answer: .data("Bookmark"), errors: [400, 404], summary: "Replace a bookmark"),
                        Op(method: "patch", success: 200, answer: .data("Bookmark"), errors: [400, 404], summary: "Update a bookmark"),
                        Op(method: "delete", success: 200, answer: .deleted("Bookmark"), errors: [404], summary: "Delete a bookmark"),
                    ]),
            ]
        }
        return items
    }

    /// The members every item of each resource has, typed; more members are allowed.
    static func schemas(_ profile: ReleaseProfile) -> JSONObject {
        let string: JSONValue = ["type": "string"]
        let integer: JSONValue = ["type": "integer"]
        let boolean: JSONValue = profile.usesStringBooleans ? ["type": "string", "enum": ["True", "False"]] : ["type": "boolean"]
        let relations: JSONValue = ["$ref": "#/components/schemas/Relations"]
        func object(_ required: [String], _ properties: JSONObject) -> JSONValue {
            ["type": "object", "required": .array(required.map(JSONValue.string)), "properties": .object(properties)]
        }
        let path = object(["type", "id"], ["type": string, "id": string])
        return [
            "Error": object(
                ["error"],
                [
                    "error": object(
                        ["httpCode", "details"],
                        ["httpCode": integer, "details": ["type": "array", "items": object(["errorText"], ["errorText": string, "property": string])]])
                ]),
            "Relations": object([], ["self": path, "parent": path]),
            "Object": ["type": "object"],
            "Item": object(["id"], ["id": string, "displayName": string, "relations": relations]),
            "UserDefinedEvent": object(
                ["id", "name", "displayName"], ["id": string, "name": string, "displayName": string, "subtype": string, "relations": relations]),
            "Camera": object(
                ["id", "name", "displayName", "enabled"],
                ["id": string, "name": string, "displayName": string, "enabled": boolean, "channel": integer, "relations": relations]),
            "PtzPreset": object(
                ["id", "name", "displayName"],
                ["id": string, "name": string, "displayName": string, "defaultPreset": boolean, "devicePreset": boolean, "relations": relations]),
            "Task": object(
                ["state", "progress"], ["state": ["enum": ["Idle", "InProgress", "Success", "Error"]], "progress": integer, "relations": relations]),
            "Site": object(["id", "name", "displayName", "version"], ["id": string, "name": string, "displayName": string, "version": string]),
            "Event": object(["id", "type", "source", "time"], ["id": string, "type": string, "source": string, "time": string, "data": ["type": "object"]]),
            "Alarm": object(
                ["id", "name", "source", "state", "priority"],
                ["id": string, "localId": integer, "name": string, "message": string, "source": string, "state": string, "priority": string]),
            "AlarmLevel": object(["id", "name", "level"], ["id": string, "name": string, "level": integer]),
            "Bookmark": object(["id", "device"], ["id": string, "header": string, "description": string, "device": path]),
        ]
    }
}
