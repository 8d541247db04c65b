import Synchronization
import Testing
import VigilCore
import VigilRunner
import VigilTestSupport

/// Compressed answers are decoded on every route, within the body limit counted after decoding.
@Suite struct CompressionTests {
    /// `{"ok":true,"n":[1,2,3]}`, gzip (mtime 0) and zlib-wrapped deflate.
    static let gzipped: [UInt8] = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xab, 0x56, 0xca, 0xcf, 0x56, 0xb2, 0x2a, 0x29, 0x2a, 0x4d, 0xd5,
        0x51, 0xca, 0x53, 0xb2, 0x8a, 0x36, 0xd4, 0x31, 0xd2, 0x31, 0x8e, 0xad, 0x05, 0x00, 0x81, 0x28, 0xcf, 0xb8, 0x17, 0x00, 0x00, 0x00,
    ]
    static let deflated: [UInt8] = [
        0x78, 0x9c, 0xab, 0x56, 0xca, 0xcf, 0x56, 0xb2, 0x2a, 0x29, 0x2a, 0x4d, 0xd5, 0x51, 0xca, 0x53, 0xb2, 0x8a, 0x36, 0xd4, 0x31,
        0xd2, 0x31, 0x8e, 0xad, 0x05, 0x00, 0x55, 0xf3, 0x06, 0xcf,
    ]
    static let plain = #"{"ok":true,"n":[1,2,3]}"#

    static func transport(proxy: LoopbackProxy?, maxBodyBytes: Int = 1 << 20) throws -> NIOHTTP1Transport {
        try NIOHTTP1Transport(
            tls: TLSSettings(), proxy: proxy.flatMap { try? ProxySettings.resolve(environmentProxy: $0.url, processEnvironment: [:]) },
            maxBodyBytes: maxBodyBytes)
    }

    /// A server that compresses although it was not asked to: decoded all the same, on both routes.
    @Test(arguments: [("gzip", gzipped), ("deflate", deflated)], [false, true])
    func anAnswerCompressedUnaskedIsDecoded(_ encoding: (String, [UInt8]), throughProxy: Bool) async throws {
        let asked = Mutex<[String]>([])
        let server = try await ScriptedHTTPServer.start { request in
            asked.withLock { $0.append(contentsOf: request.split(separator: "\r\n").filter { $0.lowercased().hasPrefix("accept-encoding:") }.map(String.init)) }
            return .send(httpResponse(encoding.1, extra: "Content-Encoding: \(encoding.0)\r\n"))
        }
        let proxy = throughProxy ? try await LoopbackProxy.start() : nil
        let t = try Self.transport(proxy: proxy)
        let r = try await t.send(PreparedRequest(method: "GET", url: "\(server.baseURL)/x"))
        await t.shutdown()
        await server.stop()
        await proxy?.stop()
        #expect(String(decoding: r.body, as: UTF8.self) == Self.plain)
        #expect(asked.withLock { $0 } == ["Accept-Encoding: identity"], "Vigil asks for no compression unless told to")
        #expect(proxy.map { $0.requestLines.count } ?? 1 == 1)
    }

    /// `compressed: true` asks for gzip or deflate; the checks see the decoded body.
    @Test(arguments: [false, true])
    func compressedTrueAsksForItAndChecksSeeTheDecodedBody(throughProxy: Bool) async throws {
        let body = Array((#"{"items":["# + (0..<500).map { #"{"id":\#($0),"name":"camera \#($0)"}"# }.joined(separator: ",") + "]}").utf8)
        let server = try await CompressingServer.start(body: body)
        let proxy = throughProxy ? try await LoopbackProxy.start() : nil
        let t = try Self.transport(proxy: proxy)
        let collection = try CollectionLoader.load(
            """
            requests:
              - name: Compressed
                GET: "\(server.baseURL)/items"
                compressed: true
                expect:
                  headers: { Content-Encoding: { in: [gzip, deflate] } }
                  body:
                    items[499].name: camera 499
                    items[0].id: 0
              - name: Not asked
                GET: "\(server.baseURL)/items"
                expect:
                  headers: { Content-Encoding: { exists: false } }
                  body:
                    items[0].id: 0
            """, file: "c.yaml")
        let context = RunContext(transport: t, redactor: Redactor(), observer: EventLog(), defaultTimeout: .seconds(5))
        let result = await CollectionRunner(context: context).run(collection, in: Environment(file: "e.yaml", name: "e"))
        await t.shutdown()
        await server.stop()
        await proxy?.stop()
        #expect(result.results.map(\.outcome) == [.passed, .passed], "\(result.results.map { "\($0.failures) \($0.message ?? "")" })")
    }

    /// 8 MB of zeros, 8 KB compressed, against a 1 MiB limit: a clean failure, not 8 MB in memory.
    @Test(arguments: [false, true])
    func aGzipBombFailsWithinTheBodyLimit(throughProxy: Bool) async throws {
        let server = try await CompressingServer.start(body: Array(repeating: UInt8(ascii: "0"), count: 8 << 20), contentType: "text/plain")
        let proxy = throughProxy ? try await LoopbackProxy.start() : nil
        let t = try Self.transport(proxy: proxy)
        var request = PreparedRequest(method: "GET", url: "\(server.baseURL)/bomb")
        request.headers = [("Accept-Encoding", "gzip")]
        do {
            _ = try await t.send(request)
            Issue.record("the bomb was accepted")
        } catch {
            #expect(error.kind == .bodyTooLarge, "\(error)")
            #expect(error.message.contains("larger than the limit"), "\(error)")
        }
        await t.shutdown()
        await server.stop()
        await proxy?.stop()
    }

    /// A gzip body cut short (its length header counts what was sent): the message names the
    /// truncated encoding, not a connection closed midway with more bytes "received" than sent.
    @Test func aTruncatedGzipBodyIsNamedAsSuch() async throws {
        let server = try await ScriptedHTTPServer.start { _ in
            .send(httpResponse(Array(Self.gzipped.dropLast(10)), extra: "Content-Encoding: gzip\r\n"))
        }
        let t = try Self.transport(proxy: nil)
        do {
            _ = try await t.send(PreparedRequest(method: "GET", url: "\(server.baseURL)/x"))
            Issue.record("a truncated body was accepted")
        } catch {
            #expect(
                error.message == "the compressed response body ended before its compressed stream did: the server sent a truncated gzip or deflate body",
                "\(error)")
        }
        await t.shutdown()
        await server.stop()
    }
}
