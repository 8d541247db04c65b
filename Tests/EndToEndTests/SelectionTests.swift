import Foundation
import Testing

/// Issue 14, point 5: which requests run, and what stops a run early.
@Suite struct SelectionTests {
    /// Two collections run in name order: the first fails, the second is fine.
    static let twoCollections: [String: String] = [
        "env.yaml": embeddedEnvironment(),
        "suite/a.yaml": """
        name: First
        auth: xprotect
        requests:
          - name: Fails
            GET: "{{api}}/sites"
            expect: { status: 404 }
        finally:
          - name: Cleans up
            GET: "{{api}}/sites"
        """,
        "suite/b.yaml": """
        name: Second
        auth: xprotect
        requests:
          - name: Would pass
            GET: "{{api}}/sites"
        finally:
          - name: Second cleanup
            GET: "{{api}}/sites"
        """,
    ]

    @Test func bailSkipsTheCollectionsAfterTheFirstFailureButRunsItsFinally() async throws {
        let dir = try scratch(Self.twoCollections)
        let r = try await vigil(["run", "suite", "-e", "env.yaml", "--bail"], in: dir)
        #expect(r.status == 1, "\(r.all)")
        #expect(r.stdout.contains("✗ Fails"), "\(r.stdout)")
        #expect(r.stdout.contains("✓ finally: Cleans up"), "\(r.stdout)")
        #expect(r.stdout.contains("– Would pass  skipped: --bail: collection 'First' failed"), "\(r.stdout)")
        #expect(r.stdout.contains("– finally: Second cleanup  skipped: --bail: collection 'First' failed"), "\(r.stdout)")
    }

    @Test func withoutBailTheNextCollectionStillRuns() async throws {
        let dir = try scratch(Self.twoCollections)
        let r = try await vigil(["run", "suite", "-e", "env.yaml"], in: dir)
        #expect(r.status == 1, "\(r.all)")
        #expect(r.stdout.contains("✓ Would pass"), "\(r.stdout)")
        #expect(r.stdout.contains("✓ finally: Second cleanup"), "\(r.stdout)")
    }
}

extension SelectionTests {
    @Test func continueOnFailureRunsLaterRequestsAndNamesTheMissingCapture() async throws {
        let dir = try scratch([
            "env.yaml": embeddedEnvironment(),
            "c.yaml": """
            name: Going on
            auth: xprotect
            continueOnFailure: true
            requests:
              - name: Missing event
                GET: "{{api}}/userDefinedEvents/00000000-0000-0000-0000-000000000000"
                capture: { eventId: data.id }
              - name: Read it
                GET: "{{api}}/userDefinedEvents/{{eventId}}"
              - name: Sites
                GET: "{{api}}/sites"
            """,
        ])
        let r = try await vigil(["run", "c.yaml", "-e", "env.yaml"], in: dir)
        #expect(r.status == 1, "\(r.all)")
        #expect(r.stdout.contains("– Read it  skipped: needs 'eventId', which 'Missing event' did not capture (it failed)"), "\(r.stdout)")
        #expect(r.stdout.contains("✓ Sites"), "\(r.stdout)")
    }
}

extension SelectionTests {
    static let tagged: [String: String] = [
        "env.yaml": embeddedEnvironment(),
        "c.yaml": """
        name: Tagged
        auth: xprotect
        tags: [api]
        requests:
          - name: Sites smoke
            GET: "{{api}}/sites"
            tags: [smoke]
          - name: Cameras slow
            GET: "{{api}}/cameras"
            tags: [smoke, slow]
          - name: Events
            GET: "{{api}}/userDefinedEvents"
        finally:
          - name: Cleanup
            GET: "{{api}}/sites"
        """,
    ]

    @Test func tagAndSkipTagSkipTheRestWithTheReasonAndFinallyRuns() async throws {
        let dir = try scratch(Self.tagged)
        let r = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--tag", "smoke", "--skip-tag", "slow"], in: dir)
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stdout.contains("✓ Sites smoke"), "\(r.stdout)")
        #expect(r.stdout.contains("– Cameras slow  skipped: tagged slow (--skip-tag slow)"), "\(r.stdout)")
        #expect(r.stdout.contains("– Events  skipped: not tagged smoke"), "\(r.stdout)")
        #expect(r.stdout.contains("✓ finally: Cleanup"), "\(r.stdout)")
        #expect(!r.stderr.contains("warning"), "\(r.stderr)")
    }

    @Test func aCollectionsTagsApplyToItsRequestsAndAnUnusedTagIsAWarning() async throws {
        let dir = try scratch(Self.tagged)
        let r = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--tag", "api", "--tag", "smok"], in: dir)
        #expect(r.status == 0, "\(r.all)")
        for name in ["Sites smoke", "Cameras slow", "Events"] { #expect(r.stdout.contains("✓ \(name)"), "\(r.stdout)") }
        #expect(r.stderr.contains("warning: --tag smok: no collection or request is tagged 'smok' (did you mean 'smoke'?)"), "\(r.stderr)")
    }

    @Test func filterSelectsByNameAndAnInvalidPatternIsAUsageError() async throws {
        let dir = try scratch(Self.tagged)
        let r = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--filter", "^(Sites|Events)"], in: dir)
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stdout.contains("✓ Sites smoke") && r.stdout.contains("✓ Events"), "\(r.stdout)")
        #expect(r.stdout.contains("– Cameras slow  skipped: name does not match --filter '^(Sites|Events)'"), "\(r.stdout)")
        let bad = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--filter", "(Sites"], in: dir)
        #expect(bad.status == 4, "\(bad.all)")
        #expect(bad.stderr.contains("'(Sites' is invalid for '--filter <regex>': not a valid regular expression: expected ')'"), "\(bad.stderr)")
    }

    /// A selection that leaves out every request would make a green run that tested nothing.
    @Test func aSelectionOfNothingIsAnErrorExceptInAShard() async throws {
        let dir = try scratch(Self.tagged)
        let r = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--filter", "nomatch"], in: dir)
        #expect(r.status == 2, "\(r.all)")
        #expect(r.stderr.contains("error: --filter 'nomatch' selects no request of the 1 collection: a run would test nothing"), "\(r.stderr)")
        #expect(!r.stdout.contains("passed"), "nothing runs: \(r.stdout)")
        let tagged = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--tag", "smoke", "--filter", "Events"], in: dir)
        #expect(tagged.status == 2, "\(tagged.all)")
        #expect(tagged.stderr.contains("error: --tag smoke --filter 'Events' selects no request"), "\(tagged.stderr)")
        // One shard of a suite may hold none of its tagged requests: the others test them.
        let shard = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--filter", "nomatch", "--shard", "1/1"], in: dir)
        #expect(shard.status == 0, "\(shard.all)")
        #expect(
            shard.stderr.contains("warning: --filter 'nomatch' selects no request of the 1 collection in shard 1/1: nothing to run here"), "\(shard.stderr)")
    }

    /// A selection whose every request is skipped (it needs a capture of a request the
    /// selection leaves out) tested nothing: not a green run.
    @Test func aSelectionWhoseRequestsAllSkipIsNotGreen() async throws {
        let dir = try scratch([
            "c.yaml": """
            name: Chain
            requests:
              - name: Create
                GET: "{{baseUrl}}/api/.well-known/uris"
                capture: { version: ProductVersion }
              - name: Check
                GET: "{{baseUrl}}/api/.well-known/uris?v={{version}}"
                expect: { status: 200 }
            """
        ])
        let r = try await vigil(["run", "c.yaml", "--filter", "Check"], in: dir)
        #expect(r.status == 2, "\(r.all)")
        #expect(r.stdout.contains("0 passed, 0 failed, 2 skipped"), "\(r.stdout)")
        #expect(r.stderr.contains("error: --filter 'Check' ran no request: every request it selects was skipped"), "\(r.stderr)")
        let both = try await vigil(["run", "c.yaml", "--filter", "Check|Create"], in: dir)
        #expect(both.status == 0, "\(both.all)")
    }

    @Test func listPrintsWhatWouldRunAndSendsNothing() async throws {
        // The environment points nowhere: a request sent would fail the run.
        let dir = try scratch(Self.tagged.merging(["env.yaml": "name: nowhere\nvariables:\n  api: http://127.0.0.1:9\n"]) { $1 })
        let r = try await vigil(["run", "c.yaml", "-e", "env.yaml", "--tag", "smoke", "--filter", "Sites", "--list"], in: dir)
        #expect(r.status == 0, "\(r.all)")
        #expect(
            r.stdout == """
                Tagged  (c.yaml)
                  Sites smoke
                  finally: Cleanup
                1 request would run in 1 collection, 2 left out by --tag, --skip-tag or --filter; finally requests always run

                """, "\(r.stdout)")
    }
}
