import Foundation
import Synchronization
import Testing
import VigilNTLM
import VigilTestSupport
import XProtectEmulator

/// Issue 18: Windows users through the binary: the shipped collections against the embedded
/// emulator signed in as `EMULATOR\qa`, and no password, NTLM message or token in any output.
@Suite struct WindowsSignInEndToEndTests {
    @Test func theShippedCollectionsPassSignedInAsTheWindowsUser() async throws {
        let run = try await vigil(["run", "collections", "-e", "environments/local-windows.yaml"])
        #expect(run.status == 0, "\(run.all)")
        #expect(run.stdout.contains("passed"), "\(run.stdout)")
    }

    @Test func aWrongWindowsPasswordIsASignInErrorThatNamesTheUserOnly() async throws {
        let env = """
            name: Windows
            server: embedded
            variables: { api: "{{baseUrl}}/api/rest/v1" }
            auth:
              xprotect: { type: xprotect-windows, username: 'EMULATOR\\qa', password: Not-The-Password-42 }
            """
        let collection = "name: One\nauth: xprotect\nrequests:\n  - GET: \"{{api}}/cameras\"\n    expect: { status: 200 }\n"
        let dir = try scratch(["c.yaml": collection, "env.yaml": env])
        let run = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--verbose"], in: dir)
        #expect(run.status != 0)
        #expect(run.all.contains("sign-in as 'EMULATOR\\qa'"), "\(run.all)")
        #expect(run.all.contains("InvalidCredentials"), "\(run.all)")
        #expect(!run.all.contains("Not-The-Password-42"))
    }

    /// A `VmsClient` user with a 2 s token: the run renews it through the refresh token, never
    /// by sending the password again. The request polls for 4.5 s (until a status that never
    /// comes), so its token is due for renewal several times.
    @Test func aVmsClientUserRenewsThroughTheRefreshToken() async throws {
        var configuration = EmulatorConfiguration()
        configuration.tokenLifetime = .seconds(2)
        let emulator = try await EmbeddedEmulator.start(configuration)
        defer { Task { await emulator.shutdown() } }
        let env = """
            name: VmsClient
            variables:
              baseUrl: "\(emulator.baseURL)"
              api: "{{baseUrl}}/api/rest/v1"
            auth:
              xprotect: { type: xprotect-basic, username: admin, password: admin, clientId: VmsClient }
            """
        let collection = """
            name: Long poll
            auth: xprotect
            requests:
              - name: Cameras for a while
                GET: "{{api}}/cameras"
                retry: { until: { status: 599 }, interval: 250ms, timeout: 4500ms }
            """
        let dir = try scratch(["c.yaml": collection, "env.yaml": env])
        let run = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--report", "json=out.json"], in: dir)
        #expect(run.status == 1, "the poll times out by design: \(run.all)")
        let report = try String(contentsOf: dir.appendingPathComponent("out.json"), encoding: .utf8)
        // Statuses, not any "401" (a port or a duration may hold those digits).
        #expect(report.contains("\"status\": 200") && !report.contains("\"status\": 401"), "\(report)")
        #expect(await emulator.tokenRequests(grant: "password") == 1)
        #expect(await emulator.tokenRequests(grant: "refresh_token") >= 3)
    }

    /// A server that signs the Windows user in by NTLM, then echoes every secret it has seen
    /// (the password, each NTLM message, the tokens) in the bodies and headers of its answers.
    @Test func noPasswordNTLMMessageOrTokenInAnyOutput() async throws {
        let password = "Wind0ws-Pa55!word"
        let token = "tok-" + String(repeating: "a1b2c3d4", count: 6)
        let refresh = "refresh-" + String(repeating: "e5f6", count: 8)
        let acceptor = NTLM.Acceptor(domain: "CORP", computer: "VMS")
        let state = Mutex<(secrets: [String], negotiate: [UInt8], challenge: [UInt8], signedIn: Bool)>(([password, token, refresh], [], [], false))
        let server = try await ScriptedHTTPServer.start { request in
            let authorization = request.split(separator: "\r\n").first { $0.lowercased().hasPrefix("authorization:") }
                .map { String($0.dropFirst("authorization:".count).trimmingCharacters(in: .whitespaces)) }
            if requestPath(request).hasPrefix("/IDP/connect/token") {
                guard let authorization, authorization.hasPrefix("NTLM "), let data = Data(base64Encoded: String(authorization.dropFirst(5))) else {
                    return .send(httpResponse("", status: "401 Unauthorized", extra: "WWW-Authenticate: NTLM\r\n"))
                }
                let message = [UInt8](data)
                return state.withLock { s in
                    s.secrets.append(String(authorization.dropFirst(5)))
                    if message[8] == 1 {
                        let challenge = try! acceptor.challenge(for: message, serverChallenge: [7, 7, 7, 7, 1, 2, 3, 4], now: 133_500_000_000_000_000)
                        (s.negotiate, s.challenge) = (message, challenge)
                        s.secrets.append(Data(challenge).base64EncodedString())
                        return .send(httpResponse("", status: "401 Unauthorized", extra: "WWW-Authenticate: NTLM \(Data(challenge).base64EncodedString())\r\n"))
                    }
                    let user = try? acceptor.verify(negotiate: s.negotiate, challenge: s.challenge, authenticate: message) { _, _ in ("CORP\\qa", password) }
                    guard user != nil else { return .send(httpResponse(#"{"error":"invalid_grant"}"#, status: "400 Bad Request")) }
                    s.signedIn = true
                    return .send(httpResponse(#"{"access_token":"\#(token)","expires_in":3600,"token_type":"Bearer","refresh_token":"\#(refresh)"}"#))
                }
            }
            let echoed = state.withLock { $0.secrets }
            let forms = echoed.dropFirst(3).flatMap { Self.echoForms(ofMessage: $0) }
            let body = "{\"echo\": [" + (echoed + forms.map(\.inJSON)).map { "\"\($0)\"" }.joined(separator: ", ") + "], \"auth\": \"\(authorization ?? "")\"}"
            return .send(httpResponse(body, extra: "X-Echo: \(echoed.last ?? "")\r\nWWW-Authenticate: \(echoed.dropFirst(3).first ?? "")\r\n"))
        }
        defer { Task { await server.stop() } }
        let env = """
            name: Windows echo
            variables:
              baseUrl: "\(server.baseURL)"
            auth:
              windows:
                type: xprotect-windows
                username: 'CORP\\qa'
                password: "{{$env.WINDOWS_PASSWORD}}"
                clientId: VmsClient
            """
        let collection = """
            name: Echo
            auth: windows
            requests:
              - name: Cameras
                GET: "{{baseUrl}}/api/rest/v1/cameras"
                capture:
                  first: { path: "echo[3]" }
                expect:
                  status: 200
                  headers: { X-Echo: "not this" }
                  body: { auth: "something else", echo: [] }
              - name: Again with the capture
                POST: "{{baseUrl}}/api/rest/v1/echo"
                json: { seen: "{{first}}" }
                expect:
                  body: { echo: [] }
            """
        let dir = try scratch(["c.yaml": collection, "env.yaml": env])
        let run = try await vigil(
            [
                "run", "c.yaml", "-e", "env.yaml", "--verbose", "--record", "out/rec",
                "--report", "junit=out/junit.xml", "--report", "json=out/report.json",
                "--report", "html=out/report.html", "--report", "markdown=out/md",
            ], in: dir, environment: ["WINDOWS_PASSWORD": password])
        #expect(run.status == 1, "\(run.all)")
        let (secrets, signedIn) = state.withLock { ($0.secrets, $0.signedIn) }
        #expect(signedIn, "the NTLM handshake must succeed for the test to mean anything")
        #expect(secrets.count == 6, "password, tokens, NEGOTIATE, CHALLENGE, AUTHENTICATE: \(secrets.count)")
        var texts = ["stdout": run.stdout, "stderr": run.stderr]
        let out = dir.appendingPathComponent("out")
        for case let url as URL in FileManager.default.enumerator(at: out, includingPropertiesForKeys: nil)! where !url.hasDirectoryPath {
            texts[url.path.replacingOccurrences(of: out.path, with: "out")] = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        }
        #expect(texts.count >= 6, "\(texts.keys.sorted())")
        let forms = secrets.dropFirst(3).flatMap { Self.echoForms(ofMessage: $0) }.flatMap { [$0.inJSON, $0.shown] }
        for (name, text) in texts {
            for secret in secrets + forms {
                #expect(!text.contains(secret), "\(secret.prefix(12))… in \(name)")
                #expect(!text.contains(secret.prefix(24)), "the start of \(secret.prefix(12))… in \(name)")
            }
        }
        #expect(run.stdout.contains("••••"), "\(run.stdout)")
    }

    /// An NTLM message (standard base64) as a server may echo it besides: base64 URL-safe and
    /// unpadded, hex (both cases), and decoded, its bytes read as Latin-1 (`inJSON` as Python's
    /// json.dumps writes it, `shown` as the string it stands for).
    static func echoForms(ofMessage base64: String) -> [(inJSON: String, shown: String)] {
        let bytes = [UInt8](Data(base64Encoded: base64)!)
        let urlSafe = base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let latin1 = String(bytes.map { Character(Unicode.Scalar($0)) })
        let python = bytes.map { b -> String in
            switch b {
            case 0x22: "\\\""
            case 0x5C: "\\\\"
            case 0x0A: "\\n"
            case 0x0D: "\\r"
            case 0x09: "\\t"
            case 0x08: "\\b"
            case 0x0C: "\\f"
            case 0x20..<0x7F, 0x7F: String(Character(Unicode.Scalar(b)))
            default: String(format: "\\u%04x", b)
            }
        }.joined()
        return [(urlSafe, urlSafe), (hex, hex), (hex.uppercased(), hex.uppercased()), (python, latin1)]
    }
}
