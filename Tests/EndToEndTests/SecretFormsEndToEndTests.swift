import Foundation
import Synchronization
import Testing
import VigilNTLM
import VigilTestSupport

/// Issue 20, the second probe's findings on secrets shown in outputs: XML/HTML entities, a
/// non-ASCII secret read as Latin-1 (mojibake), a charset named by a secret, and proxy
/// credentials (written in the environment, from `{{$env.…}}`, or from `HTTP_PROXY`). Each
/// is echoed by a server and looked for in every output: console (verbose), every report,
/// recordings and docs. Every expected form is written out here, not made by the redactor.
@Suite struct SecretFormsEndToEndTests {
    static let xmlSecret = #"Tok<en>&"Quote'9x"#
    static let nonASCII = "Pässwort!2024"
    static let charsetSecret = "HdrSecretZ9876"

    /// The secret as XML and HTML escapers write it: named entities (Python's html.escape,
    /// Ruby/.NET, PHP 8.1, XML's full set, Go, XML text) and numeric references.
    static let xmlForms = [
        "Tok&lt;en&gt;&amp;&quot;Quote&#x27;9x", "Tok&lt;en&gt;&amp;&quot;Quote&#39;9x", "Tok&lt;en&gt;&amp;&quot;Quote&#039;9x",
        "Tok&lt;en&gt;&amp;&quot;Quote&apos;9x", "Tok&lt;en&gt;&amp;&#34;Quote&#39;9x", "Tok&lt;en&gt;&amp;\"Quote'9x",
        "Tok&#60;en&#62;&#38;&#34;Quote&#39;9x",
        xmlSecret.unicodeScalars.map { "&#\($0.value);" }.joined(),
        xmlSecret.unicodeScalars.map { String(format: "&#x%x;", $0.value) }.joined(),
        xmlSecret.unicodeScalars.map { String(format: "&#x%X;", $0.value) }.joined(),
    ]
    /// `Pässwort!2024`'s UTF-8 bytes read as Latin-1, as is, in a JSON string as Python writes
    /// it, and percent-encoded.
    static let mojibakeForms = ["PÃ¤sswort!2024", #"P\u00c3\u00a4sswort!2024"#, "P%C3%83%C2%A4sswort%212024", "P%C3%83%C2%A4sswort!2024"]

    static func outputs(_ run: ProcessResult, _ more: ProcessResult? = nil, in dir: URL) throws -> [String: String] {
        var texts = ["stdout": run.stdout + (more?.stdout ?? ""), "stderr": run.stderr + (more?.stderr ?? "")]
        let out = dir.appendingPathComponent("out")
        for case let url as URL in FileManager.default.enumerator(at: out, includingPropertiesForKeys: nil)! where !url.hasDirectoryPath {
            texts[url.path.replacingOccurrences(of: out.path, with: "out")] = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        }
        return texts
    }

    static let everyOutput = [
        "--verbose", "--record", "out/rec", "--report", "junit=out/junit.xml", "--report", "json=out/report.json",
        "--report", "html=out/report.html", "--report", "markdown=out/md",
    ]

    @Test func entityMojibakeAndCharsetFormsAreInNoOutput() async throws {
        let xml = "<r>" + Self.xmlForms.enumerated().map { "<f\($0.offset)>\($0.element)</f\($0.offset)>" }.joined() + "</r>"
        let mojibake = "{\"plain\": \"PÃ¤sswort!2024\", \"escaped\": \"P\\u00c3\\u00a4sswort!2024\", \"percent\": \"\(Self.mojibakeForms[2])\"}"
        let server = try await ScriptedHTTPServer.start { request in
            switch requestPath(request) {
            case "/xml": .send(httpResponse(Array(xml.utf8), contentType: "application/xml"))
            case "/html": .send(httpResponse(Array(("<html><body>" + xml + "</body></html>").utf8), contentType: "text/html"))
            case "/mojibake": .send(httpResponse(mojibake, extra: "X-Echo: \(Self.mojibakeForms[2])\r\n"))
            default: .send(httpResponse(Array("ok".utf8), contentType: "text/plain; charset=\(Self.charsetSecret)"))
            }
        }
        defer { Task { await server.stop() } }
        let collection = """
            name: Echoes
            continueOnFailure: true
            requests:
              - name: XML
                GET: "{{baseUrl}}/xml"
                expect:
                  xpath: { "string(//f0)": nothing, "string(//f7)": nothing }
              - name: HTML
                GET: "{{baseUrl}}/html"
                expect:
                  text: nothing
              - name: Mojibake
                GET: "{{baseUrl}}/mojibake"
                expect:
                  headers: { X-Echo: nothing }
                  body: { plain: nothing, escaped: nothing, percent: nothing }
              - name: Charset
                GET: "{{baseUrl}}/charset"
                expect:
                  text: nothing
            """
        let env = """
            name: Echo
            variables:
              baseUrl: "\(server.baseURL)"
              xmlSecret: '\(Self.xmlSecret.replacingOccurrences(of: "'", with: "''"))'
              nonASCII: "{{$env.NON_ASCII}}"
              charsetSecret: \(Self.charsetSecret)
            secrets: [xmlSecret, nonASCII, charsetSecret]
            """
        let dir = try scratch(["c.yaml": collection, "env.yaml": env])
        let run = try await vigil(["run", "c.yaml", "-e", "env.yaml"] + Self.everyOutput, in: dir, environment: ["NON_ASCII": Self.nonASCII])
        #expect(run.status == 1, "\(run.all)")
        let docs = try await vigil(["docs", "c.yaml", "-e", "env.yaml", "--out", "out/docs"], in: dir, environment: ["NON_ASCII": Self.nonASCII])
        let texts = try Self.outputs(run, docs, in: dir)
        #expect(texts.count >= 8, "\(texts.keys.sorted())")
        let forms = Self.xmlForms + Self.mojibakeForms + [Self.xmlSecret, Self.charsetSecret, Self.charsetSecret.lowercased()]
        for (name, text) in texts {
            for form in forms { #expect(!text.contains(form), "\(form) in \(name)") }
        }
        // The checks failed where the test meant them to, with the values masked.
        #expect(run.stdout.contains("charset '••••'"), "\(run.stdout)")
        #expect(run.stdout.contains("<f1>••••</f1>"), "the verbose body, masked: \(run.stdout)")
        #expect(run.stdout.contains("\"plain\": \"••••\""), "\(run.stdout)")
    }

    /// A proxy that echoes every request it is sent (its `Proxy-Authorization` too) and the
    /// password in a field a check fails on; `seen` is what it was sent.
    final class EchoingProxy: Sendable {
        final class Log: Sendable { let requests = Mutex<[String]>([]) }
        let server: ScriptedHTTPServer
        let log: Log
        var port: Int { server.port }
        var requestCount: Int { log.requests.withLock { $0.count } }
        var seen: String { log.requests.withLock { $0.joined(separator: "\n") } }

        init(password: String) async throws {
            let log = Log()
            self.log = log
            server = try await ScriptedHTTPServer.start { request in
                log.requests.withLock { $0.append(request) }
                let escaped = request.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    .replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
                let authorization = request.split(separator: "\r\n").first { $0.lowercased().hasPrefix("proxy-authorization:") }.map(String.init) ?? "none"
                let body = "{\"request\": \"\(escaped)\", \"pw\": \"\(password)\", \"auth\": \"\(authorization)\"}"
                return .send(httpResponse(body, extra: "X-Echo: \(authorization)\r\n"))
            }
        }

        func stop() async { await server.stop() }
    }

    static let proxyCollection = """
        name: Proxied
        continueOnFailure: true
        requests:
          - name: Through the proxy
            POST: "{{baseUrl}}/echo"
            body: "hello"
            expect:
              headers: { X-Echo: nothing }
              body: { pw: nothing, auth: nothing }
        """

    /// `proxy:` with its password from `{{$env.…}}`: resolved (the proxy gets the password, not
    /// the placeholder), and masked with its Basic value in every output.
    @Test func aProxyPasswordFromTheEnvironmentIsResolvedAndMasked() async throws {
        let password = "ProxyPass99"
        let proxy = try await EchoingProxy(password: password)
        defer { Task { await proxy.stop() } }
        let env = """
            name: Proxied
            variables:
              baseUrl: http://vms.example.invalid
            proxy: "http://puser:{{$env.PPW}}@127.0.0.1:\(proxy.port)"
            """
        let dir = try scratch(["c.yaml": Self.proxyCollection, "env.yaml": env])
        let run = try await vigil(["run", "c.yaml", "-e", "env.yaml"] + Self.everyOutput, in: dir, environment: ["PPW": password])
        #expect(run.status == 1, "\(run.all)")
        #expect(proxy.requestCount == 1, "\(run.all)")
        let basic = Data("puser:\(password)".utf8).base64EncodedString()
        #expect(run.stdout.contains("$['pw']: expected \"nothing\", got \"••••\""), "the check on the echoed password failed, as meant: \(run.stdout)")
        for (name, text) in try Self.outputs(run, in: dir) {
            for form in [password, basic, "UHJveHlQYXNzOTk", "{{$env.PPW}}", "%7B%7B"] { #expect(!text.contains(form), "\(form) in \(name)") }
        }
        // The proxy was sent the resolved credentials, shown masked where it echoes them.
        #expect(proxy.seen.contains("Proxy-Authorization: Basic \(basic)"), "\(proxy.seen)")
        #expect(run.stdout.contains("Proxy-Authorization: Basic ••••"), "\(run.stdout)")

        // Unset, the placeholder is an error at its place, for validate and run alike; nothing is sent.
        let validate = try await vigil(["validate", "c.yaml", "-e", "env.yaml"], in: dir)
        #expect(validate.status == 2, "\(validate.all)")
        #expect(validate.stderr.contains("env.yaml:4:8: proxy: '{{$env.PPW}}' reads environment variable PPW, which is not set"), "\(validate.all)")
        let unset = try await vigil(["run", "c.yaml", "-e", "env.yaml"], in: dir)
        #expect(unset.status == 3, "\(unset.all)")
        #expect(unset.stderr.contains("env.yaml:4:8: proxy: '{{$env.PPW}}' reads environment variable PPW"), "\(unset.all)")
        #expect(proxy.requestCount == 1, "nothing more was sent")
    }

    /// A variable of the environment works too; a name that is none of its variables is an error
    /// at its column, and a bad proxy URL's message never shows its password.
    @Test func aProxyVariableMustBeTheEnvironmentsAndItsPasswordIsNeverShown() async throws {
        let env = """
            name: Proxied
            variables: { baseUrl: http://vms.example.invalid, pw: VarProxyPw77 }
            proxy: "http://puser:{{pwd}}@127.0.0.1:9"
            """
        let bad = """
            name: Bad
            variables: { baseUrl: http://vms.example.invalid }
            proxy: "http://puser:Visible-Pw-31@127.0.0.1:9/path"
            """
        let dir = try scratch(["c.yaml": Self.proxyCollection, "env.yaml": env, "bad.yaml": bad])
        let validate = try await vigil(["validate", "c.yaml", "-e", "env.yaml"], in: dir)
        #expect(validate.status == 2, "\(validate.all)")
        #expect(validate.stderr.contains("env.yaml:3:22: proxy: '{{pwd}}' is not a variable of this environment"), "\(validate.all)")
        let badRun = try await vigil(["validate", "c.yaml", "-e", "bad.yaml"], in: dir)
        #expect(badRun.status == 2, "\(badRun.all)")
        #expect(badRun.stderr.contains("proxy 'http://puser:••••@127.0.0.1:9/path': a proxy URL has no path"), "\(badRun.all)")
        #expect(!badRun.all.contains("Visible-Pw-31"), "\(badRun.all)")
    }

    /// `HTTP_PROXY` from the process environment, with credentials: masked in every output.
    @Test func httpProxyCredentialsFromTheProcessAreMasked() async throws {
        let password = "EnvProxyPw55"
        let proxy = try await EchoingProxy(password: password)
        defer { Task { await proxy.stop() } }
        let env = "name: Ext\nvariables:\n  baseUrl: http://vms.example.invalid\n"
        let dir = try scratch(["c.yaml": Self.proxyCollection, "env.yaml": env])
        let run = try await vigil(
            ["run", "c.yaml", "-e", "env.yaml"] + Self.everyOutput, in: dir,
            environment: ["HTTP_PROXY": "http://pu:\(password)@127.0.0.1:\(proxy.port)", "http_proxy": "", "NO_PROXY": ""])
        #expect(run.status == 1, "\(run.all)")
        #expect(proxy.requestCount == 1, "\(run.all)")
        let basic = Data("pu:\(password)".utf8).base64EncodedString()
        for (name, text) in try Self.outputs(run, in: dir) {
            for form in [password, basic, String(basic.dropLast())] { #expect(!text.contains(form), "\(form) in \(name)") }
        }
    }
    /// A sign-in refused by a server that echoes the AUTHENTICATE message in its error: as sent,
    /// URL-safe unpadded, hex and decoded (its bytes as Latin-1, as Python's json.dumps writes
    /// them). None of it is shown, on the console (where control characters are escaped after
    /// masking) or in the report.
    @Test func anNTLMMessageEchoedDecodedInASignInErrorIsMasked() async throws {
        let acceptor = NTLM.Acceptor(domain: "CORP", computer: "VMS")
        let negotiate = Mutex<[UInt8]>([])
        let authenticate = Mutex<String>("")
        let server = try await ScriptedHTTPServer.start { request in
            let authorization = request.split(separator: "\r\n").first { $0.lowercased().hasPrefix("authorization:") }
                .map { String($0.dropFirst("authorization:".count).trimmingCharacters(in: .whitespaces)) }
            guard let authorization, authorization.hasPrefix("NTLM "), let data = Data(base64Encoded: String(authorization.dropFirst(5))) else {
                return .send(httpResponse("", status: "401 Unauthorized", extra: "WWW-Authenticate: NTLM\r\n"))
            }
            let message = [UInt8](data)
            if message[8] == 1 {
                negotiate.withLock { $0 = message }
                let challenge = try! acceptor.challenge(for: message, serverChallenge: [7, 7, 7, 7, 1, 2, 3, 4], now: 133_500_000_000_000_000)
                return .send(httpResponse("", status: "401 Unauthorized", extra: "WWW-Authenticate: NTLM \(Data(challenge).base64EncodedString())\r\n"))
            }
            let base64 = String(authorization.dropFirst(5))
            authenticate.withLock { $0 = base64 }
            let forms = WindowsSignInEndToEndTests.echoForms(ofMessage: base64).map(\.inJSON)
            let description = "bad AUTHENTICATE \(base64) b64url=\(forms[0]) hex=\(forms[1]) raw=\(forms[3])"
            return .send(httpResponse(#"{"error":"invalid_grant","error_description":"\#(description)"}"#, status: "400 Bad Request"))
        }
        defer { Task { await server.stop() } }
        let env = """
            name: N
            variables: { baseUrl: "\(server.baseURL)" }
            auth:
              win: { type: xprotect-windows, username: 'CORP\\jane', password: "{{$env.WPW}}", tokenUrl: "{{baseUrl}}/IDP/connect/token" }
            """
        let collection = "name: N\nauth: win\nrequests:\n  - GET: \"{{baseUrl}}/echo\"\n"
        let dir = try scratch(["c.yaml": collection, "env.yaml": env])
        let run = try await vigil(
            ["run", "c.yaml", "-e", "env.yaml", "--verbose", "--report", "json=out/report.json"], in: dir, environment: ["WPW": "WinPass!2024"])
        #expect(run.status != 0, "\(run.all)")
        let message = authenticate.withLock { $0 }
        #expect(!message.isEmpty, "the handshake reached AUTHENTICATE")
        #expect(run.stdout.contains("raw=••••"), "\(run.stdout)")
        let forms = WindowsSignInEndToEndTests.echoForms(ofMessage: message).flatMap { [$0.inJSON, $0.shown] } + [message]
        for (name, text) in try Self.outputs(run, in: dir) {
            for form in forms { #expect(!text.contains(form), "\(form.prefix(16))… in \(name)") }
            #expect(!text.contains("raw=NTLMSSP"), "the decoded message in \(name)")
        }
    }
}
