import Hummingbird
import Testing

@testable import XProtectEmulator

@Suite struct DiscoveryTests {
    @Test func wellKnownURIsIsUnauthenticatedAndUsesTheHost() async throws {
        try await withEmulator(profile: "2022 R1") { h in
            let answer = try await h.request(.get, "/api/.well-known/uris")
            #expect(answer.status == 200)
            #expect(answer.string("ProductVersion") == "22.1.5804.1")
            #expect(answer.string("UnsecureManagementServer") == "http://\(h.authority)/")
            #expect(answer.string("SecureManagementServer") == "https://\(h.authority)/")
            #expect(answer.string("IdentityProvider") == "http://\(h.authority)/IDP")
            #expect(answer.string("ApiGateways.0") == "http://\(h.authority)/API/")
            let upper = try await h.request(.get, "/API/.WELL-KNOWN/URIS")
            #expect(upper.status == 200)
        }
    }

    @Test func wellKnownURIsDoesNotExistIn2021R2() async throws {
        try await withEmulator(profile: "2021 R2") { h in
            let answer = try await h.request(.get, "/api/.well-known/uris")
            #expect(answer.status == 404)
            #expect(answer.string("error.details.0.errorText") == "Unknown resource: .well-known")
        }
    }

    @Test func theEmulatorDescribesWhatItServesForItsProfile() async throws {
        for (profile, events, bookmarks, booleans) in [
            ("2021 R2", false, false, "string"), ("2023 R2", true, false, "boolean"), ("2025 R2", true, true, "boolean"),
        ] {
            try await withEmulator(profile: profile, configure: { $0.faults = try! EmulatorFaults(parsing: "5xx=1") }) { h in
                // No sign-in, and never faulted.
                let answer = try await h.request(.get, "/api/rest/v1/openapi.json")
                #expect(answer.status == 200)
                #expect(answer.string("openapi") == "3.1.0")
                #expect(answer.string("info.version") == profile)
                #expect(answer.string("servers.0.url") == "/api/rest/v1")
                let paths = answer.value("paths")?.objectValue?.keys ?? []
                #expect(paths.contains("/userDefinedEvents/{id}") && paths.contains("/cameras/{id}/ptzPresets/{presetId}"))
                #expect(paths.contains("/events") == events, "\(profile)")
                #expect(paths.contains("/alarmStates/{id}") == events, "\(profile)")
                #expect(paths.contains("/bookmarks/{id}") == bookmarks, "\(profile)")
                #expect(answer.string("components.schemas.Camera.properties.enabled.type") == booleans)
                // Every reference names a schema the document has.
                let text = answer.text
                let refs = text.matches(of: /"\$ref" : "#\/components\/schemas\/([A-Za-z]+)"/)
                #expect(refs.count > 20, "\(refs.count)")
                for ref in refs {
                    #expect(answer.value("components.schemas.\(ref.1)") != nil, "\(ref.1)")
                }
                #expect(try await h.request(.post, "/api/rest/v1/openapi.json").status == 405)
            }
        }
    }

    @Test func openIDConfiguration() async throws {
        try await withEmulator { h in
            for path in ["/IDP/.well-known/openid-configuration", "/API/IDP/.well-known/openid-configuration"] {
                let answer = try await h.request(.get, path)
                #expect(answer.status == 200)
                #expect(answer.string("issuer") == "http://\(h.authority)/IDP")
                #expect(answer.string("token_endpoint") == "http://\(h.authority)/IDP/connect/token")
                #expect(answer.string("server_version") == "25.2.0.1")
            }
        }
    }

    @Test func pathsOutsideAPIAndIDPGetTheIISPage() async throws {
        try await withEmulator { h in
            let answer = try await h.request(.post, "/webRTC/session")
            #expect(answer.status == 404)
            #expect(answer.header("Content-Type") == "text/html")
            #expect(answer.header("Server") == "Microsoft-IIS/10.0")
            #expect(answer.text.contains("404 - File or directory not found."))
            let root = try await h.request(.get, "/")
            #expect(root.status == 404)
            #expect(root.text.contains("404 - File or directory not found."))
            // Inside /api but no gateway route: empty 404.
            let gateway = try await h.request(.get, "/api/rest/v2/cameras")
            #expect(gateway.status == 404)
            #expect(gateway.text.isEmpty)
        }
    }
}
