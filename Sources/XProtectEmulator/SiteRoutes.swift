import VigilJSON

/// `/sites`: the one site, whose `version` is the release's version string.
extension EmulatorRoutes {
    /// `/sites`
    func siteList(_ req: EmulatorRequest) -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        return answer(Envelope.array([store.site]))
    }

    /// `/sites/{id}`
    func site(_ req: EmulatorRequest) -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        guard req.id.lowercased() == SeedData.siteID else { return .notFoundID }
        return single(req, data: store.site)
    }

    /// `/sites/{id}/{child}…`
    func siteChild(_ req: EmulatorRequest) -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        guard req.id.lowercased() == SeedData.siteID else { return .notFoundID }
        return .unknownResource(req.remainder.first ?? "")
    }
}
