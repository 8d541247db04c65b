import Foundation
import Testing
import VigilTestSupport

/// WebSocket messages against a loopback server sending frames as they are: large messages,
/// whole or in fragments, up to the 64 MiB limit; over it, or text that is not UTF-8, a clear
/// failure of the step, the connection closed with the code RFC 6455 names.
@Suite struct WebSocketLimitsTests {
    /// Runs one `WS:` step against `server` (path `path`) expecting `expect` (one reply).
    private func run(_ server: ScriptedWebSocketServer, path: String, expect: String) async throws -> ProcessResult {
        let dir = try scratch([
            "c.yaml": """
            name: c
            requests:
              - name: big
                WS: "\(server.url)/\(path)"
                send: [ { a: 1 } ]
                expect: [ \(expect) ]
                timeout: 20s
            """
        ])
        return try await vigil(["run", "c.yaml"], in: dir)
    }

    private static let limit = 64 * 1024 * 1024

    @Test func messagesOver16KiBArriveWholeOrInFragments() async throws {
        let server = try await ScriptedWebSocketServer.start { path in
            switch path {
            case "/n16385": [.frame(.text, "\"" + String(repeating: "a", count: 16383) + "\"")]
            case "/2MiB": [.frame(.text, "\"" + String(repeating: "a", count: 2 << 20) + "\"")]
            default:
                // Three fragments, a two-byte character split between the last two.
                [
                    .frame(.text, "{\"a\": \"" + String(repeating: "x", count: 20_000), fin: false),
                    .frame(.continuation, Array(String(repeating: "y", count: 20_000).utf8) + Array("\u{E9}".utf8.prefix(1)), fin: false),
                    .frame(.continuation, Array("\u{E9}".utf8.dropFirst()) + Array("\"}".utf8)),
                ]
            }
        }
        defer { Task { await server.stop() } }
        for path in ["n16385", "2MiB"] {
            let r = try await run(server, path: path, expect: #"{ "$": { type: string } }"#)
            #expect(r.status == 0, "\(path): \(r.all)")
        }
        let r = try await run(server, path: "fragments", expect: #"{ a: { length: 40001, startsWith: xxx, endsWith: "yé" } }"#)
        #expect(r.status == 0, "\(r.all)")
    }

    /// NIO's decoder refuses the frame from its header and closes the connection before the
    /// error reaches the WebSocket library: the message names the limit as a possible cause.
    @Test func aFrameOverTheLimitFailsTheStepNamingTheLimit() async throws {
        let server = try await ScriptedWebSocketServer.start { _ in [.frame(.text, repeating: 0x61, count: Self.limit + 1)] }
        defer { Task { await server.stop() } }
        let r = try await run(server, path: "big", expect: #"{ "$": { type: string } }"#)
        #expect(r.status == 3, "\(r.all)")
        let said = "the connection closed without a close frame: the server closed it, or sent a frame over the 64 MiB limit (67108864 bytes), which is refused"
        #expect(r.all.contains(said + ", after 0 messages received"), "\(r.all)")
        // A message of exactly the limit is taken.
        let fits = try await ScriptedWebSocketServer.start { _ in
            [.frame(.text, [0x22], fin: false), .frame(.continuation, repeating: 0x61, count: Self.limit - 2, fin: false), .frame(.continuation, [0x22])]
        }
        defer { Task { await fits.stop() } }
        let whole = try await run(fits, path: "fits", expect: #"{ "$": { length: 67108862 } }"#)
        #expect(whole.status == 0, "\(whole.all)")
    }

    @Test func aFragmentedMessageOverTheLimitFailsTheStepAndClosesWith1009() async throws {
        let part = 16 << 20
        let server = try await ScriptedWebSocketServer.start { _ in
            [.frame(.text, repeating: 0x61, count: part, fin: false)]
                + (1...3).map { _ in .frame(.continuation, repeating: 0x61, count: part, fin: false) }
                + [.frame(.continuation, repeating: 0x61, count: 1)]
        }
        defer { Task { await server.stop() } }
        let r = try await run(server, path: "big", expect: #"{ "$": { type: string } }"#)
        #expect(r.status == 3, "\(r.all)")
        #expect(r.all.contains("the server sent a message over the 64 MiB limit (67108864 bytes) in several frames"), "\(r.all)")
        #expect(server.closeCodes == [1009])
    }

    /// RFC 6455 §8.1: text that is not UTF-8 fails the connection (1007), as it fails an HTTP body;
    /// it is not replaced with U+FFFD for the checks to pass over.
    @Test func invalidUTF8InATextMessageFailsTheStepAndClosesWith1007() async throws {
        let server = try await ScriptedWebSocketServer.start { _ in [.frame(.text, Array(#"{"a":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8))] }
        defer { Task { await server.stop() } }
        let r = try await run(server, path: "badutf8", expect: "{ a: { type: string } }")
        #expect(r.status == 3, "\(r.all)")
        #expect(r.all.contains("the server sent a text message that is not valid UTF-8; the connection was closed with 1007 invalid data"), "\(r.all)")
        #expect(server.closeCodes == [1007])
    }

    @Test func framesOutOfOrderFailTheStepAndCloseWith1002() async throws {
        let server = try await ScriptedWebSocketServer.start { _ in [.frame(.continuation, "{}")] }
        defer { Task { await server.stop() } }
        let r = try await run(server, path: "order", expect: "{}")
        #expect(r.status == 3, "\(r.all)")
        #expect(r.all.contains("the server broke the WebSocket protocol; the connection was closed with 1002 protocol error"), "\(r.all)")
        #expect(server.closeCodes == [1002])
    }
}
