import Foundation
import Testing
import VigilCore
import VigilJSON

@testable import VigilReport

/// Docs show each request as a curl command: secrets and the server's address as shell
/// variables, everything else quoted so that the shell passes it through unchanged.
@Suite struct CurlCommandTests {
    @Test func theCommandRunsInAShellWithTheVariablesSet() throws {
        let mask = Redactor.mask
        let command = try #require(
            CurlCommand.text(
                method: "POST", url: "http://127.0.0.1:4000/api/x?q=it's",
                headers: [("Authorization", mask), ("X-Api-Key", "k-\(mask)"), ("Accept", "application/json")],
                body: .json(["name": "O'Brien \"quoted\" $HOME `x`", "password": .string(mask)]), baseURLs: ["http://127.0.0.1:4000"]))
        #expect(command.hasPrefix("# set first: BASE_URL=… AUTHORIZATION=… X_API_KEY=… SECRET=…\ncurl -X POST \"$BASE_URL\"'/api/x?q=it'\\''s'"), "\(command)")
        #expect(!command.contains(mask) && !command.contains("127.0.0.1"))
        // Run it with curl replaced by a function that prints its arguments.
        let script = "curl() { printf '%s\\n' \"$@\"; }\nBASE_URL=http://srv AUTHORIZATION='Bearer t' X_API_KEY=key SECRET=pw\n" + command
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", script]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(
            out.split(separator: "\n").map(String.init) == [
                "-X", "POST", "http://srv/api/x?q=it's", "-H", "Authorization: Bearer t", "-H", "X-Api-Key: k-key", "-H", "Accept: application/json",
                "--data-raw", #"{"name":"O'Brien \"quoted\" $HOME `x`","password":"pw"}"#,
            ], "\(out)")
    }

    @Test func aGetHasNoMethodOptionAndWebSocketStepsNoCommand() {
        #expect(CurlCommand.text(method: "GET", url: "http://h/a", headers: [], body: nil) == "curl 'http://h/a'")
        #expect(CurlCommand.text(method: "WS", url: "ws://h/a", headers: [], body: nil) == nil)
        #expect(
            CurlCommand.text(method: "POST", url: "http://h/a", headers: [], body: .file(name: "data/x.bin", bytes: 3))?.hasSuffix(
                "--data-binary '@data/x.bin'") == true)
    }
}
