import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import XProtectEmulator

@Suite struct FaultTests {
    @Test func parsingTheCommandLineForm() throws {
        let faults = try EmulatorFaults(parsing: "latency=200ms,5xx=0.1,reset=0.05,truncate=0.1,invalid-json=10%")
        #expect(faults.latency == .milliseconds(200))
        #expect(faults.serverErrorRate == 0.1)
        #expect(faults.resetRate == 0.05)
        #expect(faults.truncatedBodyRate == 0.1)
        #expect(abs(faults.invalidJSONRate - 0.1) < 1e-12)
        #expect(try EmulatorFaults(parsing: "latency=1.5s").latency == .milliseconds(1500))
        #expect(try EmulatorFaults(parsing: "latency=30").latency == .milliseconds(30))
        #expect(try EmulatorFaults(parsing: " 5xx = 1 , 5xx-status=503 ").serverErrorStatus == 503)
        #expect(try EmulatorFaults(parsing: "none") == EmulatorFaults())
        #expect(try EmulatorFaults(parsing: "") == EmulatorFaults())
        for bad in ["5xx=2", "reset=-1", "latency=fast", "boom=1", "5xx", "5xx-status=404"] {
            #expect(throws: EmulatorError.self, "\(bad)") { try EmulatorFaults(parsing: bad) }
        }
        let defaults = EmulatorConfiguration().faults
        #expect(defaults.latency == .zero && defaults.serverErrorRate == 0 && defaults.resetRate == 0)
        #expect(defaults.truncatedBodyRate == 0 && defaults.invalidJSONRate == 0)
    }

    @Test func scheduleIsDeterministicAndEvenlySpaced() async {
        let scheduler = FaultScheduler(EmulatorFaults(serverErrorRate: 0.25))
        var decisions: [FaultDecision] = []
        for _ in 0..<12 { decisions.append(await scheduler.next()) }
        #expect(decisions.filter { $0 != .none }.count == 3)
        #expect(decisions[2] == .serverError(500) && decisions[6] == .serverError(502) && decisions[10] == .serverError(503))
        let mixed = FaultScheduler(EmulatorFaults(resetRate: 0.1, truncatedBodyRate: 0.1, invalidJSONRate: 0.1))
        var kinds: [FaultDecision] = []
        for _ in 0..<100 { kinds.append(await mixed.next()) }
        #expect(kinds.filter { $0 == .reset }.count == 10)
        #expect(kinds.filter { $0 == .truncate }.count == 10)
        #expect(kinds.filter { $0 == .invalidJSON }.count == 10)
    }

    @Test func serverErrorsRotateAndSkipTheHandler() async throws {
        try await withEmulator(configure: { $0.faults = EmulatorFaults(serverErrorRate: 0.5) }) { h in
            // Phase 0.25: requests 2, 4, 6 … fail. Request 1 is the token.
            let token = try await h.token()
            var statuses: [Int] = []
            for _ in 0..<6 {
                statuses.append(try await h.api(.post, "/userDefinedEvents", body: #"{"name":"f"}"#, token: token).status)
            }
            #expect(statuses == [502, 201, 503, 201, 500, 201] || statuses == [500, 201, 502, 201, 503, 201])
        }
        try await withEmulator(configure: { $0.faults = EmulatorFaults(serverErrorRate: 1, serverErrorStatus: 503) }) { h in
            let answer = try await h.request(.get, "/api/rest/v1/cameras")
            #expect(answer.status == 503)
            #expect(answer.text == #"{  "error" : {  "httpCode" : 503,  "details" :  [ {  "errorText" : "Service Unavailable" } ] } }"#)
            // Discovery is never faulted.
            #expect(try await h.request(.get, "/api/.well-known/uris").status == 200)
        }
    }

    @Test func serverErrorsLeaveNoSideEffects() async throws {
        try await withEmulator(configure: { $0.faults = EmulatorFaults(serverErrorRate: 0.5) }) { h in
            let token = try await h.token()  // request 1: passes (phase 0.25 + 0.5 < 1)
            for _ in 0..<4 { _ = try await h.api(.post, "/userDefinedEvents", body: #"{"name":"f"}"#, token: token) }
            // requests 2..5: two failed, two created; request 6 fails, request 7 lists.
            _ = try await h.api(.get, "/sites", token: token)
            let list = try await h.api(.get, "/userDefinedEvents", token: token)
            #expect(list.count("array") == 6)  // 4 seeded + 2 created
        }
    }

    @Test func latencyIsAdded() async throws {
        try await withEmulator(configure: { $0.faults = EmulatorFaults(latency: .milliseconds(150)) }) { h in
            let clock = ContinuousClock()
            let start = clock.now
            _ = try await h.request(.get, "/api/rest/v1/cameras")
            #expect(clock.now - start >= .milliseconds(150))
            let idp = clock.now
            _ = try await h.request(.post, "/IDP/connect/token", body: "grant_type=password")
            #expect(clock.now - idp >= .milliseconds(150))
        }
    }

    @Test func truncatedBodies() async throws {
        try await withEmulator(configure: { $0.faults = EmulatorFaults(truncatedBodyRate: 1) }) { h in
            let token = try await h.request(
                .post, "/API/IDP/connect/token",
                body: "grant_type=password&username=admin&password=admin&client_id=GrantValidatorClient")
            #expect(token.status == 200)
            #expect(token.json == nil)
            #expect(token.text.hasPrefix(#"{"access_token":""#))
            #expect(token.header("Content-Length") == String(token.text.utf8.count))
        }
    }

    @Test func invalidJSONBodies() async throws {
        try await withEmulator(configure: { $0.faults = EmulatorFaults(invalidJSONRate: 1) }) { h in
            let answer = try await h.request(.get, "/api/rest/v1/cameras")
            #expect(answer.status == 401)
            #expect(answer.json == nil)
            #expect(answer.text.contains("undefined"))
            #expect((try? JSONSerialization.jsonObject(with: Data(answer.text.utf8))) == nil)
        }
    }

    @Test func connectionResets() async throws {
        try await withEmulator(configure: { $0.faults = EmulatorFaults(resetRate: 0.5) }) { h in
            var failures = 0, successes = 0
            for _ in 0..<4 {
                do {
                    let answer = try await h.request(.get, "/api/rest/v1/cameras")
                    #expect(answer.status == 401)
                    successes += 1
                } catch {
                    failures += 1
                }
            }
            #expect(failures == 2)
            #expect(successes == 2)
        }
    }
}
