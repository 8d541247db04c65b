import Testing
@testable import VigilCore
import VigilYAML

@Suite("ReferenceCheck")
struct ReferenceCheckTests {
    func check(_ yaml: String, known: Set<String> = ["baseUrl"]) throws -> [String] {
        let c = try collection(yaml, file: "r.yaml")
        return ReferenceCheck.undefinedVariables(in: c, known: known).map(\.description)
    }

    static let scenario = """
        variables:
          api: "{{baseUrl}}/api"
        requests:
          - name: Create
            POST: "{{api}}/events"
            headers: { X-Name: "{{eventName}}" }
            json: { a: "{{count}}", b: "{{$uuid}}" }
            capture: { eventId: result.id }
          - name: Read
            GET: "{{api}}/events/{{eventId}}"
            query: { q: "{{qry}}", flag: }
          - name: Early
            GET: "{{api}}/tasks/{{taskId}}"
          - name: Task
            POST: "{{api}}/tasks"
            capture: { taskId: result.id }
          - name: Follow
            GET: "{{api}}/tasks/{{taskId}}"
        finally:
          - name: Cleanup
            DELETE: "{{api}}/tasks/{{taskId}}/{{eventId}}"
          - name: Cleanup more
            DELETE: "{{api}}/x/{{cleanupId}}"
            capture: { cleanupId: id }
        """

    @Test func reportsEachUndefinedUseWithItsRequest() throws {
        let found = try check(Self.scenario)
        #expect(
            found == [
                "r.yaml:4:5: request 'Create' uses '{{eventName}}' in a header, but no variable, --var or earlier capture defines it",
                "r.yaml:4:5: request 'Create' uses '{{count}}' in the body, but no variable, --var or earlier capture defines it",
                "r.yaml:9:5: request 'Read' uses '{{qry}}' in the query, but no variable, --var or earlier capture defines it",
                "r.yaml:12:5: request 'Early' uses '{{taskId}}' in the URL, but no variable, --var or earlier capture defines it",
                "r.yaml:22:5: request 'Cleanup more' uses '{{cleanupId}}' in the URL, but no variable, --var or earlier capture defines it",
            ])
    }

    /// A typo in a `when:` name would skip the request for ever and pass the run.
    @Test func namesTestedByWhenMustBeDefined() throws {
        let yaml = """
            requests:
              - GET: "{{baseUrl}}/cameras"
                capture: { ptzCameraId: { path: "$.array[0].id", optional: true } }
              - GET: "{{baseUrl}}/ptz"
                when: { ptzCamraId: { exists: true } }
              - GET: "{{baseUrl}}/ok"
                when: { ptzCameraId: { exists: true }, region: eu }
            """
        #expect(
            try check(yaml, known: ["baseUrl", "region"]) == [
                "r.yaml:5:13: request 'GET {{baseUrl}}/ptz' tests 'ptzCamraId' in when:, but no variable, --var or earlier capture defines it (the request would always be skipped) (did you mean 'ptzCameraId'?)"
            ])
        #expect(try check(yaml, known: ["baseUrl", "region", "ptzCamraId"]).isEmpty)
    }

    @Test func knownNamesFromTheCallerCount() throws {
        let found = try check(Self.scenario, known: ["baseUrl", "eventName", "count", "qry"])
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.contains("'Early'") || $0.contains("'Cleanup more'") })
    }

    @Test func earlierCaptureIsFineUseBeforeCaptureIsNot() throws {
        let yaml = """
            requests:
              - name: Too early
                GET: "{{baseUrl}}/tasks/{{taskId}}"
              - name: Start
                POST: "{{baseUrl}}/tasks"
                capture: { taskId: result.id }
              - name: Poll
                GET: "{{baseUrl}}/tasks/{{taskId}}"
            """
        #expect(
            try check(yaml) == [
                "r.yaml:2:5: request 'Too early' uses '{{taskId}}' in the URL, but no variable, --var or earlier capture defines it"
            ])
    }

    @Test func aRequestCannotUseItsOwnCapture() throws {
        let yaml = "requests:\n  - name: Self\n    GET: \"{{baseUrl}}/{{id}}\"\n    capture: { id: result.id }\n"
        #expect(try check(yaml).count == 1)
    }

    @Test func finallySeesEveryCaptureEvenLaterOnes() throws {
        let yaml = """
            requests:
              - name: A
                POST: "{{baseUrl}}/a"
                capture: { aId: id }
              - name: B
                POST: "{{baseUrl}}/b"
                capture: { bId: { header: Location }, code: { status: true } }
            finally:
              - name: Delete
                DELETE: "{{baseUrl}}/a/{{aId}}/b/{{bId}}?c={{code}}"
            """
        #expect(try check(yaml).isEmpty)
    }

    @Test func everyBodyKindIsChecked() throws {
        let yaml = """
            requests:
              - name: Form
                POST: "{{baseUrl}}/f"
                form: { a: "{{formVar}}", flag: }
              - name: Text
                POST: "{{baseUrl}}/t"
                body: "x {{textVar}}"
              - name: File
                POST: "{{baseUrl}}/u"
                file: "data/{{fileVar}}.bin"
              - name: Json key
                POST: "{{baseUrl}}/j"
                json: { "{{keyVar}}": [1, { deep: "{{deepVar}}" }] }
            """
        let found = try check(yaml)
        #expect(found.count == 5)
        for name in ["formVar", "textVar", "fileVar", "keyVar", "deepVar"] {
            #expect(found.contains { $0.contains("'{{\(name)}}' in the body") }, "\(name)")
        }
    }

    @Test func hintsNameTheClosestKnownVariable() throws {
        let yaml = """
            requests:
              - name: Create
                POST: "{{baseUrl}}/events"
                capture: { eventId: result.id }
              - name: Read
                GET: "{{baseUrl}}/events/{{evntId}}"
            """
        #expect(
            try check(yaml) == [
                "r.yaml:5:5: request 'Read' uses '{{evntId}}' in the URL, but no variable, --var or earlier capture defines it (did you mean 'eventId'?)"
            ])
    }

    @Test func dynamicValuesAreNotVariables() throws {
        let yaml = "requests:\n  - POST: \"{{baseUrl}}/{{$uuid}}?t={{$timestamp}}&r={{$randomInt}}&i={{$isoTimestamp}}\"\n"
        #expect(try check(yaml).isEmpty)
    }

    @Test func variableDefinitionsReferringToNothingAreReported() throws {
        let yaml = "variables:\n  api: \"{{server}}/api\"\n  ok: \"{{api}}/x\"\nrequests:\n  - GET: \"{{ok}}\"\n"
        #expect(
            try check(yaml, known: []) == [
                "r.yaml:5:5: variable 'api' uses '{{server}}', which nothing defines"
            ])
    }

    @Test func dottedNamesAreAcceptedByTheirRoot() throws {
        let yaml = """
            requests:
              - name: Me
                GET: "{{baseUrl}}/me"
                capture: { user: result }
              - name: Use
                GET: "{{baseUrl}}/users/{{user.id}}"
            """
        #expect(try check(yaml).isEmpty)
    }

    /// Collection `defaults` headers and query are sent with every request; an undefined name there
    /// is as knowable before the run as one in a request's own headers.
    @Test func defaultHeadersAndQueryAreChecked() throws {
        let yaml = "defaults:\n  headers: { X-Tenant: \"{{tenant}}\" }\n  query: { lang: \"{{language}}\" }\nrequests:\n  - GET: \"{{baseUrl}}/x\"\n"
        let found = try check(yaml)
        #expect(found.count == 2)
        #expect(found.contains { $0.contains("'{{tenant}}'") })
        #expect(found.contains { $0.contains("'{{language}}'") })
    }

    /// An expected value that names a variable nothing defines fails every run; it is knowable at load time.
    @Test func expectationOperandsAreChecked() throws {
        let yaml = "requests:\n  - GET: \"{{baseUrl}}/x\"\n    expect:\n      body:\n        name: \"{{expectedNmae}}\"\n"
        let found = try check(yaml)
        #expect(found.count == 1)
        #expect(found.first?.contains("'{{expectedNmae}}'") == true)
    }

    /// A variable is evaluated on first use, so one built from a capture is fine when it is only used
    /// after that capture; `validate` must not reject such a collection.
    @Test func variableBuiltFromACaptureUsedAfterIt() throws {
        let yaml = """
            variables:
              taskUrl: "{{baseUrl}}/tasks/{{taskId}}"
            requests:
              - name: Start
                POST: "{{baseUrl}}/tasks"
                capture: { taskId: result.id }
              - name: Poll
                GET: "{{taskUrl}}"
            """
        #expect(try check(yaml).isEmpty)
    }

    @Test func aNameUsedByManyRequestsIsReportedOnceWithHowManyMore() throws {
        let yaml =
            "requests:\n" + (1...5).map { "  - name: R\($0)\n    GET: \"{{server}}/\($0)\"\n" }.joined()
            + "finally:\n  - name: F\n    GET: \"{{server}}/f\"\n"
        #expect(
            try check(yaml, known: []) == [
                "r.yaml:2:5: request 'R1' uses '{{server}}' in the URL, but no variable, --var or earlier capture defines it (and in 4 later requests)",
                "r.yaml:13:5: request 'F' uses '{{server}}' in the URL, but no variable, --var or earlier capture defines it",
            ])
        #expect(try check(yaml, known: ["server"]).isEmpty)
    }

    @Test func defaultsAreCheckedAtTheFirstRequest() throws {
        let yaml = """
            defaults:
              headers: { Authorization: "Bearer {{token}}" }
              query: { v: "{{version}}" }
            requests:
              - name: Sign in
                POST: "{{baseUrl}}/login"
                capture: { token: access_token }
              - name: Next
                GET: "{{baseUrl}}/x"
            """
        #expect(
            try check(yaml, known: ["baseUrl", "version"]) == [
                "r.yaml:5:5: request 'Sign in' uses '{{token}}' in a default header, but no variable, --var or earlier capture defines it"
            ])
        #expect(try check(yaml, known: ["baseUrl", "token"]).count == 1)
    }
}

@Suite("ReferenceCheck: captures that would move credentials")
struct CredentialShadowingTests {
    @Test func aCaptureNamedLikeAVariableTheAuthUsesIsAnError() throws {
        let c = try collection(
            """
            requests:
              - GET: "{{baseUrl}}/a"
                capture:
                  baseUrl: next
                  host: other.host
                  page: page
            """, file: "c.yaml")
        let env = try EnvironmentLoader.load(
            """
            name: e
            variables:
              idp: "https://{{host}}/IDP"
            auth:
              xprotect: { type: xprotect-basic, username: u, password: p, tokenUrl: "{{idp}}/connect/token" }
            """, file: "e.yaml", processEnvironment: [:])
        let errors = ReferenceCheck.credentialShadowing(in: c, environment: env).map(\.description)
        #expect(
            errors == [
                "c.yaml:4:7: capture 'baseUrl' would change where sign-in and credentials go (the environment's auth uses it); rename it",
                "c.yaml:5:7: capture 'host' would change where sign-in and credentials go (the environment's auth uses it); rename it",
            ])
    }

    @Test func aCaptureNamedLikeAnotherEnvironmentVariableIsAWarningUnlessMarked() throws {
        let c = try collection(
            """
            requests:
              - GET: "{{api}}/a"
                capture:
                  api: next
                  page: page
                  region: { path: region, override: true }
            """, file: "c.yaml")
        let env = try EnvironmentLoader.load(
            """
            name: e
            variables:
              api: "{{baseUrl}}/api"
              region: eu
            """, file: "e.yaml", processEnvironment: [:])
        let found = ReferenceCheck.credentialShadowing(in: c, environment: env)
        #expect(found.map(\.severity) == [.warning])
        #expect(
            found.map(\.description) == [
                "c.yaml:4:7: warning: capture 'api' replaces the environment's variable 'api' for the rest of the run; rename it, or add override: true if that is meant"
            ])
        // override: true does not make moving sign-in acceptable.
        let moving = try collection("requests:\n  - GET: x\n    capture: { baseUrl: { path: a, override: true } }\n", file: "m.yaml")
        #expect(ReferenceCheck.credentialShadowing(in: moving, environment: env).map(\.severity) == [.error])
    }
}
