import Hummingbird
import NIOCore

/// Shared state of one emulator instance.
final class EmulatorState: Sendable {
    let profile: ReleaseProfile
    let users: [String: String]
    let faults: EmulatorFaults
    let scheduler: FaultScheduler
    let store: Store
    let tokens: TokenStore

    init(_ configuration: EmulatorConfiguration) throws {
        let seed = try Seed.load(path: configuration.seedFile)
        profile = configuration.profile
        users = configuration.users.merging(seed.users) { _, fromSeed in fromSeed }
        faults = configuration.faults
        scheduler = FaultScheduler(configuration.faults)
        store = Store(profile: configuration.profile, taskDuration: configuration.taskDuration, seed: seed)
        tokens = TokenStore(lifetime: configuration.tokenLifetime)
    }
}

/// Dispatches every request. Paths are matched on lower-cased segments (IIS is case-insensitive);
/// anything outside `/api` and `/IDP` gets the IIS 404 page.
struct EmulatorResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let state: EmulatorState
    var profile: ReleaseProfile { state.profile }
    var store: Store { state.store }

    func respond(to request: Request, context: Context) async throws -> Response {
        let body = try await request.body.collect(upTo: 8 * 1024 * 1024)
        let req = EmulatorRequest(
            method: request.method, path: request.uri.path, query: request.uri.query,
            headers: request.headers, authority: request.head.authority, body: body)
        let s = req.lowerSegments
        switch s.first {
        case "api" where s.count >= 3 && s[1] == "rest" && s[2] == "v1":
            return try await faulted(req) { await rest(req) }
        case "api" where s == ["api", ".well-known", "uris"]:
            return finish(profile.hasWellKnownURIs ? wellKnownURIs(req) : .unknownResource(".well-known"))
        case "api" where s.count == 4 && s[1] == "idp" && s[2] == "connect" && s[3] == "token",
            "idp" where s.count == 3 && s[1] == "connect" && s[2] == "token":
            return try await faulted(req) { await token(req) }
        case "api" where s.dropFirst() == ["idp", ".well-known", "openid-configuration"],
            "idp" where s == ["idp", ".well-known", "openid-configuration"]:
            return finish(openIDConfiguration(req))
        case "api", "idp":
            return finish(.empty(.notFound))
        default:
            return finish(.iisNotFound)
        }
    }

    /// The Config API below `/api/rest/v1`: bearer token first, then the resource.
    func rest(_ req: EmulatorRequest) async -> Reply {
        guard let token = req.bearerToken, await state.tokens.isValid(token) else { return .unauthorized }
        let path = Array(req.segments.dropFirst(3))
        guard let resource = path.first else { return .unknownResource("") }
        let rest = Array(path.dropFirst())
        switch resource.lowercased() {
        case "userdefinedevents": return await userDefinedEvents(req, rest)
        case "cameras": return await cameras(req, rest)
        case "tasks": return await tasks(req, rest)
        case "sites": return sites(req, rest)
        case "securitynamespaces" where profile.hasPermissionResources: return securityNamespaces(req, rest)
        case "effectivepermissions" where profile.hasPermissionResources: return effectivePermissions(req, rest)
        case "registeredservices" where profile.hasPermissionResources: return registeredServices(req, rest)
        default: return .unknownResource(resource)
        }
    }

    /// Renders a Config API JSON answer with the release's boolean style.
    func answer(_ status: HTTPResponse.Status, _ value: JSON) -> Reply {
        .json(status, store.render(value))
    }

    func answer(_ value: JSON) -> Reply { answer(.ok, value) }

    /// `data` plus the optional `tasks`, `resources` and `definitions` parts a GET may ask for.
    func single(_ req: EmulatorRequest, data: JSON, tasks: [JSON] = [], resources: [JSON] = [], definitions: JSON = .obj([:])) -> Reply {
        var members: [JSON.Member] = []
        if !req.query.flag("noData") { members.append(.init(key: "data", value: data)) }
        if req.query.flag("tasks") { members.append(.init(key: "tasks", value: .array(tasks))) }
        if req.query.flag("resources") { members.append(.init(key: "resources", value: .array(resources))) }
        if req.query.flag("definitions") { members.append(.init(key: "definitions", value: definitions)) }
        return answer(.object(members))
    }

    func reply(_ error: StoreError) -> Reply {
        switch error {
        case .notFound: .notFoundID
        case .badRequest(let text, let property): .badRequest(text, property: property)
        case .unknownTask(let name): .unknownTask(name)
        }
    }

    /// The request body as JSON (`nil` when empty), or a thrown 400 answer.
    func json(_ req: EmulatorRequest) throws(ReplyError) -> JSON? {
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

// MARK: - Common headers

extension EmulatorResponder {
    static let restHeaders: HTTPFields = [
        .contentType: "application/json; charset=utf-8", .cacheControl: "no-cache",
        HTTPFields.Element.Name("Pragma")!: "no-cache", .expires: "-1",
        HTTPFields.Element.Name("X-AspNet-Version")!: "4.0.30319", HTTPFields.Element.Name("X-Powered-By")!: "ASP.NET",
        HTTPFields.Element.Name("X-Frame-Options")!: "SAMEORIGIN",
    ]
    static let htmlHeaders: HTTPFields = [.contentType: "text/html", HTTPFields.Element.Name("X-Powered-By")!: "ASP.NET"]

    func finish(_ reply: Reply) -> Response {
        Response(status: reply.status, headers: headers(for: reply), body: ResponseBody(byteBuffer: reply.body))
    }

    func headers(for reply: Reply) -> HTTPFields {
        var headers: HTTPFields
        switch reply.kind {
        case .json: headers = Self.restHeaders
        case .html: headers = Self.htmlHeaders
        case .empty: headers = [:]
        }
        for field in reply.headers { headers[field.name] = field.value }
        return headers
    }
}
