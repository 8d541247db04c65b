/// 2024 R2 additions: `/securityNamespaces`, `/effectivePermissions/{namespaceId}` and
/// `/registeredServices`. The emulator's users are all administrators.
extension EmulatorResponder {
    static let cameraNamespaceID = "623d03f8-c5d5-46bc-a2f4-4c03562d4f85"
    static let apiGatewayServiceType = "e46b7bf9-03ce-44eb-bbdc-8ba16d0aaa80"
    static let apiGatewayServiceID = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"

    static let cameraActions: [(String, String, Int)] = [
        ("GENERIC_READ", "Read", 1), ("VIEW_LIVE", "Live", 2), ("PLAYBACK", "Playback", 4),
        ("PTZ_CONTROL", "PTZ", 8), ("MANAGE_PTZ_PRESETS", "Manage PTZ presets", 16), ("EXPORT", "Export", 32),
    ]

    static func namespace(host: String) -> JSON {
        .obj([
            "displayName": .string("Cameras"), "id": .string(cameraNamespaceID), "name": .string("Cameras"),
            "securityActions": .array(
                cameraActions.map {
                    .obj(["name": .string($0.0), "displayName": .string($0.1), "visible": .bool(true), "securityMask": .int($0.2)])
                }),
            "relations": .obj(["self": Envelope.path("securityNamespaces", cameraNamespaceID)]),
        ])
    }

    func securityNamespaces(_ req: EmulatorRequest, _ path: [String]) -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        switch path.count {
        case 0: return answer(Envelope.array([Self.namespace(host: req.host)]))
        case 1:
            guard path[0].lowercased() == Self.cameraNamespaceID else { return .notFoundID }
            return single(req, data: Self.namespace(host: req.host))
        default: return .unknownResource(path[1])
        }
    }

    func effectivePermissions(_ req: EmulatorRequest, _ path: [String]) -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        guard path.count == 1 else { return path.isEmpty ? .badRequest("Bad request: Unknown request") : .unknownResource(path[1]) }
        guard path[0].lowercased() == Self.cameraNamespaceID else { return .notFoundID }
        let mask = Self.cameraActions.reduce(0) { $0 | $1.2 }
        let ids = (req.query.value("objectIds") ?? "").split(separator: ",").map { String($0).lowercased() }
        return answer(
            Envelope.data(
                .obj([
                    "id": .string(Self.cameraNamespaceID), "isAdministrator": .bool(true),
                    "objectPermissions": .array(ids.map { .obj(["id": .string($0), "mask": .int(mask)]) }),
                ])))
    }

    func registeredServices(_ req: EmulatorRequest, _ path: [String]) -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        let service: JSON = .obj([
            "displayName": .string("API Gateway"), "id": .string(Self.apiGatewayServiceID), "name": .string("API Gateway"),
            "type": .string(Self.apiGatewayServiceType), "instance": .string(Self.apiGatewayServiceID),
            "uris": .array([.string("http://\(req.host)/API/")]), "enabled": .bool(true), "description": .string(""),
            "relations": .obj(["self": Envelope.path("registeredServices", Self.apiGatewayServiceID)]),
        ])
        switch path.count {
        case 0: return answer(Envelope.array([service]))
        case 1:
            guard path[0].lowercased() == Self.apiGatewayServiceID else { return .notFoundID }
            return single(req, data: service)
        default: return .unknownResource(path[1])
        }
    }
}
