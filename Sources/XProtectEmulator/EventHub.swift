import Synchronization
import VigilJSON

/// What a WebSocket connection sends, in order: text frames from commands and the hub, then perhaps a close.
enum SocketOutput: Sendable {
    case text(String)
    /// Send a close frame with this code and reason, then stop.
    case close(code: UInt16, reason: String)
}

/// One `addSubscription` filter. `nil` sets stand for `["*"]`; ids and types are lower case.
struct EventFilter: Sendable, Equatable {
    var include: Bool
    var resourceTypes: Set<String>?
    var sourceIDs: Set<String>?
    var eventTypes: Set<String>?

    func matches(resourceType: String, sourceID: String, eventType: String) -> Bool {
        (resourceTypes?.contains(resourceType) ?? true) && (sourceIDs?.contains(sourceID) ?? true)
            && (eventTypes?.contains(eventType) ?? true)
    }

    /// A subscription passes an event that an include filter matches and no exclude filter does.
    static func passes(_ filters: [EventFilter], resourceType: String, sourceID: String, eventType: String) -> Bool {
        let matching = filters.filter { $0.matches(resourceType: resourceType, sourceID: sourceID, eventType: eventType) }
        return matching.contains { $0.include } && !matching.contains { !$0.include }
    }

    /// Whether any subscription passes an event whose `source` is `type/id`.
    static func anyPasses(_ subscriptions: [[EventFilter]], source: String, eventType: String) -> Bool {
        let parts = source.lowercased().split(separator: "/", maxSplits: 1)
        let resourceType = parts.first.map(String.init) ?? ""
        let sourceID = parts.count > 1 ? String(parts[1]) : ""
        return subscriptions.contains { passes($0, resourceType: resourceType, sourceID: sourceID, eventType: eventType.lowercased()) }
    }
}

/// The publish/subscribe hub behind the Events and State WebSocket: Events and State sessions
/// (with their subscriptions and a log of the events they matched, for resuming) and the open
/// connections they are attached to. The REST code calls ``publish(_:)`` for every new event.
final class EventHub: Sendable {
    /// How long a detached session stays resumable.
    let sessionTimeout: Duration
    /// Events kept per session for replay.
    static let logLimit = 1000

    private struct Session {
        var subscriptions: [(id: Int, filters: [EventFilter])] = []
        var nextSubscriptionID = 1
        /// Matched events with their sequence numbers, oldest first.
        var log: [(seq: Int, event: JSONObject)] = []
        var connection: Int?
        var detachedAt: ContinuousClock.Instant?
        /// The last sequence number sent to the attached connection.
        var lastSent = 0
    }

    private struct State {
        var sessions: [String: Session] = [:]
        var outboxes: [Int: AsyncStream<SocketOutput>.Continuation] = [:]
        var sessionOf: [Int: String] = [:]
        var nextConnection = 1
        var nextSeq = 1
        var generator = SplitMix64(seed: 0xE55_5E55_1011)
    }

    private let state = Mutex(State())

    init(sessionTimeout: Duration) { self.sessionTimeout = sessionTimeout }

    /// A new connection; what the hub sends it goes to `outbox`.
    func connect(_ outbox: AsyncStream<SocketOutput>.Continuation) -> Int {
        state.withLock { state in
            let id = state.nextConnection
            state.nextConnection += 1
            state.outboxes[id] = outbox
            return id
        }
    }

    /// The connection closed: its session (if any) becomes resumable for ``sessionTimeout``.
    func disconnect(_ connection: Int) {
        state.withLock {
            $0.outboxes[connection] = nil
            Self.detach(connection, &$0)
        }
    }

    private static func detach(_ connection: Int, _ state: inout State) {
        guard let id = state.sessionOf.removeValue(forKey: connection) else { return }
        if state.sessions[id]?.connection == connection {
            state.sessions[id]?.connection = nil
            state.sessions[id]?.detachedAt = .now
        }
    }

    /// `startSession`: resumes `sessionID` (200) when it is known and attached elsewhere or detached
    /// for less than ``sessionTimeout``, else starts a new session (201). `respond(status, sessionId)`
    /// renders the answer, which is queued, followed on a resume by the events missed since `eventID`
    /// (or, when that id is unknown, since the session was detached), before any newer event.
    func startSession(connection: Int, sessionID: String, eventID: String, respond: (Int, String) -> String) {
        state.withLock { state in
            guard let outbox = state.outboxes[connection] else { return }
            Self.detach(connection, &state)
            let now = ContinuousClock.now
            state.sessions = state.sessions.filter { $0.value.detachedAt.map { now - $0 < sessionTimeout } ?? true }
            let requested = sessionID.lowercased()
            if !requested.isEmpty, var session = state.sessions[requested] {
                if let previous = session.connection { state.sessionOf[previous] = nil }
                let from = session.log.first { $0.event["id"]?.stringValue == eventID.lowercased() }?.seq ?? session.lastSent
                let missed = session.log.filter { $0.seq > from }.map { JSONValue.object($0.event) }
                session.connection = connection
                session.detachedAt = nil
                session.lastSent = session.log.last?.seq ?? session.lastSent
                state.sessions[requested] = session
                state.sessionOf[connection] = requested
                outbox.yield(.text(respond(200, requested)))
                if !missed.isEmpty { outbox.yield(.text(Self.frame(missed))) }
            } else {
                let id = UUIDGenerator.uuid(from: &state.generator)
                state.sessions[id] = Session(connection: connection)
                state.sessionOf[connection] = id
                outbox.yield(.text(respond(201, id)))
            }
        }
    }

    /// The session attached to `connection`, if any.
    func session(of connection: Int) -> String? { state.withLock { $0.sessionOf[connection] } }

    /// Adds a subscription to the connection's session; `nil` without a session.
    func addSubscription(connection: Int, filters: [EventFilter]) -> Int? {
        state.withLock { state in
            guard let id = state.sessionOf[connection], var session = state.sessions[id] else { return nil }
            let subscription = session.nextSubscriptionID
            session.nextSubscriptionID += 1
            session.subscriptions.append((subscription, filters))
            state.sessions[id] = session
            return subscription
        }
    }

    /// Removes a subscription; `false` when there is no session or no such subscription.
    func removeSubscription(connection: Int, subscription: Int) -> Bool {
        state.withLock { state in
            guard let id = state.sessionOf[connection], let index = state.sessions[id]?.subscriptions.firstIndex(where: { $0.id == subscription })
            else { return false }
            state.sessions[id]?.subscriptions.remove(at: index)
            return true
        }
    }

    /// The filters of every subscription of the connection's session; `nil` without a session.
    func subscriptions(of connection: Int) -> [[EventFilter]]? {
        state.withLock { state in
            state.sessionOf[connection].flatMap { state.sessions[$0] }.map { $0.subscriptions.map(\.filters) }
        }
    }

    /// Logs `event` in every session a subscription of which passes it, and pushes it to the
    /// attached connections as `{"events":[event]}`.
    func publish(_ event: JSONObject) {
        let source = event["source"]?.stringValue ?? "", type = event["type"]?.stringValue ?? ""
        state.withLock { state in
            let seq = state.nextSeq
            state.nextSeq += 1
            for (id, session) in state.sessions where EventFilter.anyPasses(session.subscriptions.map(\.filters), source: source, eventType: type) {
                var session = session
                session.log.append((seq, event))
                if session.log.count > Self.logLimit { session.log.removeFirst(session.log.count - Self.logLimit) }
                if let connection = session.connection, let outbox = state.outboxes[connection] {
                    outbox.yield(.text(Self.frame([.object(event)])))
                    session.lastSent = seq
                }
                state.sessions[id] = session
            }
        }
    }

    /// A pushed frame: `{"events":[…]}`, compact.
    static func frame(_ events: [JSONValue]) -> String {
        JSONValue.object(["events": .array(events)]).serialized(.compact)
    }
}
