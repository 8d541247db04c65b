import Hummingbird
import NIOCore
import VigilJSON

/// Shared state of one emulator instance.
final class EmulatorState: Sendable {
    let profile: ReleaseProfile
    let users: [String: String]
    let windowsUsers: [String: String]
    let serviceClient: ServiceClient
    let handshakes = NTLMHandshakes()
    let faults: EmulatorFaults
    let scheduler: FaultScheduler
    let store: Store
    let tokens: TokenStore

    init(_ configuration: EmulatorConfiguration) throws {
        let seed = try Seed.load(path: configuration.seedFile)
        profile = configuration.profile
        users = configuration.users.merging(seed.users) { _, fromSeed in fromSeed }
        windowsUsers = configuration.windowsUsers.merging(seed.windowsUsers) { _, fromSeed in fromSeed }
        serviceClient = seed.serviceClient ?? configuration.serviceClient
        faults = configuration.faults
        scheduler = FaultScheduler(configuration.faults)
        store = Store(
            profile: configuration.profile, taskDuration: configuration.taskDuration, seed: seed,
            sessionTimeout: configuration.eventSessionTimeout)
        tokens = TokenStore(lifetime: configuration.tokenLifetime)
    }
}

/// The request context: Hummingbird's basics and the connection, which NTLM authenticates.
struct EmulatorContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// The emulator's Hummingbird router. Paths match case-insensitively, as on IIS.
///
/// - `/api/rest/v1/…`: the Config API, under ``FaultInjectionMiddleware`` then ``BearerAuthMiddleware``;
///   anything without a route there is `Unknown resource: X`. Resources a release lacks are not registered.
/// - `/IDP/connect/token` and `/API/IDP/connect/token`: the token endpoint, under the faults too.
/// - `/api/.well-known/uris`, the IDP's OpenID configuration and `/api/rest/v1/openapi.json`
///   (the emulator's own OpenAPI description): never faulted, no sign-in.
/// - `/api/ws/events/v1` (2023 R3+): requests without a WebSocket upgrade (``EventsWebSocket`` takes the others).
/// - everything else: ``IISNotFoundMiddleware`` (an empty 404 below `/api` and `/IDP`, the IIS page elsewhere).
func makeRouter(state: EmulatorState) -> Router<EmulatorContext> {
    let routes = EmulatorRoutes(state: state)
    let profile = state.profile
    let router = Router(context: EmulatorContext.self, options: .caseInsensitive)
    let faults = FaultInjectionMiddleware(faults: state.faults, scheduler: state.scheduler)

    router.onEveryMethod("api/rest/v1/openapi.json", routes.openAPIDescription)
    let rest = router.group("api/rest/v1").add(middleware: faults).add(middleware: BearerAuthMiddleware(tokens: state.tokens))
    rest.onEveryMethod("userDefinedEvents", routes.eventList)
    rest.onEveryMethod("userDefinedEvents/:id", routes.event)
    rest.onEveryMethod("userDefinedEvents/:id/**") { await routes.unknownChild(of: $0) { await routes.store.event($0) != nil } }
    rest.onEveryMethod("cameras", routes.cameraList)
    rest.onEveryMethod("cameras/:id", routes.camera)
    rest.onEveryMethod("cameras/:id/**") { await routes.unknownChild(of: $0) { await routes.store.camera($0) != nil } }
    rest.onEveryMethod("cameras/:id/ptzPresets", routes.presetList)
    rest.onEveryMethod("cameras/:id/ptzPresets/:preset", routes.preset)
    rest.onEveryMethod("cameras/:id/ptzPresets/:preset/**", routes.presetChild)
    rest.onEveryMethod("tasks", routes.taskList)
    rest.onEveryMethod("tasks/:id", routes.task)
    rest.onEveryMethod("tasks/:id/**") { await routes.unknownChild(of: $0) { await routes.store.task($0) != nil } }
    rest.onEveryMethod("sites", routes.siteList)
    rest.onEveryMethod("sites/:id", routes.site)
    rest.onEveryMethod("sites/:id/**", routes.siteChild)
    if profile.hasPermissionResources {
        rest.onEveryMethod("securityNamespaces", routes.securityNamespaceList)
        rest.onEveryMethod("securityNamespaces/:id", routes.securityNamespace)
        rest.onEveryMethod("securityNamespaces/:id/**", routes.permissionChild)
        rest.onEveryMethod("effectivePermissions", routes.effectivePermissionsWithoutNamespace)
        rest.onEveryMethod("effectivePermissions/:id", routes.effectivePermissions)
        rest.onEveryMethod("effectivePermissions/:id/**", routes.permissionChild)
        rest.onEveryMethod("registeredServices", routes.registeredServiceList)
        rest.onEveryMethod("registeredServices/:id", routes.registeredService)
        rest.onEveryMethod("registeredServices/:id/**", routes.permissionChild)
    }
    if profile.hasEventsAndAlarms {
        rest.onEveryMethod("events", routes.occurredEventList)
        rest.onEveryMethod("events/:id", routes.occurredEvent)
        rest.onEveryMethod("events/:id/**") { await routes.unknownChild(of: $0) { await routes.store.occurredEvent($0) != nil } }
        rest.onEveryMethod("alarms", routes.alarmList)
        rest.onEveryMethod("alarms/:id", routes.alarm)
        rest.onEveryMethod("alarms/:id/**") { await routes.unknownChild(of: $0) { await routes.store.alarm($0) != nil } }
        for type in ["alarmStates", "alarmPriorities"] {
            rest.onEveryMethod(RouterPath(type)) { routes.alarmLevelList($0, type: type) }
            rest.onEveryMethod(RouterPath("\(type)/:id")) { routes.alarmLevel($0, type: type) }
        }
    }
    if profile.hasBookmarks {
        rest.onEveryMethod("bookmarks", routes.bookmarkList)
        rest.onEveryMethod("bookmarks/:id", routes.bookmark)
        rest.onEveryMethod("bookmarks/:id/**") { await routes.unknownChild(of: $0) { await routes.store.bookmark($0) != nil } }
    }
    rest.onEveryMethod("") { _ in .unknownResource("") }
    rest.onEveryMethod("**") { .unknownResource($0.remainder.first ?? "") }

    for idp in ["IDP", "API/IDP"] {
        router.group(RouterPath(idp)).add(middleware: faults).onEveryMethod("connect/token") { await routes.token($0, viaGateway: idp == "API/IDP") }
        router.onEveryMethod("\(idp)/.well-known/openid-configuration", routes.openIDConfiguration)
    }
    if profile.hasEventsWebSocket {
        router.onEveryMethod(RouterPath(String(EventsWebSocket.path.dropFirst())), routes.eventsWebSocketWithoutUpgrade)
    }
    if profile.hasWellKnownURIs {
        router.onEveryMethod("api/.well-known/uris", routes.wellKnownURIs)
    } else {
        router.onEveryMethod("api/.well-known/uris") { _ in .unknownResource(".well-known") }
    }
    // Added last, so it wraps only the router's not-found responder.
    router.add(middleware: IISNotFoundMiddleware())
    return router
}

extension RouterMethods where Context == EmulatorContext {
    /// Registers `handler` for `path` under every standard method. The Config API answers a verb a
    /// resource lacks with 405 and `Allow`, and some resources check the id first, so each handler
    /// switches on the method itself.
    @discardableResult
    func onEveryMethod(_ path: RouterPath, _ handler: @escaping @Sendable (EmulatorRequest) async -> Reply) -> Self {
        for method in [HTTPRequest.Method.get, .head, .post, .put, .patch, .delete, .options, .trace, .connect] {
            on(path, method: method) { request, context in
                await handler(try await EmulatorRequest(request, context: context))
            }
        }
        return self
    }
}

/// The route handlers of one emulator, in the `…Routes.swift` files, registered by ``makeRouter(state:)``.
struct EmulatorRoutes: Sendable {
    let state: EmulatorState
    var profile: ReleaseProfile { state.profile }
    var store: Store { state.store }

    /// Renders a Config API JSON answer with the release's boolean style.
    func answer(_ status: HTTPResponse.Status, _ value: JSONValue) -> Reply {
        .json(status, store.render(value))
    }

    func answer(_ value: JSONValue) -> Reply { answer(.ok, value) }

    /// `data` plus the optional `tasks`, `resources` and `definitions` parts a GET may ask for.
    func single(
        _ req: EmulatorRequest, data: JSONValue, tasks: [JSONValue] = [], resources: [JSONValue] = [], definitions: JSONValue = [:]
    ) -> Reply {
        var members = JSONObject()
        if !req.query.flag("noData") { members["data"] = data }
        if req.query.flag("tasks") { members["tasks"] = .array(tasks) }
        if req.query.flag("resources") { members["resources"] = .array(resources) }
        if req.query.flag("definitions") { members["definitions"] = definitions }
        return answer(.object(members))
    }

    /// `/{resource}/{id}/{child}…` of a resource without children: 404 for an unknown id, else
    /// `Unknown resource: child`.
    func unknownChild(of req: EmulatorRequest, exists: (String) async -> Bool) async -> Reply {
        guard await exists(req.id) else { return .notFoundID }
        return .unknownResource(req.remainder.first ?? "")
    }

    func reply(_ error: StoreError) -> Reply {
        switch error {
        case .notFound: .notFoundID
        case .badRequest(let text, let property): .badRequest(text, property: property)
        case .unknownTask(let name): .unknownTask(name)
        case .forbidden: .error(403, "Forbidden, you are not authorized to access this object")
        case .missingParameters(let names): .missingParameters(names)
        }
    }

    /// The request body as JSON (`nil` when empty), or a thrown 400 answer.
    func json(_ req: EmulatorRequest) throws(ReplyError) -> JSONValue? {
        do { return try req.jsonBody() } catch {
            throw ReplyError(reply: .badRequest("Bad Request - invalid JSON: \(error.message)"))
        }
    }

    /// Runs a route body, turning thrown store errors and replies into answers.
    func handle(_ body: () async throws -> Reply) async -> Reply {
        do { return try await body() } catch let error as StoreError { return reply(error) } catch let error as ReplyError {
            return error.reply
        } catch { return .error(500, "Internal Server Error") }
    }
}

struct ReplyError: Error { var reply: Reply }
