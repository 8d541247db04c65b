/// `/sites`: the one site, whose `version` is the release's version string.
extension EmulatorResponder {
    func sites(_ req: EmulatorRequest, _ path: [String]) -> Reply {
        guard req.method == .get else { return .methodNotAllowed("GET") }
        switch path.count {
        case 0: return answer(Envelope.array([store.site]))
        case 1:
            guard path[0].lowercased() == SeedData.siteID else { return .notFoundID }
            return single(req, data: store.site)
        default:
            guard path[0].lowercased() == SeedData.siteID else { return .notFoundID }
            return .unknownResource(path[1])
        }
    }
}
