import Foundation
import Testing
import XProtectEmulator

/// Issue 18: NTLM interoperability both ways with an independent implementation: Vigil's
/// client against an IDP whose NTLM acceptor is pyspnego, and `requests` with `requests_ntlm`
/// as the client of Vigil's emulator. Both from PyPI (`make deps`).
@Suite struct NTLMInteropTests {
    /// An IDP and API on loopback whose NTLM acceptor is pyspnego, with one user (CORP\jane):
    /// prints its port, then serves; the token request answers only after the handshake
    /// completes on its connection.
    static let pyspnegoIDP = #"""
        import base64, http.server, json, os, sys, tempfile, spnego
        users = tempfile.NamedTemporaryFile("w", delete=False, suffix=".txt")
        users.write("CORP:jane:Pa55-w0rd!\n"); users.close()
        os.environ["NTLM_USER_FILE"] = users.name
        TOKEN = "tok-from-pyspnego-idp-0123456789"
        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *a): pass
            def reply(self, status, body=b"", headers=()):
                self.send_response(status)
                for k, v in headers: self.send_header(k, v)
                self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                auth = self.headers.get("Authorization")
                if "grant_type=windows_credentials" not in body: return self.reply(400, b'{"error":"unsupported_grant_type"}')
                if not auth: return self.reply(401, headers=[("WWW-Authenticate", "NTLM")])
                scheme, token = auth.split(" ", 1)
                message = base64.b64decode(token)
                if message[8] == 1: self.ctx = spnego.server(protocol="ntlm")
                try:
                    out = self.ctx.step(message)
                except Exception as e:
                    print("refused:", e, file=sys.stderr, flush=True)
                    return self.reply(400, b'{"error":"invalid_grant","error_code":"InvalidCredentials"}')
                if not self.ctx.complete:
                    return self.reply(401, headers=[("WWW-Authenticate", "NTLM " + base64.b64encode(out).decode())])
                print("signed in:", self.ctx.client_principal, file=sys.stderr, flush=True)
                self.reply(200, json.dumps({"access_token": TOKEN, "expires_in": 3600, "token_type": "Bearer"}).encode())
            def do_GET(self):
                ok = self.headers.get("Authorization") == "Bearer " + TOKEN
                self.reply(200 if ok else 401, b'{"array":[]}' if ok else b"")
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#

    /// `requests` + `requests_ntlm` signing in at a URL; prints the status and the token's length.
    static let requestsClient = #"""
        import sys, requests
        from requests_ntlm import HttpNtlmAuth
        url, user, password = sys.argv[1:4]
        r = requests.post(url, data={"grant_type": "windows_credentials", "client_id": "GrantValidatorClient"},
                          auth=HttpNtlmAuth(user, password))
        token = r.json().get("access_token", "") if r.headers.get("Content-Type", "").startswith("application/json") else ""
        print(r.status_code, len(token))
        if token:
            print(requests.get(url.split("/IDP/")[0] + "/api/rest/v1/cameras", headers={"Authorization": "Bearer " + token}).status_code)
        """#

    static func pythonHas(_ modules: String) -> Bool {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import \(modules)"]
        probe.standardError = FileHandle.nullDevice
        do {
            try probe.run()
            probe.waitUntilExit()
        } catch { return false }
        if probe.terminationStatus != 0 {
            Issue.record("\(modules) (PyPI: pyspnego, requests-ntlm) not installed for python3: run `make deps`")
            return false
        }
        return true
    }

    @Test func vigilSignsInAtAnIDPWhoseAcceptorIsPyspnego() async throws {
        guard Self.pythonHas("spnego") else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.pyspnegoIDP]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // SIGKILL: the test process may ignore SIGTERM, and its children inherit that.
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let portLine = try await withCheckedThrowingContinuation { (c: CheckedContinuation<String, any Error>) in
            Thread.detachNewThread {
                var text = Data()
                while !text.contains(0x0A) {
                    let chunk = out.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    text.append(chunk)
                }
                c.resume(returning: String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        let port = try #require(Int(portLine), "the pyspnego IDP did not start: \(portLine)")
        let env = """
            name: pyspnego
            variables:
              baseUrl: "http://127.0.0.1:\(port)"
            auth:
              windows:
                type: xprotect-windows
                username: 'CORP\\jane'
                password: "Pa55-w0rd!"
                workstation: VIGIL-CI
            """
        let collection = """
            name: Interop
            auth: windows
            requests:
              - GET: "{{baseUrl}}/api/rest/v1/cameras"
                expect: { status: 200 }
            """
        let dir = try scratch(["c.yaml": collection, "env.yaml": env])
        let run = try await vigil(["run", "c.yaml", "-e", "env.yaml"], in: dir)
        // A wrong password: pyspnego refuses the AUTHENTICATE, and Vigil says the sign-in failed.
        try env.replacingOccurrences(of: "Pa55-w0rd!", with: "Wrong-Pa55").write(
            to: dir.appendingPathComponent("wrong.yaml"), atomically: true, encoding: .utf8)
        let wrong = try await vigil(["run", "c.yaml", "-e", "wrong.yaml"], in: dir)
        kill(process.processIdentifier, SIGKILL)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(run.status == 0, "\(run.all)\npyspnego: \(log)")
        #expect(log.contains("signed in:"), "\(log)")
        #expect(log.lowercased().contains("jane"), "\(log)")
        #expect(wrong.status == 3, "\(wrong.all)")
        #expect(wrong.all.contains("sign-in as 'CORP\\jane'") && wrong.all.contains("InvalidCredentials"), "\(wrong.all)")
        #expect(log.contains("refused:"), "\(log)")
    }

    @Test func requestsNTLMSignsInAtTheEmulator() async throws {
        guard Self.pythonHas("requests_ntlm") else { return }
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        defer { Task { await emulator.shutdown() } }
        func client(_ user: String, _ password: String) throws -> [String] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", Self.requestsClient, emulator.baseURL + "/IDP/connect/token", user, password]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        let good = try await Task.detached { try client("EMULATOR\\qa", "qa") }.value
        #expect(good.first?.hasPrefix("200 ") == true, "\(good)")
        #expect(good.first != "200 0", "\(good)")
        #expect(good.dropFirst().first == "200", "the token works on the Config API: \(good)")
        let bad = try await Task.detached { try client("EMULATOR\\qa", "not-qa") }.value
        #expect(bad.first == "400 0", "\(bad)")
        #expect(await emulator.tokenRequests(grant: "windows_credentials") == 6)
    }
}
