import VigilJSON

/// 2024 R2 additions: `/securityNamespaces`, `/effectivePermissions/{namespaceId}` and
/// `/registeredServices`. The emulator's users are all administrators.
extension EmulatorRoutes {
    static let cameraNamespaceID = "623d03f8-c5d5-46bc-a2f4-4c03562d4f85"
    static let apiGatewayServiceType = "e46b7bf9-03ce-44eb-bbdc-8ba16d0aaa80"
    static let apiGatewayServiceID = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"

    static let cameraActions: [(String, String, Int)] = [
        ("GENERIC_READ", "Read", 1), ("VIEW_LIVE", "Live", 2), ("PLAYBACK", "Playback", 4),
        ("PTZ_CONTROL", "PTZ", 8), ("MANAGE_PTZ_PRESETS", "Manage PTZ presets", 16), ("EXPORT", "Export", 32),
    ]

    static func namespace(host: String) -> JSONValue {
        .object([
            "displayName": .string("Cameras"), "id": .string(cameraNamespaceID), "name": .string("Cameras"),
            "securityActions": .array(
                cameraActions.map {
                    JSONValue.object(["name": .string($0.0), "displayName": .string($0.1), "visible": .bool(true), "securityMask": .int(Int64($0.2))])
                }),
            "relations": .object(["self": Envelope.path("securityNamespaces", cameraNamespaceID)]),
        ])
    }

    /// `/securityNamespaces`
    func securityNamespaceList(_ req: EmulatorRequest) -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        return answer(Envelope.array([Self.namespace(host: req.host)]))
    }

    /// `/securityNamespaces/{id}`
    func securityNamespace(_ req: EmulatorRequest) -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        guard req.id.lowercased() == Self.cameraNamespaceID else { return .notFoundID }
        return single(req, data: Self.namespace(host: req.host))
    }

    /// `/effectivePermissions` without a namespace.
    func effectivePermissionsWithoutNamespace(_ req: EmulatorRequest) -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        return .badRequest("Bad request: Unknown request")
    }

    /// `/effectivePermissions/{namespaceId}[?objectIds=a,b]`
    func effectivePermissions(_ req: EmulatorRequest) -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        guard req.id.lowercased() == Self.cameraNamespaceID else { return .notFoundID }
        let mask = Self.cameraActions.reduce(0) { $0 | $1.2 }
        let ids = (req.query.value("objectIds") ?? "").split(separator: ",").map { String($0).lowercased() }
        return answer(
            Envelope.data(
                .object([
                    "id": .string(Self.cameraNamespaceID), "isAdministrator": .bool(true),
                    "objectPermissions": .array(ids.map { JSONValue.object(["id": .string($0), "mask": .int(Int64(mask))]) }),
                ])))
    }

    static func registeredService(host: String) -> JSONValue {
        .object([
            "displayName": .string("API Gateway"), "id": .string(apiGatewayServiceID), "name": .string("API Gateway"),
            "type": .string(apiGatewayServiceType), "instance": .string(apiGatewayServiceID),
            "uris": .array([.string("http://\(host)/API/")]), "enabled": .bool(true), "description": .string(""),
            "relations": .object(["self": Envelope.path("registeredServices", apiGatewayServiceID)]),
        ])
    }

    /// `/registeredServices`
    func registeredServiceList(_ req: EmulatorRequest) -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        return answer(Envelope.array([Self.registeredService(host: req.host)]))
    }

    /// `/registeredServices/{id}`
    func registeredService(_ req: EmulatorRequest) -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        guard req.id.lowercased() == Self.apiGatewayServiceID else { return .notFoundID }
        return single(req, data: Self.registeredService(host: req.host))
    }

    /// `/{securityNamespaces|effectivePermissions|registeredServices}/{id}/{child}…`
    func permissionChild(_ req: EmulatorRequest) -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        return .unknownResource(req.remainder.first ?? "")
    }
}
