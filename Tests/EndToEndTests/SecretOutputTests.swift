import Foundation
import Testing
import VigilTestSupport

/// Issue 20, point 3: a secret with every awkward character, sent in every way a request can
/// carry it and echoed back by a server in every encoding, is in no output of Vigil: console
/// (verbose), every report kind, recordings and docs. A long token cut by an excerpt shows none
/// of its beginning.
@Suite struct SecretOutputTests {
    static let secret = #"p@ss w+rd&x=1"\ü€"#
    static let token = "tok-" + String(repeating: "9f8e7d6c5b4a3210", count: 5) + "-end-of-token-xyz"

    /// Every form the test expects to be masked, computed here independently of the redactor.
    static func forms(of s: String) -> [String] {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let percent = s.addingPercentEncoding(withAllowedCharacters: unreserved)!
        let lower = percent.replacing(/%[0-9A-F]{2}/) { $0.output.lowercased() }
        let form = s.split(separator: " ", omittingEmptySubsequences: false)
            .map { $0.addingPercentEncoding(withAllowedCharacters: unreserved)! }.joined(separator: "+")
        let json = s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let ascii = json.unicodeScalars.map { $0.isASCII ? String($0) : String(format: "\\u%04x", $0.value) }.joined()
        let base64 = Data(s.utf8).base64EncodedString()
        let unpadded = String(base64.reversed().drop { $0 == "=" }.reversed())
        let urlSafe = base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        let urlSafeUnpadded = unpadded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        // As Vigil sends it in a URL (what a server echoing its path shows), and as
        // encodeURIComponent and an encoder keeping RFC 3986's sub-delims write it.
        let target = s.addingPercentEncoding(
            withAllowedCharacters: CharacterSet(charactersIn: "!#$%&'()*+,-./:;=?@[]_~").union(.alphanumerics.intersection(Self.asciiSet)))!
        let component = s.addingPercentEncoding(withAllowedCharacters: unreserved.union(CharacterSet(charactersIn: "!'()*")))!
        let subDelims = s.addingPercentEncoding(withAllowedCharacters: unreserved.union(CharacterSet(charactersIn: "!$&'()*+,;=:@/?")))!
        return [s, percent, lower, form, json, ascii, base64, unpadded, urlSafe, urlSafeUnpadded, target, target.lowercased(), component, subDelims]
    }

    static let asciiSet = CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127))

    @Test func noEncodingOfASecretInAnyOutput() async throws {
        let forms = Self.forms(of: Self.secret)
        // The server echoes the secret in every form, in its body and headers, and a long token
        // placed so that a 200-character excerpt ends inside it.
        let echo: [String: String] = Dictionary(uniqueKeysWithValues: forms.enumerated().map { ("f\($0.offset)", $0.element) })
        let bodyFields = echo.sorted { $0.key < $1.key }.map {
            "\"\($0.key)\": \"\($0.value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
        }
        let long = String(repeating: "x", count: 150) + Self.token
        // Cut by the 200-character excerpt (with its opening quote) right after the token's first character.
        let long1 = String(repeating: "y", count: 198) + Self.token
        let body = "{" + (bodyFields + ["\"long\": \"\(long)\"", "\"long1\": \"\(long1)\"", "\"raw\": \"\(forms[4])\""]).joined(separator: ", ") + "}"
        let server = try await ScriptedHTTPServer.start { request in
            // A server echoing the path it was sent, as sent.
            if request.hasPrefix("GET /users/") {
                let path = request.dropFirst(4).prefix { $0 != " " }
                let echoed = "{\"path\": \"\(path)\"}"
                return .send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(echoed.utf8.count)\r\n\r\n\(echoed)")
            }
            return .send(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Echo: \(forms[1])\r\nX-Echo-B64: \(forms[6])\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        }
        let collection = """
            name: Secret echo
            continueOnFailure: true
            requests:
              - name: Send the secret every way
                POST: "{{baseUrl}}/echo?q={{secret}}"
                headers: { X-Secret: "{{secret}}", X-Token: "{{token}}" }
                json: { s: "{{secret}}", t: "{{token}}" }
                capture:
                  echoed: { path: raw }
                expect:
                  status: 200
                  headers: { X-Echo: "not this" }
                  body: { long: "a short text", long1: "a short text", raw: "something else", f6: { matches: "^nothing$" } }
              - name: As a form
                POST: "{{baseUrl}}/form"
                form: { s: "{{secret}}", e: "{{echoed}}" }
                expect:
                  body: { f3: "nope" }
              - name: In the path, echoed back as sent
                GET: "{{baseUrl}}/users/{{secret}}"
                expect:
                  body: { path: "nope" }
            """
        let env = """
            name: Echo
            variables:
              baseUrl: "\(server.baseURL)"
              token: "\(Self.token)"
              secret: '\(Self.secret)'
            secrets: [secret, token]
            """
        let dir = try scratch(["c.yaml": collection, "env.yaml": env])
        let run = try await vigil(
            [
                "run", "c.yaml", "-e", "env.yaml", "--verbose", "--record", "out/rec",
                "--report", "junit=out/junit.xml", "--report", "json=out/report.json",
                "--report", "html=out/report.html", "--report", "markdown=out/md",
            ], in: dir)
        #expect(run.status == 1, "\(run.all)")
        let docs = try await vigil(["docs", "c.yaml", "-e", "env.yaml", "--out", "out/docs"], in: dir)
        #expect(docs.status == 1, "\(docs.all)")

        var texts = ["stdout": run.stdout + docs.stdout, "stderr": run.stderr + docs.stderr]
        let out = dir.appendingPathComponent("out")
        for case let url as URL in FileManager.default.enumerator(at: out, includingPropertiesForKeys: nil)! where !url.hasDirectoryPath {
            texts[url.path.replacingOccurrences(of: out.path, with: "out")] = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        }
        #expect(texts.count >= 8, "\(texts.keys.sorted())")
        for (name, text) in texts {
            for form in forms {
                #expect(!text.contains(form), "\(form) in \(name)")
            }
            // No more than a few characters of the token's beginning, wherever an excerpt was cut.
            #expect(!text.contains(String(Self.token.prefix(6))), "the token's beginning in \(name)")
            #expect(!text.contains("yt…") && !text.contains("y" + String(Self.token.prefix(1)) + "\\u2026"), "the token's first character in \(name)")
        }
        // The checks failed where the test meant them to, with the values masked.
        #expect(run.stdout.contains("••••"), "\(run.stdout)")
        #expect(run.stdout.contains("long"), "\(run.stdout)")
        #expect(run.stdout.contains("yy•…"), "\(run.stdout)")
        #expect(run.stdout.contains("/users/••••"), "\(run.stdout)")
    }
}
