import Foundation
import Testing

/// The `vigil` binary as a user runs it: real collections, the real embedded emulator over loopback.
@Suite struct CommandLineTests {
    @Test func theDemoRunsEveryStepOfTheSeedScenario() async throws {
        let r = try await vigil(["run", "collections"])
        #expect(r.status == 0, "\(r.all)")
        for step in [
            "Create a user-defined event", "Rename the user-defined event with PATCH", "Wait for the task",
            "Clean the second task up", "finally: Check the user-defined event is gone",
        ] {
            #expect(r.stdout.contains("✓ \(step)"), "missing step \(step) in\n\(r.stdout)")
        }
        #expect(!r.stdout.contains("✗"))
        #expect(r.stdout.contains(" 0 failed"))
    }

    @Test(arguments: ["2021r2", "2022r1", "2022r2", "2023r2", "2024r2", "2025r2"])
    func collectionsPassOrSkipOnEveryEmulatorProfile(profile: String) async throws {
        let r = try await vigil(["run", "collections", "-e", "environments/emulator-\(profile).yaml"])
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stdout.contains(" 0 failed"))
        // Whatever is skipped says why.
        for line in r.stdout.split(separator: "\n") where line.contains("–") {
            #expect(line.contains("skipped: "), "\(line)")
        }
    }

    @Test func validateReportsAMisspeltKeyWithItsPositionAndExits2() async throws {
        let dir = try scratch([
            "c.yaml": """
            name: typo
            requests:
              - GET: http://127.0.0.1:1/x
                expct:
                  status: 200
            """
        ])
        let r = try await vigil(["validate", "c.yaml"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains("c.yaml:4:5: unknown key 'expct' in a request (did you mean 'expect'?)"), "\(r.stderr)")
    }

    @Test func aYAMLSyntaxErrorPrintsItsPositionAndExits2() async throws {
        let dir = try scratch(["bad.yaml": "name: x\nrequests: [1, 2\nother: 3\n"])
        let r = try await vigil(["validate", "bad.yaml"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("bad.yaml:3:"), "\(r.stderr)")
        #expect(r.stderr.contains("flow sequence"))
    }

    @Test func allErrorsOfAFileComeTogetherInOrder() async throws {
        let dir = try scratch([
            "c.yaml": """
            requests:
              - GET: "http://x/tasks/{taskId}"
              - POST: http://x
                json: { a: "{{$env.HOME}}" }
                expect: { status: 2xx, body: { "$.a[?": 1 } }
            """
        ])
        let r = try await vigil(["validate", "c.yaml"], in: dir)
        #expect(r.status == 2)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(r.stderr)")
        #expect(lines.first?.hasPrefix("c.yaml:2:26: single-brace '{taskId}'") == true, "\(r.stderr)")
        #expect(lines.dropFirst().first?.hasPrefix("c.yaml:4:17: '{{$env.HOME}}' may only be used in environment files") == true)
        #expect(lines.last?.hasPrefix("c.yaml:5:42: invalid JSONPath") == true, "\(r.stderr)")
    }

    @Test func aFailedAssertionExits1AndShowsExpectedAgainstActual() async throws {
        let dir = try scratch([
            "env.yaml": embeddedEnvironment(),
            "c.yaml": """
            auth: xprotect
            requests:
              - name: Sites
                GET: "{{api}}/sites"
                expect:
                  body:
                    array[0].version: "99.9.9.9"
              - name: Never sent
                GET: "{{api}}/sites"
            """,
        ])
        let r = try await vigil(["run", "c.yaml", "-e", "env.yaml"], in: dir)
        #expect(r.status == 1, "\(r.all)")
        #expect(r.stdout.contains("✗ Sites"))
        #expect(r.stdout.contains("$['array'][0]['version']: expected \"99.9.9.9\", got \"25.2.0.1\""), "\(r.stdout)")
        #expect(r.stdout.contains("at c.yaml:7:9"), "\(r.stdout)")
        #expect(r.stdout.contains("– Never sent  skipped: an earlier request failed ('Sites')"), "\(r.stdout)")
    }

    @Test func aRefusedConnectionExits3WithAOneLineCause() async throws {
        let dir = try scratch([
            "env.yaml": "name: nowhere\nvariables:\n  baseUrl: http://127.0.0.1:9\n",
            "c.yaml": "requests:\n  - name: Nothing there\n    GET: \"{{baseUrl}}/x\"\n",
        ])
        let r = try await vigil(["run", "c.yaml", "-e", "env.yaml"], in: dir)
        #expect(r.status == 3, "\(r.all)")
        #expect(r.stdout.contains("connection refused by 127.0.0.1:9"), "\(r.stdout)")
        #expect(!r.all.contains("Fatal error") && !r.all.contains("Stack dump"))
    }

    /// Issue 20, point 6: the error of an environment that cannot be prepared is printed when
    /// stderr is a pipe (as here), not only on a terminal.
    @Test func anEnvironmentThatFailsToPreparePrintsItsErrorOnAPipe() async throws {
        let dir = try scratch([
            // A PEM block (so the environment loads) that is no certificate (so preparing fails).
            "bad.pem": "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
            "ca.yaml": "name: Bad CA\ntls: { ca: bad.pem }\nvariables: { baseUrl: \"http://127.0.0.1:9\" }\n",
            "proxy.yaml": "name: Bad proxy\nproxy: \"http://[::1\"\nvariables: { baseUrl: \"http://127.0.0.1:9\" }\n",
            "c.yaml": "name: c\nrequests:\n  - name: Nothing there\n    GET: \"{{baseUrl}}/x\"\n",
        ])
        for (env, cause) in [("ca.yaml", "could not read TLS files"), ("proxy.yaml", "proxy 'http://[::1' names no host and port")] {
            let r = try await vigil(["run", "c.yaml", "-e", env], in: dir)
            #expect(r.status == 3, "\(r.all)")
            #expect(r.stderr.contains("error: environment '") && r.stderr.contains("(\(env)): \(cause)"), "\(r.stderr)")
            #expect(!r.stdout.contains("Nothing there"), "nothing is run")
        }
    }

    @Test func anUndefinedVariableIsCaughtBeforeAnyRequestIsSent() async throws {
        let dir = try scratch([
            "env.yaml": embeddedEnvironment(),
            "c.yaml": "auth: xprotect\nrequests:\n  - name: Task\n    GET: \"{{api}}/tasks/{{tasksId}}\"\n    capture: { taskId: data.id }\n",
        ])
        let r = try await vigil(["run", "c.yaml", "-e", "env.yaml"], in: dir)
        #expect(r.status == 2, "\(r.all)")
        #expect(
            r.stderr.contains("c.yaml:3:5: request 'Task' uses '{{tasksId}}' in the URL, but no variable, --var or earlier capture defines it"), "\(r.stderr)")
    }

    @Test func usageErrorsExit4() async throws {
        let r = try await vigil(["run", "--no-such-option"])
        #expect(r.status == 4)
        #expect(r.stderr.contains("Unknown option"))
    }

    @Test func varOnTheCommandLineWinsOverTheEnvironment() async throws {
        let dir = try scratch([
            "env.yaml": embeddedEnvironment(extra: ""),
            "c.yaml": """
            auth: xprotect
            variables: { cameraId: nope }
            requests:
              - GET: "{{api}}/cameras/{{cameraId}}"
                expect: { status: 200, body: { data.id: "{{cameraId}}" } }
            """,
        ])
        let r = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--var", "cameraId=2f1e0d9c-8b7a-4c6d-8e5f-4a3b2c1d0e9f"], in: dir)
        #expect(r.status == 0, "\(r.all)")
    }
}

/// Secrets never reach any output, and a signal stops a run cleanly.
@Suite struct SafetyTests {
    @Test func noPasswordTokenOrAuthorizationHeaderAppearsInAnyOutput() async throws {
        let dir = try scratch([
            "env.yaml": """
            name: secrets
            server: embedded
            variables:
              api: "{{baseUrl}}/api/rest/v1"
              apiKey: "key-SECRET-4711"
            secrets: [apiKey]
            auth:
              xprotect:
                type: xprotect-basic
                username: admin
                password: "{{$env.VIGIL_TEST_PASSWORD}}"
            """,
            "c.yaml": """
            auth: xprotect
            requests:
              - name: Echo the key into a failure
                GET: "{{api}}/cameras"
                headers: { X-Key: "{{apiKey}}" }
                query: { key: "{{apiKey}}" }
                expect: { status: 418, body: { array: "{{apiKey}}" } }
            """,
        ])
        let r = try await vigil(["run", "c.yaml", "-e", "env.yaml"], in: dir, environment: ["VIGIL_TEST_PASSWORD": "admin"])
        #expect(r.status == 1, "\(r.all)")
        #expect(!r.all.contains("key-SECRET-4711"), "\(r.all)")
        #expect(r.all.contains("key=••••"), "\(r.all)")
        #expect(!r.all.contains("admin\n") && !r.all.contains("Bearer "))

        // With a wrong password, the sign-in error names the user but never the password.
        let bad = try await vigil(["run", "c.yaml", "-e", "env.yaml"], in: dir, environment: ["VIGIL_TEST_PASSWORD": "not-the-password"])
        #expect(bad.status == 3, "\(bad.all)")
        #expect(bad.all.contains("sign-in as 'admin'"))
        #expect(!bad.all.contains("not-the-password"))
    }

    @Test func insecureTLSIsWarnedAboutOnEveryRun() async throws {
        let dir = try scratch([
            "env.yaml": embeddedEnvironment(extra: "tls: { insecure: true }"),
            "c.yaml": "auth: xprotect\nrequests:\n  - GET: \"{{api}}/sites\"\n",
        ])
        for _ in 1...2 {
            let r = try await vigil(["run", "c.yaml", "-e", "env.yaml"], in: dir)
            #expect(r.status == 0, "\(r.all)")
            #expect(r.stderr.contains("warning: TLS certificate verification is off for environment 'Test emulator'"), "\(r.stderr)")
        }
    }

    @Test func aCaptureReplacingAnEnvironmentVariableIsWarnedAboutAndTheRunGoesOn() async throws {
        let dir = try scratch([
            "env.yaml": embeddedEnvironment(),
            "c.yaml": """
            auth: xprotect
            requests:
              - GET: "{{api}}/sites"
                capture: { api: { header: Content-Type } }
            """,
            "quiet.yaml": """
            auth: xprotect
            requests:
              - GET: "{{api}}/sites"
                capture: { api: { header: Content-Type, override: true } }
            """,
        ])
        let warning = "c.yaml:4:16: warning: capture 'api' replaces the environment's variable 'api'"
        let run = try await vigil(["run", "c.yaml", "-e", "env.yaml"], in: dir)
        #expect(run.status == 0, "\(run.all)")
        #expect(run.stderr.contains(warning), "\(run.stderr)")
        let validate = try await vigil(["validate", "c.yaml", "-e", "env.yaml"], in: dir)
        #expect(validate.status == 0 && validate.stderr.contains(warning), "\(validate.all)")
        let marked = try await vigil(["run", "quiet.yaml", "-e", "env.yaml"], in: dir)
        #expect(marked.status == 0 && !marked.stderr.contains("warning"), "\(marked.all)")
    }

    @Test func anAuthProfileTheEnvironmentLacksIsAnErrorBeforeTheRun() async throws {
        let dir = try scratch([
            "env.yaml": embeddedEnvironment(),
            "c.yaml": "auth: xprotec\nrequests:\n  - GET: \"{{api}}/sites\"\n  - GET: \"{{api}}/sites\"\n    auth: servce\n",
        ])
        for command in ["validate", "run"] {
            let r = try await vigil([command, "c.yaml", "-e", "env.yaml"], in: dir)
            #expect(r.status == 2, "\(command): \(r.all)")
            #expect(
                r.stderr.contains("c.yaml:1:7: auth profile 'xprotec' is not defined in environment 'Test emulator' (env.yaml) (did you mean 'xprotect'?)"),
                "\(r.stderr)")
            #expect(r.stderr.contains("c.yaml:5:11: auth profile 'servce' is not defined"), "\(r.stderr)")
            #expect(!r.stdout.contains("GET"), "nothing was sent: \(r.stdout)")
        }
    }

    @Test func failOnSkipMakesASkippedRequestFailTheRun() async throws {
        let dir = try scratch([
            "env.yaml": embeddedEnvironment(),
            "c.yaml": "requests:\n  - GET: \"{{baseUrl}}/api/.well-known/uris\"\n    requires: \">= 2099 R1\"\n",
        ])
        let plain = try await vigil(["run", "c.yaml", "-e", "env.yaml"], in: dir)
        #expect(plain.status == 0, "\(plain.all)")
        #expect(plain.stdout.contains("0 passed, 0 failed, 1 skipped"), "the summary always counts skips: \(plain.stdout)")
        let strict = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--fail-on-skip"], in: dir)
        #expect(strict.status == 1, "\(strict.all)")
        #expect(strict.stderr.contains("1 request was skipped, and --fail-on-skip was given"), "\(strict.stderr)")
    }

    @Test func sigintStopsTheRunRunsFinallyAndPrintsTheSummary() async throws {
        let dir = try scratch([
            "env.yaml": embeddedEnvironment(),
            "c.yaml": """
            auth: xprotect
            requests:
              - name: Wait forever
                GET: "{{api}}/sites"
                retry: { until: { status: 599 }, interval: 100ms, timeout: 60s }
              - name: Never reached
                GET: "{{api}}/sites"
            finally:
              - name: Cleanup
                GET: "{{api}}/sites"
            """,
        ])
        let clock = ContinuousClock()
        let start = clock.now
        let r = try await vigil(["run", "c.yaml", "-e", "env.yaml"], in: dir, signal: (.seconds(2), SIGINT))
        #expect(clock.now - start < .seconds(10))
        #expect(r.status == 130, "\(r.all)")
        #expect(r.stdout.contains("✓ finally: Cleanup"), "\(r.stdout)")
        #expect(r.stdout.contains("skipped: the run was interrupted"), "\(r.stdout)")
        #expect(r.stdout.contains("interrupted)"), "\(r.stdout)")
    }
}
