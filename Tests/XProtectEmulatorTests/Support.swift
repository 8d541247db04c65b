import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import VigilJSON

@testable import XProtectEmulator

/// A response as the tests see it.
struct HTTPAnswer {
    var status: Int
    var headers: HTTPFields
    var text: String
    var json: JSONValue? { try? JSONValue(parsing: text) }

    func value(_ path: String) -> JSONValue? {
        var current = json
        for key in path.split(separator: ".") {
            if let index = Int(key), case .array(let items)? = current {
                current = index < items.count ? items[index] : nil
            } else {
                current = current?[String(key)]
            }
        }
        return current
    }

    func string(_ path: String) -> String? { value(path)?.stringValue }
    func int(_ path: String) -> Int? { value(path)?.intValue.map { Int($0) } }
    func count(_ path: String) -> Int? {
        if case .array(let items)? = value(path) { items.count } else { nil }
    }
    func header(_ name: String) -> String? { headers[HTTPFields.Element.Name(name)!] }
}

/// One running emulator and a way to talk to it over loopback HTTP.
struct Harness {
    let emulator: EmbeddedEmulator

    var authority: String { "127.0.0.1:\(emulator.port)" }

    func request(
        _ method: HTTPRequest.Method, _ path: String, body: String? = nil, token: String? = nil,
        headers extra: [String: String] = [:]
    ) async throws -> HTTPAnswer {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        for (name, value) in extra { headers[HTTPFields.Element.Name(name)!] = value }
        let request = TestClient.Request(
            path, method: method, authority: authority, headers: headers, body: body.map { ByteBuffer(string: $0) })
        let response = try await TestClient.withClient(host: "127.0.0.1", port: emulator.port) { client in
            try await client.execute(request)
        }
        return HTTPAnswer(
            status: Int(response.status.code), headers: response.headers,
            text: response.body.map { String(buffer: $0) } ?? "")
    }

    /// A token for `admin`/`admin`.
    func token(user: String = "admin", password: String = "admin") async throws -> String {
        let answer = try await request(
            .post, "/API/IDP/connect/token",
            body: "grant_type=password&username=\(user)&password=\(password)&client_id=GrantValidatorClient",
            headers: ["Content-Type": "application/x-www-form-urlencoded"])
        try #require(answer.status == 200, "token request failed: \(answer.text)")
        return try #require(answer.string("access_token"))
    }

    /// An authenticated Config API request below `/api/rest/v1`.
    func api(_ method: HTTPRequest.Method, _ path: String, body: String? = nil, token: String) async throws -> HTTPAnswer {
        try await request(method, "/api/rest/v1" + path, body: body, token: token)
    }
}

/// Runs `body` against a fresh emulator, then shuts it down.
func withEmulator(
    profile: String? = nil, configure: (inout EmulatorConfiguration) -> Void = { _ in },
    _ body: (Harness) async throws -> Void
) async throws {
    var configuration = EmulatorConfiguration()
    if let profile { configuration.profile = try #require(ReleaseProfile(named: profile)) }
    configuration.taskDuration = .milliseconds(200)
    configure(&configuration)
    let emulator = try await EmbeddedEmulator.start(configuration)
    do {
        try await body(Harness(emulator: emulator))
    } catch {
        await emulator.shutdown()
        throw error
    }
    await emulator.shutdown()
}

enum Seeded {
    static let ptzCamera = "93345da5-de2b-415c-afe3-968f4b28cccd"
    static let ptzCamera2 = "a8a8b9dc-7e5f-4c3b-9a1d-2e3f4a5b6c7d"
    static let fixedCamera = "2f1e0d9c-8b7a-4c6d-8e5f-4a3b2c1d0e9f"
    static let faultyCamera = "5c4b3a29-1807-4f6e-9d5c-4b3a29180706"
    static let disabledCamera = "e7d6c5b4-a392-4180-b7f6-e5d4c3b2a190"
    static let homePreset = "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b01"
    static let entrancePreset = "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b02"
    static let site = "bc4fe0ba-1b57-4d4c-9d43-7d1f0ac0ffee"
    static let startRecording = "85867627-b287-4439-9e55-a63701e1715b"
}
