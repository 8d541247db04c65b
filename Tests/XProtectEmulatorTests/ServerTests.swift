import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import XProtectEmulator

@Suite struct ServerTests {
    @Test func embeddedEmulatorReportsItsURL() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        #expect(emulator.port > 0)
        #expect(emulator.baseURL == "http://127.0.0.1:\(emulator.port)")
        let other = try await EmbeddedEmulator.start(EmulatorConfiguration())
        #expect(other.port != emulator.port)
        await other.shutdown()
        await emulator.shutdown()
        await expectConnectionRefused(port: emulator.port)
    }

    @Test func shutdownClosesIdleKeepAliveConnections() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        let client = TestClient(host: "127.0.0.1", port: emulator.port)
        client.connect()
        let answer = try await client.execute(.init("/api/.well-known/uris", method: .get))
        #expect(answer.status == .ok)
        let clock = ContinuousClock()
        let start = clock.now
        await emulator.shutdown()
        #expect(clock.now - start < .seconds(2))
        try? await client.shutdown()
        await expectConnectionRefused(port: emulator.port)
    }

    @Test func fixedPortInUseFailsToStart() async throws {
        let emulator = try await EmbeddedEmulator.start(EmulatorConfiguration())
        var configuration = EmulatorConfiguration()
        configuration.port = emulator.port
        await #expect(throws: (any Error).self) { try await EmbeddedEmulator.start(configuration) }
        await emulator.shutdown()
    }

    @Test func runEmulatorServesUntilCancelled() async throws {
        let (urls, continuation) = AsyncStream<String>.makeStream()
        let server = Task {
            try await runEmulator(EmulatorConfiguration()) { url in continuation.yield(url) }
        }
        var iterator = urls.makeAsyncIterator()
        let url = try #require(await iterator.next())
        let port = try #require(Int(url.split(separator: ":").last!))
        #expect(url == "http://127.0.0.1:\(port)")
        let answer = try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            try await client.execute(.init("/api/.well-known/uris", method: .get))
        }
        #expect(answer.status == .ok)
        server.cancel()
        try await server.value
        await expectConnectionRefused(port: port)
    }

    @Test func concurrentRequestsAreSafe() async throws {
        try await withEmulator { h in
            let token = try await h.token()
            let ids = try await withThrowingTaskGroup(of: String?.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        try await h.api(.post, "/userDefinedEvents", body: #"{"name":"event \#(i)"}"#, token: token).string("result.id")
                    }
                }
                var ids: [String] = []
                for try await id in group { if let id { ids.append(id) } }
                return ids
            }
            #expect(ids.count == 40)
            #expect(Set(ids).count == 40)
            #expect(try await h.api(.get, "/userDefinedEvents", token: token).count("array") == 44)
        }
    }

    @Test func seedFileAddsUsersEventsAndCameras() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-seed-\(UUID().uuidString).json").path
        let seed = """
            {
              "users": { "operator": "s3cret" },
              "userDefinedEvents": [ { "id": "0B5C0E2A-1111-4222-8333-444455556666", "name": "Door forced" } ],
              "cameras": [
                { "id": "11111111-2222-4333-8444-555555555555", "name": "Dock PTZ", "ptz": true, "failTasks": true,
                  "presets": [ { "name": "Dock", "pan": 0.5, "default": true } ],
                  "devicePresets": [ { "name": "Factory 1" } ] },
                { "name": "Yard", "enabled": false }
              ]
            }
            """
        try seed.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await withEmulator(configure: {
            $0.seedFile = path; $0.taskDuration = .zero
        }) { h in
            let token = try await h.token(user: "operator", password: "s3cret")
            _ = try await h.token()  // the configured users stay
            let events = try await h.api(.get, "/userDefinedEvents", token: token)
            #expect(events.count("array") == 5)
            #expect(events.string("array.3.name") == "Vigil alarm trigger")
            #expect(events.string("array.4.id") == "0b5c0e2a-1111-4222-8333-444455556666")
            #expect(events.string("array.4.subtype") == "UserDefined")
            let cameras = try await h.api(.get, "/cameras?disabled", token: token)
            #expect(cameras.count("array") == 7)
            #expect(cameras.string("array.5.name") == "Dock PTZ")
            #expect(cameras.value("array.6.enabled") == .bool(false))
            let presets = try await h.api(.get, "/cameras/11111111-2222-4333-8444-555555555555/ptzPresets", token: token)
            #expect(presets.string("array.0.name") == "Dock")
            #expect(presets.value("array.0.defaultPreset") == .bool(true))
            let invoke = try await h.api(
                .post, "/cameras/11111111-2222-4333-8444-555555555555/ptzPresets?task=GetDevicePresets", body: #"{"sessionDataId":0}"#, token: token)
            let task = try #require(invoke.string("result.path.id"))
            #expect(try await h.api(.get, "/tasks/\(task)", token: token).string("data.state") == "Error")
        }
    }

    @Test func seedFileReplacingDefaultsAndErrors() async throws {
        let dir = FileManager.default.temporaryDirectory
        let good = dir.appendingPathComponent("vigil-seed-\(UUID().uuidString).json").path
        try #"{"replaceDefaultCameras": true, "cameras": [{"name": "Only"}]}"#.write(toFile: good, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: good) }
        try await withEmulator(configure: { $0.seedFile = good }) { h in
            let token = try await h.token()
            let cameras = try await h.api(.get, "/cameras", token: token)
            #expect(cameras.count("array") == 1)
            #expect(cameras.string("array.0.name") == "Only")
        }
        for bad in [#"{"cameras": [{"id": "nope", "name": "x"}]}"#, #"{"camras": []}"#, #"{"users": {"a": 1}}"#, "[", #"{"cameras": [{}]}"#] {
            let path = dir.appendingPathComponent("vigil-bad-\(UUID().uuidString).json").path
            try bad.write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            var configuration = EmulatorConfiguration()
            configuration.seedFile = path
            await #expect(throws: EmulatorError.self, "\(bad)") { try await EmbeddedEmulator.start(configuration) }
        }
        var missing = EmulatorConfiguration()
        missing.seedFile = "/nonexistent/seed.json"
        await #expect(throws: EmulatorError.self) { try await EmbeddedEmulator.start(missing) }
    }
}

func expectConnectionRefused(port: Int, sourceLocation: SourceLocation = #_sourceLocation) async {
    await #expect(throws: (any Error).self, sourceLocation: sourceLocation) {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            try await client.execute(.init("/", method: .get))
        }
    }
}
