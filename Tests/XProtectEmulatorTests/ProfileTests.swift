import Hummingbird
import Testing
import VigilJSON

@testable import XProtectEmulator

@Suite struct ProfileTests {
    @Test func parsingNames() throws {
        for spelling in ["2024 R2", "2024r2", "2024R2", "24R2", " 2024 - r2 "] {
            #expect(ReleaseProfile(named: spelling)?.name == "2024 R2", "\(spelling)")
        }
        #expect(ReleaseProfile(named: "2020 R1") == nil)
        #expect(ReleaseProfile(named: "latest") == nil)
        #expect(ReleaseProfile(named: "2024") == nil)
        #expect(ReleaseProfile.latest.name == "2025 R2")
        #expect(ReleaseProfile.latest.productVersion == "25.2.0.1")
        #expect(ReleaseProfile(named: "2025 R1")?.productVersion == "25.1.1804.0")
        #expect(ReleaseProfile(named: "2021R2")?.description == "2021 R2")
        let names = ReleaseProfile.all.map(\.name)
        for required in ["2021 R2", "2022 R1", "2022 R2", "2023 R2", "2024 R2", "2025 R2"] {
            #expect(names.contains(required))
        }
        #expect(ReleaseProfile.all == ReleaseProfile.all.sorted())
        #expect(Set(ReleaseProfile.all.map(\.productVersion)).count == ReleaseProfile.all.count)
    }

    @Test(arguments: ReleaseProfile.all)
    func siteVersionFollowsTheProfile(profile: ReleaseProfile) async throws {
        try await withEmulator(configure: { $0.profile = profile }) { h in
            let token = try await h.token()
            let sites = try await h.api(.get, "/sites", token: token)
            #expect(sites.string("array.0.version") == profile.productVersion)
        }
    }

    @Test func stringBooleansBefore2022R2() async throws {
        for (name, expected) in [("2021 R2", JSONValue.string("True")), ("2022 R1", .string("True")), ("2022 R2", .bool(true))] {
            try await withEmulator(profile: name) { h in
                let token = try await h.token()
                let cameras = try await h.api(.get, "/cameras", token: token)
                #expect(cameras.value("array.0.enabled") == expected, "\(name)")
                let one = try await h.api(.get, "/cameras/\(Seeded.ptzCamera)", token: token)
                #expect(one.value("data.recordingEnabled") == expected, "\(name)")
                let presets = try await h.api(.get, "/cameras/\(Seeded.ptzCamera)/ptzPresets", token: token)
                #expect(presets.value("array.0.defaultPreset") == expected, "\(name)")
                // Input accepts both forms in every release.
                let patched = try await h.api(.patch, "/cameras/\(Seeded.fixedCamera)", body: #"{"recordingEnabled":"False"}"#, token: token)
                #expect(patched.value("data.recordingEnabled") == (expected == .bool(true) ? .bool(false) : .string("False")))
            }
        }
    }

    @Test func cameraPtzAndFailoverFieldsFrom2023R1() async throws {
        for (name, present) in [("2022 R3", false), ("2023 R1", true)] {
            try await withEmulator(profile: name) { h in
                let token = try await h.token()
                let camera = try await h.api(.get, "/cameras/\(Seeded.ptzCamera)", token: token)
                #expect((camera.value("data.ptzEnabled") != nil) == present, "\(name)")
                #expect((camera.value("data.failoverSetting") != nil) == present, "\(name)")
                #expect(camera.string("data.id") == Seeded.ptzCamera)
            }
        }
    }

    @Test func createAnswersResultInEveryRelease() async throws {
        for profile in [ReleaseProfile(named: "2021 R2")!, .latest] {
            try await withEmulator(configure: { $0.profile = profile }) { h in
                let token = try await h.token()
                let created = try await h.api(.post, "/userDefinedEvents", body: #"{"name":"e"}"#, token: token)
                #expect(created.status == 201)
                #expect(created.string("result.name") == "e")
            }
        }
    }

    @Test func deleteShapeChangesIn2025R1() async throws {
        for (name, stateForm) in [("2024 R2", false), ("2025 R1", true)] {
            try await withEmulator(profile: name) { h in
                let token = try await h.token()
                let id = try #require(try await h.api(.post, "/userDefinedEvents", body: #"{"name":"e"}"#, token: token).string("result.id"))
                let deleted = try await h.api(.delete, "/userDefinedEvents/\(id)", token: token)
                #expect((deleted.string("state") == "Success") == stateForm, "\(name)")
                #expect((deleted.string("data.id") == id) == !stateForm, "\(name)")
            }
        }
    }

    @Test func taskCleanupRejectedOnlyIn2021R2() async throws {
        for (name, rejected) in [("2021 R2", true), ("2022 R1", false)] {
            try await withEmulator(profile: name, configure: { $0.taskDuration = .zero }) { h in
                let token = try await h.token()
                let invoke = try await h.api(
                    .post, "/cameras/\(Seeded.ptzCamera)/ptzPresets?task=GetDevicePresets", body: #"{"sessionDataId":0}"#, token: token)
                let task = try #require(invoke.string("result.path.id"))
                let cleanup = try await h.api(.post, "/tasks/\(task)?task=TaskCleanup", body: "{}", token: token)
                if rejected {
                    #expect(cleanup.status == 400)
                    #expect(cleanup.string("error.details.0.errorText") == "Bad request -not supported, Method flow missing next MethodId")
                    #expect(try await h.api(.get, "/tasks/\(task)", token: token).status == 200)
                } else {
                    #expect(cleanup.status == 200)
                }
            }
        }
    }

    @Test func permissionResourcesFrom2024R2() async throws {
        try await withEmulator(profile: "2024 R1") { h in
            let token = try await h.token()
            for name in ["securityNamespaces", "effectivePermissions/623d03f8-c5d5-46bc-a2f4-4c03562d4f85", "registeredServices"] {
                let answer = try await h.api(.get, "/\(name)", token: token)
                #expect(answer.status == 404)
                #expect(answer.string("error.details.0.errorText")?.hasPrefix("Unknown resource: ") == true)
            }
            let tasks = try await h.api(.get, "/cameras/\(Seeded.ptzCamera)?tasks&noData", token: token)
            #expect(tasks.count("tasks") == 5)
        }
        try await withEmulator(profile: "2024 R2") { h in
            let token = try await h.token()
            let namespaces = try await h.api(.get, "/securityNamespaces", token: token)
            #expect(namespaces.string("array.0.id") == "623d03f8-c5d5-46bc-a2f4-4c03562d4f85")
            let namespace = try await h.api(.get, "/securityNamespaces/623D03F8-C5D5-46BC-A2F4-4C03562D4F85", token: token)
            #expect(namespace.string("data.securityActions.0.name") == "GENERIC_READ")
            let permissions = try await h.api(
                .get, "/effectivePermissions/623d03f8-c5d5-46bc-a2f4-4c03562d4f85?objectIds=\(Seeded.ptzCamera),\(Seeded.fixedCamera)", token: token)
            #expect(permissions.value("data.isAdministrator") == .bool(true))
            #expect(permissions.count("data.objectPermissions") == 2)
            #expect(permissions.string("data.objectPermissions.1.id") == Seeded.fixedCamera)
            let services = try await h.api(.get, "/registeredServices", token: token)
            #expect(services.string("array.0.type") == "e46b7bf9-03ce-44eb-bbdc-8ba16d0aaa80")
            #expect(services.string("array.0.uris.0") == "http://\(h.authority)/API/")
            let tasks = try await h.api(.get, "/cameras/\(Seeded.ptzCamera)?tasks&noData", token: token)
            #expect(tasks.count("tasks") == 9)
        }
    }
}
