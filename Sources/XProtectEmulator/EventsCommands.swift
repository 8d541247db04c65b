import HummingbirdWebSocket
import VigilJSON

/// The commands of one Events and State WebSocket connection: `authenticate` (2024 R1+),
/// `startSession`, `addSubscription`, `removeSubscription`, `getState`. Every answer carries
/// `commandId` and `status`, and `error.errorText` when the status is not 2xx.
struct EventsCommands {
    let state: EmulatorState
    let connection: Int
    var authenticated: Bool

    /// A malformed command.
    private struct Malformed: Error { var reason: String }

    /// The answer to one message, and the close that follows it, if any.
    mutating func handle(_ message: WebSocketMessage) async -> (answer: String?, close: SocketOutput?) {
        guard case .text(let text) = message else {
            return (nil, .close(code: EventsSocketConnection.binaryClose, reason: "Binary frames are not supported"))
        }
        let parsed: (JSONValue, String, Int64)
        do throws(Malformed) {
            parsed = try Self.parse(text)
        } catch {
            return (nil, .close(code: EventsSocketConnection.malformedClose, reason: "Malformed command: \(error.reason)"))
        }
        let (command, name, id) = parsed
        let profile = state.profile
        if name == "authenticate" && profile.hasEventsWebSocketAuthentication {
            let token = command.member("token")?.stringValue ?? ""
            let bare = token.lowercased().hasPrefix("bearer ") ? String(token.dropFirst(7)).trimmingSpaces : token.trimmingSpaces
            guard !bare.isEmpty, await state.tokens.isValid(bare) else { return unauthorized(id) }
            authenticated = true
            return (Self.answer(id, 200), nil)
        }
        guard authenticated else { return unauthorized(id) }
        do throws(Failure) {
            return (try await run(name, command, id: id), nil)
        } catch {
            return (Self.error(id, error.status, error.text), nil)
        }
    }

    private func unauthorized(_ id: Int64) -> (answer: String?, close: SocketOutput?) {
        (Self.error(id, 401, "Unauthorized"), .close(code: EventsSocketConnection.malformedClose, reason: "Unauthorized"))
    }

    /// A command's failure: an error answer; the socket stays open.
    struct Failure: Error {
        var status: Int
        var text: String
        init(_ status: Int, _ text: String) {
            self.status = status
            self.text = text
        }
    }

    private func run(_ name: String, _ command: JSONValue, id: Int64) async throws(Failure) -> String? {
        let hub = state.store.hub
        switch name {
        case "startSession":
            let sessionID = try Self.optionalString(command, "sessionId")
            let eventID = try Self.optionalString(command, "eventId")
            let (seconds, attoseconds) = hub.sessionTimeout.components
            let timeout = state.profile.hasEventsWebSocketAuthentication ? Int(seconds) + (attoseconds > 0 ? 1 : 0) : nil
            hub.startSession(connection: connection, sessionID: sessionID, eventID: eventID) { status, session in
                var members: JSONObject = ["sessionId": .string(session)]
                if let timeout { members["inactiveTimeoutSeconds"] = .int(Int64(timeout)) }
                return Self.answer(id, status, members)
            }
            return nil
        case "addSubscription":
            let filters = try Self.filters(command.member("filters"))
            guard let subscription = hub.addSubscription(connection: connection, filters: filters) else { throw Self.noSession }
            return Self.answer(id, 200, ["subscriptionId": .int(Int64(subscription))])
        case "removeSubscription":
            let raw = command.member("subscriptionId")
            guard let subscription = raw?.integerValue ?? raw?.stringValue.flatMap({ Int($0) }) else {
                throw Failure(400, "Bad Request - subscriptionId is required")
            }
            guard hub.session(of: connection) != nil else { throw Self.noSession }
            guard hub.removeSubscription(connection: connection, subscription: subscription) else {
                throw Failure(404, "Not Found - unknown subscription: \(subscription)")
            }
            return Self.answer(id, 200)
        case "getState":
            guard let subscriptions = hub.subscriptions(of: connection) else { throw Self.noSession }
            let states = await state.store.currentStates().filter {
                EventFilter.anyPasses(subscriptions, source: $0["source"]?.stringValue ?? "", eventType: $0["type"]?.stringValue ?? "")
            }
            return Self.answer(id, 200, ["states": .array(states.map(JSONValue.object))])
        default:
            throw Failure(400, "Bad Request - unknown command: \(name)")
        }
    }

    private static let noSession = Failure(400, "Bad Request - no session: send startSession first")

    /// `{command, commandId, …}`: a JSON object with a string `command` and an integer `commandId`.
    private static func parse(_ text: String) throws(Malformed) -> (JSONValue, String, Int64) {
        let value: JSONValue
        do { value = try JSONValue(parsing: text) } catch { throw Malformed(reason: "invalid JSON") }
        guard case .object = value else { throw Malformed(reason: "not a JSON object") }
        guard let name = value.member("command")?.stringValue, !name.isEmpty else { throw Malformed(reason: "no command") }
        guard let id = value.member("commandId")?.intValue else { throw Malformed(reason: "no integer commandId") }
        return (value, name, id)
    }

    private static func optionalString(_ command: JSONValue, _ key: String) throws(Failure) -> String {
        guard let raw = command.member(key), raw != .null else { return "" }
        guard let text = raw.stringValue else { throw Failure(400, "Bad Request - \(key) must be a string") }
        return text.trimmingSpaces
    }

    /// `filters: [{modifier, resourceTypes, sourceIds, eventTypes}]`, each list `["*"]` or values.
    static func filters(_ raw: JSONValue?) throws(Failure) -> [EventFilter] {
        guard let items = raw?.arrayValue, !items.isEmpty else { throw Failure(400, "Bad Request - filters must be a non-empty array") }
        var filters: [EventFilter] = []
        for (index, item) in items.enumerated() {
            let modifier = item.member("modifier")?.stringValue?.lowercased()
            guard modifier == "include" || modifier == "exclude" else {
                throw Failure(400, "Bad Request - filters[\(index)].modifier must be include or exclude")
            }
            var lists: [Set<String>?] = []
            for key in ["resourceTypes", "sourceIds", "eventTypes"] {
                let values = item.member(key)?.arrayValue?.compactMap { $0.stringValue?.trimmingSpaces.lowercased() }
                guard let values, !values.isEmpty, values.count == item.member(key)?.arrayValue?.count else {
                    throw Failure(400, "Bad Request - filters[\(index)].\(key) must be a non-empty array of strings")
                }
                lists.append(values.contains("*") ? nil : Set(values))
            }
            filters.append(EventFilter(include: modifier == "include", resourceTypes: lists[0], sourceIDs: lists[1], eventTypes: lists[2]))
        }
        return filters
    }

    static func answer(_ id: Int64, _ status: Int, _ members: JSONObject = [:]) -> String {
        var object: JSONObject = ["commandId": .int(id), "status": .int(Int64(status))]
        for (key, value) in members { object[key] = value }
        return JSONValue.object(object).serialized(.compact)
    }

    static func error(_ id: Int64, _ status: Int, _ text: String) -> String {
        answer(id, status, ["error": .object(["errorText": .string(text)])])
    }
}

extension Store {
    /// `getState`'s states (chosen): the Motion state of every enabled camera, `Motion Stopped`.
    func currentStates() -> [JSONObject] {
        let motionStopped = SeedData.deviceEventTypes[1].id
        return cameras.filter(\.enabled).map { camera -> JSONObject in
            [
                "source": .string("cameras/\(camera.id)"), "stategroupid": .string(SeedData.motionStateGroupID),
                "type": .string(motionStopped), "time": .string(SeedData.seedTimestamp),
            ]
        }
    }
}
