import Foundation
import Testing
@testable import VigilCore
import VigilYAML

@Suite("EnvironmentLoader")
struct EnvironmentLoaderTests {
    static let full = """
        name: Local emulator
        server: embedded
        profile: 2025 R2
        tokenLifetime: 5m
        variables:
          api: "{{baseUrl}}/api/rest/v1"
          password: "{{$env.XPROTECT_PASSWORD}}"
        auth:
          xprotect:
            type: xprotect-basic
            username: admin
            password: "{{$env.XPROTECT_PASSWORD}}"
          custom:
            type: xprotect-basic
            username: "{{user}}"
            password: "{{password}}"
            tokenUrl: "https://idp.example/connect/token"
            clientId: OtherClient
            renewBefore: 2m
          token:
            type: bearer
            token: "{{$env.API_TOKEN}}"
          plain:
            type: basic
            username: u
            password: p4ss
          anonymous:
            type: none
        tls: { insecure: true }
        secrets: [password, apiKey]
        """

    static let process = ["XPROTECT_PASSWORD": "pw", "API_TOKEN": "tok", "HOME": "/root", "UNUSED": "x"]

    @Test func embeddedServerAndProfile() throws {
        let env = try environment(Self.full, file: "environments/local.yaml", process: Self.process)
        #expect(env.file == "environments/local.yaml")
        #expect(env.name == "Local emulator")
        #expect(env.server == .embedded(profile: "2025 R2", tokenLifetime: .seconds(300)))
    }

    @Test func variables() throws {
        let env = try environment(Self.full, process: Self.process)
        #expect(env.variables.map(\.name) == ["api", "password"])
        #expect(env.variables[0].value == .template(try tpl("{{baseUrl}}/api/rest/v1")))
        #expect(env.variables[1].value == .template(try tpl("{{$env.XPROTECT_PASSWORD}}")))
    }

    @Test func xprotectBasicDefaults() throws {
        let env = try environment(Self.full, process: Self.process)
        let expected = AuthProfile(
            type: .xprotectBasic,
            settings: [
                "username": Template(literal: "admin"), "password": try tpl("{{$env.XPROTECT_PASSWORD}}"),
                "tokenUrl": try tpl("{{baseUrl}}/API/IDP/connect/token"), "clientId": Template(literal: "GrantValidatorClient"),
            ], renewMargin: .seconds(60))
        #expect(env.auth["xprotect"] == expected)
    }

    @Test func xprotectBasicWithEverySetting() throws {
        let env = try environment(Self.full, process: Self.process)
        let expected = AuthProfile(
            type: .xprotectBasic,
            settings: [
                "username": try tpl("{{user}}"), "password": try tpl("{{password}}"),
                "tokenUrl": Template(literal: "https://idp.example/connect/token"), "clientId": Template(literal: "OtherClient"),
            ], renewMargin: .seconds(120))
        #expect(env.auth["custom"] == expected)
    }

    @Test func bearerBasicAndNone() throws {
        let env = try environment(Self.full, process: Self.process)
        #expect(env.auth["token"] == AuthProfile(type: .bearer, settings: ["token": try tpl("{{$env.API_TOKEN}}")]))
        #expect(env.auth["plain"] == AuthProfile(type: .basic, settings: ["username": Template(literal: "u"), "password": Template(literal: "p4ss")]))
        #expect(env.auth["anonymous"] == AuthProfile.none)
        #expect(Set(env.auth.keys) == ["xprotect", "custom", "token", "plain", "anonymous"])
    }

    @Test func windowsUserAndServiceClientDefaults() throws {
        let env = try environment(
            """
            auth:
              windows:
                type: xprotect-windows
                username: 'EMULATOR\\qa'
                password: "{{$env.XPROTECT_PASSWORD}}"
                workstation: QA-PC
              service:
                type: oauth2-client-credentials
                clientId: vigil-service
                clientSecret: s3cret
                renewBefore: 10s
            """, process: Self.process)
        #expect(
            env.auth["windows"]
                == AuthProfile(
                    type: .xprotectWindows,
                    settings: [
                        "username": Template(literal: "EMULATOR\\qa"), "password": try tpl("{{$env.XPROTECT_PASSWORD}}"),
                        "workstation": Template(literal: "QA-PC"), "tokenUrl": try tpl("{{baseUrl}}/IDP/connect/token"),
                        "clientId": Template(literal: "GrantValidatorClient"),
                    ]))
        #expect(env.auth["windows"]?.secretTemplates == [try tpl("{{$env.XPROTECT_PASSWORD}}")])
        #expect(
            env.auth["service"]
                == AuthProfile(
                    type: .clientCredentials,
                    settings: [
                        "clientId": Template(literal: "vigil-service"), "clientSecret": Template(literal: "s3cret"),
                        "scope": Template(literal: "managementserver"), "tokenUrl": try tpl("{{baseUrl}}/API/IDP/connect/token"),
                    ], renewMargin: .seconds(10)))
        #expect(env.auth["service"]?.secretTemplates == [Template(literal: "s3cret")])
    }

    @Test func aKeyTheAuthTypeLacksIsAnErrorAtItsPlace() throws {
        let error = #expect(throws: LoadError.self) {
            try EnvironmentLoader.load(
                """
                auth:
                  windows:
                    type: xprotect-windows
                    username: qa
                    password: qa
                    token: abc
                """, file: "env.yaml", processEnvironment: [:])
        }
        #expect(error?.description.contains("env.yaml:6:5") == true, "\(String(describing: error))")
        #expect(error?.description.contains("has no 'token'") == true, "\(String(describing: error))")
    }

    @Test func secretTemplatesAreThePasswordsAndTokens() throws {
        let env = try environment(Self.full, process: Self.process)
        #expect(env.auth["xprotect"]?.secretTemplates == [try tpl("{{$env.XPROTECT_PASSWORD}}")])
        #expect(env.auth["token"]?.secretTemplates == [try tpl("{{$env.API_TOKEN}}")])
        #expect(env.auth["plain"]?.secretTemplates == [Template(literal: "p4ss")])
        #expect(env.auth["anonymous"]?.secretTemplates == [])
    }

    @Test func tlsAndSecrets() throws {
        let env = try environment(Self.full, process: Self.process)
        #expect(env.tls.insecure)
        #expect(env.secretVariables == ["password", "apiKey"])
    }

    @Test func processEnvironmentHoldsExactlyTheNamesTheFileReads() throws {
        let env = try environment(Self.full, process: Self.process)
        #expect(env.processEnvironment == ["XPROTECT_PASSWORD": "pw", "API_TOKEN": "tok"])
    }

    @Test func unsetProcessVariablesAreLeftOutAndFailWhenResolved() throws {
        let env = try environment(Self.full, process: ["HOME": "/root"])
        #expect(env.processEnvironment.isEmpty)
        let store = VariableStore(processEnvironment: env.processEnvironment)
        for (name, tree) in env.variables { store.define(name, as: tree, in: .environment) }
        let error = try #require(unresolved { _ = try store.value(named: "password") })
        #expect(error.placeholder == .env("XPROTECT_PASSWORD"))
    }

    @Test func envValuesFlowIntoTheStore() throws {
        let env = try environment(Self.full, process: Self.process)
        let store = VariableStore(processEnvironment: env.processEnvironment)
        for (name, tree) in env.variables { store.define(name, as: tree, in: .environment) }
        #expect(try store.value(named: "password") == "pw")
    }

    @Test func minimalEnvironment() throws {
        let env = try environment("variables: { baseUrl: \"http://localhost:8080\" }\n", file: "envs/staging.yml")
        #expect(env.name == "staging")
        #expect(env.server == .external)
        #expect(env.auth.isEmpty)
        #expect(!env.tls.insecure && env.tls.caFile == nil)
        #expect(env.secretVariables.isEmpty)
        #expect(env.processEnvironment.isEmpty)
        #expect(env.variables.map(\.name) == ["baseUrl"])
    }

    @Test func explicitExternalServer() throws {
        #expect(try environment("server: external\n").server == .external)
    }

    @Test func embeddedWithoutProfile() throws {
        #expect(try environment("server: embedded\n").server == .embedded(profile: nil, tokenLifetime: nil))
    }

    @Test func singleSecretName() throws {
        #expect(try environment("secrets: apiKey\n").secretVariables == ["apiKey"])
    }

    @Test func tlsPathsAreRelativeToTheEnvironmentFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("certs"), withIntermediateDirectories: true)
        // The loader checks each file holds a PEM block of its kind (NIOSSL parses it later).
        let pem = ["vms-ca.pem": "CERTIFICATE", "client.pem": "CERTIFICATE", "client.key": "PRIVATE KEY"]
        for (name, kind) in pem {
            try "-----BEGIN \(kind)-----\nx\n-----END \(kind)-----\n".write(to: dir.appendingPathComponent("certs/\(name)"), atomically: true, encoding: .utf8)
        }
        let env = try environment(
            "tls: { ca: certs/vms-ca.pem, cert: certs/client.pem, key: \(dir.path)/certs/client.key }\n", file: dir.appendingPathComponent("e.yaml").path)
        #expect(!env.tls.insecure)
        #expect(env.tls.caFile == dir.appendingPathComponent("certs/vms-ca.pem").path)
        #expect(env.tls.certificateFile == dir.appendingPathComponent("certs/client.pem").path)
        #expect(env.tls.keyFile == dir.appendingPathComponent("certs/client.key").path)
        // A file that is not there is an error where it is named, before any run.
        let errors = environmentErrors("tls: { ca: missing.pem }\n", file: dir.appendingPathComponent("e.yaml").path)
        #expect(errors.count == 1 && errors[0].contains(":1:12: tls.ca: cannot read 'missing.pem'"), "\(errors)")
        // A key where a certificate belongs, and a certificate where the key belongs.
        let swapped = environmentErrors(
            "tls: { ca: certs/client.key, cert: certs/client.pem, key: certs/client.pem }\n", file: dir.appendingPathComponent("e.yaml").path)
        #expect(
            swapped
                == [
                    "e.yaml:1:12: tls.ca: 'certs/client.key' holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                    "e.yaml:1:59: tls.key: 'certs/client.pem' holds no PEM private key (-----BEGIN … PRIVATE KEY-----)",
                ].map { dir.path + "/" + $0 }, "\(swapped)")
    }

    @Test func repositoryEnvironmentsLoad() throws {
        let dir = CollectionLoaderTests.repositoryRoot.appendingPathComponent("environments")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }.sorted()
        try #require(!files.isEmpty)
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            _ = try environment(text, file: file, process: ["XPROTECT_PASSWORD": "x"])
        }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(
            "a SOCKS proxy", "proxy: socks5://127.0.0.1:1080\n",
            ["e.yaml:1:8: proxy 'socks5://127.0.0.1:1080': only http:// proxies are supported (write http://host:port)"]),
        ErrorCase("a proxy port out of range", "proxy: http://127.0.0.1:99999\n", ["e.yaml:1:8: proxy 'http://127.0.0.1:99999': bad port '99999'"]),
        ErrorCase("a proxy without a host", "proxy: http://\n", ["e.yaml:1:8: proxy 'http://': no host (write http://host:port)"]),
        ErrorCase(
            "a proxy with a path", "proxy: http://proxy:3128/x\n", ["e.yaml:1:8: proxy 'http://proxy:3128/x': a proxy URL has no path (write http://host:port)"]
        ),
        ErrorCase(
            "unknown auth type", "auth:\n  x:\n    type: xprotect-basci\n",
            [
                "e.yaml:3:11: unknown auth type 'xprotect-basci' (did you mean 'xprotect-basic'?); "
                    + "types are xprotect-basic, xprotect-windows, oauth2-client-credentials, bearer, basic, none"
            ]),
        ErrorCase(
            "unknown auth type without a near one", "auth:\n  x:\n    type: kerberos\n",
            ["e.yaml:3:11: unknown auth type 'kerberos'; types are xprotect-basic, xprotect-windows, oauth2-client-credentials, bearer, basic, none"]),
        ErrorCase(
            "basic without password", "auth:\n  x:\n    type: basic\n    username: u\n",
            ["e.yaml:3:5: auth profile 'x' of type basic needs 'password'"]),
        ErrorCase(
            "xprotect-basic without username", "auth:\n  x:\n    type: xprotect-basic\n    password: p\n",
            ["e.yaml:3:5: auth profile 'x' of type xprotect-basic needs 'username'"]),
        ErrorCase(
            "xprotect-basic without password", "auth:\n  x:\n    type: xprotect-basic\n    username: u\n",
            ["e.yaml:3:5: auth profile 'x' of type xprotect-basic needs 'password'"]),
        ErrorCase(
            "bearer without token", "auth:\n  api:\n    type: bearer\n",
            ["e.yaml:3:5: auth profile 'api' of type bearer needs 'token'"]),
        ErrorCase(
            "auth profile without a type", "auth:\n  x:\n    username: u\n",
            ["e.yaml:3:5: auth profile 'x' needs a type: xprotect-basic, xprotect-windows, oauth2-client-credentials, bearer, basic, none"]),
        ErrorCase(
            "misspelt auth key", "auth:\n  x:\n    type: basic\n    username: u\n    passwrd: p\n",
            [
                "e.yaml:5:5: unknown key 'passwrd' in auth profile 'x' (did you mean 'password'?)",
                "e.yaml:3:5: auth profile 'x' of type basic needs 'password'",
            ]),
        ErrorCase("auth as text", "auth: xprotect\n", ["e.yaml:1:7: auth must be a mapping of profile name to settings"]),
        ErrorCase(
            "profile without server", "profile: 2025 R2\n",
            ["e.yaml:1:1: 'profile' applies to the embedded emulator; add 'server: embedded'"]),
        ErrorCase(
            "tokenLifetime without server", "name: x\ntokenLifetime: 1m\n",
            ["e.yaml:2:1: 'tokenLifetime' applies to the embedded emulator; add 'server: embedded'"]),
        ErrorCase(
            "unknown server", "server: emulator\n",
            ["e.yaml:1:9: server must be 'embedded' (the built-in emulator) or left out (requests go to {{baseUrl}})"]),
        ErrorCase(
            "bad tokenLifetime", "server: embedded\ntokenLifetime: forever\n",
            ["e.yaml:2:16: tokenLifetime must be a duration such as 500ms, 10s or 2m, found 'forever'"]),
        ErrorCase("misspelt top-level key", "secret: [a]\n", ["e.yaml:1:1: unknown key 'secret' in an environment (did you mean 'secrets'?)"]),
        ErrorCase("misspelt tls key", "tls: { insecur: true }\n", ["e.yaml:1:8: unknown key 'insecur' in tls (did you mean 'insecure'?)"]),
        ErrorCase("tls insecure not a boolean", "tls: { insecure: yes }\n", ["e.yaml:1:18: insecure must be true or false, found a string"]),
        ErrorCase(
            "bad renewBefore", "auth:\n  x:\n    type: xprotect-basic\n    username: u\n    password: p\n    renewBefore: soon\n",
            ["e.yaml:6:18: renewBefore must be a duration such as 500ms, 10s or 2m, found 'soon'"]),
        ErrorCase(
            "template error in a password", "auth:\n  x:\n    type: basic\n    username: u\n    password: \"{{$env.}}\"\n",
            ["e.yaml:5:16: '{{$env.}}' needs an environment variable name"]),
        ErrorCase("empty file", "", ["e.yaml:1:1: the environment file is empty"]),
        ErrorCase("root is a list", "- a\n", ["e.yaml:1:1: an environment must be a mapping, found a list"]),
    ]

    @Test(arguments: errorCases)
    func errors(_ c: ErrorCase) {
        #expect(environmentErrors(c.yaml) == c.expected)
    }

    /// All errors of a file are reported together: a profile missing both credentials names both.
    @Test func missingUsernameAndPasswordAreBothReported() {
        let errors = environmentErrors("auth:\n  x:\n    type: xprotect-basic\n")
        #expect(
            errors == [
                "e.yaml:3:5: auth profile 'x' of type xprotect-basic needs 'username'",
                "e.yaml:3:5: auth profile 'x' of type xprotect-basic needs 'password'",
            ])
    }

    /// `profile` means nothing for an external server; naming the server explicitly must not hide that.
    @Test func profileWithExternalServerIsAnError() {
        let errors = environmentErrors("server: external\nprofile: 2025 R2\n")
        #expect(errors == ["e.yaml:2:1: 'profile' applies to the embedded emulator; add 'server: embedded'"])
    }

    @Test func severalEnvironmentErrorsTogether() {
        let yaml = "nme: x\nprofile: 2024 R2\nauth:\n  a:\n    type: bearr\ntls: { ca: [x] }\n"
        let errors = environmentErrors(yaml)
        #expect(
            Set(errors) == [
                "e.yaml:1:1: unknown key 'nme' in an environment (did you mean 'name'?)",
                "e.yaml:2:1: 'profile' applies to the embedded emulator; add 'server: embedded'",
                "e.yaml:5:11: unknown auth type 'bearr' (did you mean 'bearer'?); types are xprotect-basic, xprotect-windows, oauth2-client-credentials, bearer, basic, none",
                "e.yaml:6:12: ca must be text, found a list",
            ])
        #expect(errors.count == 4)
    }
}
