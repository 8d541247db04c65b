import NIOCore
import Synchronization

/// The connection a ``ConnectionSession`` holds between its requests.
final class PinnedChannel: Sendable {
    private let held = Mutex<(route: NIOHTTP1Transport.Route, channel: any Channel)?>(nil)

    /// The held connection when it goes to `route` and is still open.
    func take(_ route: NIOHTTP1Transport.Route) -> (any Channel)? {
        held.withLock { h in
            guard let current = h, current.route == route, current.channel.isActive else { return nil }
            return current.channel
        }
    }

    func keep(_ channel: any Channel, route: NIOHTTP1Transport.Route) {
        held.withLock { $0 = (route, channel) }
    }

    func drop() { held.withLock { $0 = nil } }

    func release() -> (route: NIOHTTP1Transport.Route, channel: any Channel)? {
        held.withLock { h in
            defer { h = nil }
            return h
        }
    }
}

extension NIOHTTP1Transport {
    /// Requests in turn over one kept-alive connection: no other request of the run uses it
    /// until the session ends, when it goes back to the pool.
    public func connectionSession() -> any ConnectionSession { NIOConnectionSession(transport: self) }
}

struct NIOConnectionSession: ConnectionSession {
    let transport: NIOHTTP1Transport
    let pinned = PinnedChannel()

    func send(_ request: PreparedRequest) async throws(TransportError) -> ReceivedResponse {
        try await transport.send(request, pinned: pinned)
    }

    func close() {
        if let (route, channel) = pinned.release(), channel.isActive { transport.release(channel, route: route) }
    }
}
