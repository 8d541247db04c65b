import Foundation
import Synchronization
import Testing
import VigilCore
import VigilRunner
import VigilTestSupport
import XProtectEmulator

/// ``NIOHTTP1Transport`` against scripted loopback servers and the emulator.
@Suite struct NIOTransportTests {
    private func transport(maxBodyBytes: Int = 1 << 20) throws -> NIOHTTP1Transport {
        try NIOHTTP1Transport(tls: TLSSettings(), maxBodyBytes: maxBodyBytes)
    }

    private func get(_ url: String, timeout: Duration = .seconds(5)) -> PreparedRequest {
        PreparedRequest(method: "GET", url: url, timeout: timeout)
    }

    /// Sends `request` and returns the error it must fail with.
    private func failure(_ t: NIOHTTP1Transport, _ request: PreparedRequest) async -> TransportError? {
        do {
            _ = try await t.send(request)
            return nil
        } catch {
            return error
        }
    }

    @Test func requestsInTurnShareOneKeptAliveConnection() async throws {
        let server = try await ScriptedHTTPServer.start { _ in .send(jsonResponse(#"{"ok":true}"#)) }
        let t = try transport()
        for i in 1...5 {
            let r = try await t.send(get("\(server.baseURL)/item/\(i)"))
            #expect(r.status == 200)
            #expect(String(decoding: r.body, as: UTF8.self) == #"{"ok":true}"#)
            #expect(r.header("content-type") == "application/json")
        }
        #expect(server.connections == 1)
        await t.shutdown()
        await server.stop()
    }

    @Test func connectionCloseFromTheServerOpensANewConnection() async throws {
        let server = try await ScriptedHTTPServer.start { _ in .send(jsonResponse("{}", extra: "Connection: close\r\n"), thenClose: true) }
        let t = try transport()
        for _ in 1...3 { #expect(try await t.send(get(server.baseURL + "/")).status == 200) }
        #expect(server.connections == 3)
        await t.shutdown()
        await server.stop()
    }

    @Test func anIdleConnectionTheServerDroppedIsReplaced() async throws {
        // Keep-alive promised, then the socket closed, as a server's idle timeout does.
        let server = try await ScriptedHTTPServer.start { _ in .send(jsonResponse("{}"), thenClose: true) }
        let t = try transport()
        #expect(try await t.send(get(server.baseURL + "/a")).status == 200)
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await t.send(get(server.baseURL + "/b")).status == 200)
        #expect(server.connections == 2)
        await t.shutdown()
        await server.stop()
    }

    @Test func chunkedBodiesAreReassembled() async throws {
        let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n3\r\n[1,\r\n2\r\n2]\r\n1\r\n}\r\n0\r\n\r\n"
        let server = try await ScriptedHTTPServer.start { _ in .send(chunked) }
        let t = try transport()
        for _ in 1...2 {
            let r = try await t.send(get(server.baseURL + "/chunks"))
            #expect(String(decoding: r.body, as: UTF8.self) == #"{"a":[1,2]}"#)
        }
        #expect(server.connections == 1)
        await t.shutdown()
        await server.stop()
    }

    @Test func aBodyEndedByCloseIsReadToTheEnd() async throws {
        let server = try await ScriptedHTTPServer.start { _ in .send("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end", thenClose: true) }
        let t = try transport()
        let r = try await t.send(get(server.baseURL + "/"))
        #expect(String(decoding: r.body, as: UTF8.self) == "until the end")
        await t.shutdown()
        await server.stop()
    }

    @Test func aHeadResponseHasNoBody() async throws {
        let server = try await ScriptedHTTPServer.start { request in
            .send(request.hasPrefix("HEAD") ? "HTTP/1.1 200 OK\r\nContent-Length: 120\r\n\r\n" : jsonResponse("[1]"))
        }
        let t = try transport()
        let r = try await t.send(PreparedRequest(method: "HEAD", url: server.baseURL + "/", timeout: .seconds(2)))
        #expect(r.status == 200 && r.body.isEmpty)
        // The same connection then carries the next exchange, in step.
        #expect(try await t.send(get(server.baseURL + "/x", timeout: .seconds(2))).body == Array("[1]".utf8))
        #expect(server.connections == 1)
        await t.shutdown()
        await server.stop()
    }

    @Test func theRequestCarriesHostLengthAndBody() async throws {
        let seen = Mutex<[String]>([])
        let server = try await ScriptedHTTPServer.start { request in
            seen.withLock { $0.append(request) }
            return .send(jsonResponse("{}", status: "201 Created"))
        }
        let t = try transport()
        let request = PreparedRequest(
            method: "POST", url: server.baseURL + "/events?q=a b#frag", headers: [("X-Trace", "1")], body: Array(#"{"name":"é"}"#.utf8))
        #expect(try await t.send(request).status == 201)
        let text = try #require(seen.withLock { $0.first })
        #expect(text.hasPrefix("POST /events?q=a%20b HTTP/1.1\r\n"))
        #expect(text.contains("Host: 127.0.0.1:\(server.port)\r\n"))
        #expect(text.contains("X-Trace: 1\r\n"))
        #expect(text.contains("Content-Length: 13\r\n"))
        #expect(text.hasSuffix(#"{"name":"é"}"#))
        await t.shutdown()
        await server.stop()
    }

    @Test func aBodyThatStallsAfterTheHeadersIsNamed() async throws {
        let server = try await ScriptedHTTPServer.start { _ in
            .send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
        }
        let t = try transport()
        let error = await failure(t, get(server.baseURL + "/stall", timeout: .milliseconds(300)))
        #expect(error?.kind == .timeout)
        #expect(
            error?.message
                == "the response body stalled: the server sent its headers (200) and 10 of 100 body bytes, then nothing until the 300ms timeout")
        await t.shutdown()
        await server.stop()
    }

    @Test func aSilentServerTimesOutOnTime() async throws {
        let server = try await ScriptedHTTPServer.start { _ in .silence }
        let t = try transport()
        let clock = ContinuousClock()
        let start = clock.now
        let error = await failure(t, get(server.baseURL + "/slow", timeout: .milliseconds(300)))
        #expect(error?.kind == .timeout)
        #expect(error?.message == "no answer within 300ms (timed out)")
        #expect(clock.now - start < .seconds(10), "the deadline fired late, or not at all")
        await t.shutdown()
        await server.stop()
    }

    /// A server that accepts a TLS connection and never answers: the handshake is bounded by
    /// the request's timeout (and cancelled by a stop), it never hangs.
    @Test func aTLSHandshakeThatNeverEndsTimesOut() async throws {
        let server = try await ScriptedHTTPServer.start { _ in .silence }
        let t = try transport()
        let clock = ContinuousClock()
        let start = clock.now
        let error = await failure(t, get("https://127.0.0.1:\(server.port)/x", timeout: .milliseconds(300)))
        #expect(error?.kind == .timeout)
        #expect(error?.message == "no answer within 300ms (timed out) while connecting to 127.0.0.1:\(server.port)", "\(String(describing: error))")
        #expect(clock.now - start < .seconds(5))

        let cancelled = Task { await failure(t, get("https://127.0.0.1:\(server.port)/y", timeout: .seconds(60))) }
        try await Task.sleep(for: .milliseconds(200))
        cancelled.cancel()
        #expect(await cancelled.value?.kind == .cancelled)
        await t.shutdown()
        await server.stop()
    }

    /// A server that closes after answering, without `Connection: close` (legal): a POST after
    /// it goes on a new connection, never on the closed one. (Whether the close is seen before
    /// the next write is a race; a request that could not be written at all is marked `notSent`
    /// and sent again whatever its method.)
    @Test func aConnectionTheServerClosedIsNotReusedForAPost() async throws {
        let server = try await ScriptedHTTPServer.start { _ in .send(jsonResponse(#"{"ok":true}"#), thenClose: true) }
        let t = try transport()
        for i in 0..<4 {
            let r = try await t.send(PreparedRequest(method: i % 2 == 0 ? "GET" : "POST", url: server.baseURL + "/\(i)", body: Array("x".utf8)))
            #expect(r.status == 200)
            try await Task.sleep(for: .milliseconds(100))  // the close reaches the client
        }
        #expect(server.connections == 4)
        await t.shutdown()
        await server.stop()
    }

    @Test func anEncodingVigilCannotDecodeIsAnError() async throws {
        let server = try await ScriptedHTTPServer.start { _ in .send(httpResponse([0x0b, 0x02, 0x80], extra: "Content-Encoding: br\r\n")) }
        let t = try transport()
        let error = await failure(t, get(server.baseURL + "/br"))
        #expect(error?.message == "the answer is encoded as 'br', which Vigil cannot decode (it decodes gzip and deflate)")
        await t.shutdown()
        await server.stop()
    }

    @Test func aRefusedConnectionSaysSo() async throws {
        // Port 9 (discard): nothing listens there, and tests running alongside never bind it.
        let t = try transport()
        let error = await failure(t, get("http://127.0.0.1:9/"))
        #expect(error?.kind == .connectionRefused)
        #expect(error?.message == "connection refused by 127.0.0.1:9 (is the server running?)")
        await t.shutdown()
    }

    @Test func aConnectionClosedMidResponseFails() async throws {
        let server = try await ScriptedHTTPServer.start { _ in .send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial\"", thenClose: true) }
        let t = try transport()
        let error = await failure(t, PreparedRequest(method: "POST", url: server.baseURL + "/", body: []))
        #expect(error?.kind == .connectionClosed)
        await t.shutdown()
        await server.stop()
    }

    @Test func anOversizedBodyFailsAndTheNextRequestStillWorks() async throws {
        let big = String(repeating: "x", count: 5000)
        let server = try await ScriptedHTTPServer.start { request in
            .send(request.hasPrefix("GET /big") ? jsonResponse(big) : jsonResponse("{}"))
        }
        let t = try transport(maxBodyBytes: 1000)
        let error = await failure(t, get(server.baseURL + "/big"))
        #expect(error?.kind == .bodyTooLarge)
        #expect(try await t.send(get(server.baseURL + "/small")).status == 200)
        await t.shutdown()
        await server.stop()
    }

    @Test(arguments: ["ftp://example.com/", "http://", "http://host:99999/", "127.0.0.1:80/x", "http://[::1/"])
    func invalidURLsAreRejectedBeforeConnecting(url: String) async throws {
        let t = try transport()
        let error = await failure(t, get(url))
        #expect(error?.kind == .invalidURL)
        #expect(error?.message.hasPrefix("invalid URL '\(url)'") == true)
        await t.shutdown()
    }

    /// A scheme of its own (a `Location: javascript:…`) is named as one; a host and port without
    /// `http://` is a missing scheme.
    @Test func anUnsupportedSchemeIsNamedAndAMissingOneSaysSo() throws {
        for (url, why) in [
            ("javascript:alert(1)", "the scheme 'javascript' is not supported (only http and https)"),
            ("mailto:a@b", "the scheme 'mailto' is not supported (only http and https)"),
            ("localhost:8080/x", "no scheme (write http:// or https://)"),
            ("/relative", "no scheme (write http:// or https://)"),
        ] {
            #expect(throws: TransportError.self) { try HTTPURL(url) }
            do {
                _ = try HTTPURL(url)
            } catch {
                #expect(error.message == "invalid URL '\(url)': \(why)")
            }
        }
    }

    @Test func unreadableTLSFilesFailAtOnce() {
        var tls = TLSSettings()
        tls.caFile = "/nonexistent/ca.pem"
        #expect(throws: TransportError.self) { try NIOHTTP1Transport(tls: tls) }
    }

    @Test func signsInAndRunsAgainstTheEmulator() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        let yaml = """
            auth: xprotect
            requests:
              - GET: "{{api}}/cameras"
                expect: { status: 200 }
                capture: { cameraId: { path: "$.array[0].id" } }
              - GET: "{{api}}/cameras/{{cameraId}}"
                expect: { status: 200, body: { data.id: "{{cameraId}}" } }
            """
        let (result, _) = try await run(yaml, on: emulator, transport: try transport())
        #expect(result.passed == 2, "\(result.results.map { ($0.ref.name, $0.message, $0.failures) })")
    }
}
