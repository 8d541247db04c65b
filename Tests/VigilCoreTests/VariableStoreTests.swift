import Foundation
import Testing
@testable import VigilCore
import VigilJSON

@Suite("VariableStore")
struct VariableStoreTests {
    func text(_ s: String) throws -> TemplateTree {
        let t = try tpl(s)
        return t.isLiteral ? .value(.string(s)) : .template(t)
    }

    @Test func higherLayersWinDefinedLowToHigh() throws {
        let store = VariableStore()
        store.define("x", as: .value("collection"), in: .collection)
        #expect(try store.value(named: "x") == "collection")
        store.define("x", as: .value("environment"), in: .environment)
        #expect(try store.value(named: "x") == "environment")
        store.define("x", as: .value("row"), in: .dataRow)
        #expect(try store.value(named: "x") == "row")
        store.define("x", as: .value("cli"), in: .commandLine)
        #expect(try store.value(named: "x") == "cli")
        store.set("x", to: "captured")
        #expect(try store.value(named: "x") == "captured")
    }

    @Test func higherLayersWinDefinedHighToLow() throws {
        let store = VariableStore()
        store.set("x", to: "captured")
        store.define("x", as: .value("cli"), in: .commandLine)
        store.define("x", as: .value("environment"), in: .environment)
        store.define("x", as: .value("collection"), in: .collection)
        #expect(try store.value(named: "x") == "captured")

        let noCapture = VariableStore()
        noCapture.define("y", as: .value("cli"), in: .commandLine)
        noCapture.define("y", as: .value("environment"), in: .environment)
        noCapture.define("y", as: .value("collection"), in: .collection)
        #expect(try noCapture.value(named: "y") == "cli")
    }

    @Test(arguments: [
        ([VariableLayer.collection, .environment], VariableLayer.environment),
        ([.environment, .collection], .environment),
        ([.collection, .commandLine, .environment], .commandLine),
        ([.commandLine, .captured, .collection], .captured),
        ([.dataRow, .environment], .dataRow),
        ([.commandLine, .dataRow], .commandLine),
    ])
    func precedenceDoesNotDependOnOrder(_ layers: [VariableLayer], _ winner: VariableLayer) throws {
        let store = VariableStore()
        for layer in layers {
            store.define("v", as: .value(.string(layer.description)), in: layer)
        }
        #expect(try store.value(named: "v") == .string(winner.description))
    }

    @Test func layerOrderAndNames() {
        #expect(VariableLayer.collection < .environment)
        #expect(VariableLayer.environment < .dataRow)
        #expect(VariableLayer.dataRow < .commandLine)
        #expect(VariableLayer.commandLine < .captured)
        #expect(VariableLayer.commandLine.description == "--var")
        #expect(VariableLayer.captured.description == "captured")
    }

    @Test func sameLayerLaterDefinitionWins() throws {
        let store = VariableStore()
        store.define("x", as: .value(1), in: .environment)
        store.define("x", as: .value(2), in: .environment)
        #expect(try store.value(named: "x") == .int(2))
    }

    @Test func setInALowerLayerDoesNotOverrideACapture() throws {
        let store = VariableStore()
        store.set("baseUrl", to: "http://captured")
        store.set("baseUrl", to: "http://runner", in: .commandLine)
        #expect(try store.value(named: "baseUrl") == "http://captured")
    }

    @Test func aCaptureReplacesAnEvaluatedDefinition() throws {
        let store = VariableStore()
        store.define("id", as: .value(1), in: .collection)
        #expect(try store.value(named: "id") == .int(1))
        store.set("id", to: 99)
        #expect(try store.value(named: "id") == .int(99))
    }

    @Test func redefinitionInAHigherLayerDropsTheCachedValue() throws {
        let store = VariableStore()
        store.define("x", as: try text("from {{$uuid}}"), in: .collection)
        let first = try store.value(named: "x")
        store.define("x", as: .value("override"), in: .commandLine)
        #expect(first != "override")
        #expect(try store.value(named: "x") == "override")
    }

    @Test func definitionsAreEvaluatedOnce() throws {
        let store = VariableStore()
        store.define("id", as: try text("{{$uuid}}"), in: .collection)
        store.define("eventName", as: try text("Vigil event {{$uuid}}"), in: .collection)
        let a = try #require(try store.value(named: "id")?.stringValue)
        let b = try #require(try store.value(named: "id")?.stringValue)
        #expect(a == b)
        #expect(a.count == 36)
        #expect(UUID(uuidString: a) != nil)
        #expect(a == a.lowercased())
        let e1 = try store.value(named: "eventName")
        let e2 = try store.value(of: .variable("eventName"))
        #expect(e1 == e2)
        #expect(e1?.stringValue?.hasPrefix("Vigil event ") == true)
        // Through a template, too.
        let rendered1 = try tpl("{{eventName}}/{{id}}").render(store)
        let rendered2 = try tpl("{{eventName}}/{{id}}").render(store)
        #expect(rendered1 == rendered2)
    }

    @Test func eachDynamicPlaceholderIsFresh() throws {
        let store = VariableStore()
        let a = try store.value(of: .uuid)
        let b = try store.value(of: .uuid)
        #expect(a != b)
    }

    @Test func definitionsReferToOtherVariablesAndKeepTypes() throws {
        let store = VariableStore()
        store.define("api", as: try text("{{baseUrl}}/api/rest/v1"), in: .environment)
        store.set("baseUrl", to: "http://127.0.0.1:8080", in: .commandLine)
        store.define("count", as: .value(3), in: .collection)
        store.define("alias", as: try text("{{count}}"), in: .collection)
        store.define("body", as: .object([.init(key: Template(literal: "n"), value: try text("{{alias}}"))]), in: .collection)
        #expect(try store.value(named: "api") == "http://127.0.0.1:8080/api/rest/v1")
        #expect(try store.value(named: "alias") == .int(3))
        #expect(try store.value(named: "body") == ["n": 3])
    }

    @Test func cyclesAreReported() throws {
        let store = VariableStore()
        store.define("a", as: try text("{{b}}"), in: .collection)
        store.define("b", as: try text("x-{{a}}"), in: .collection)
        let error = try #require(unresolved { _ = try store.value(named: "a") })
        #expect(error.reason.contains("cycle"))
        #expect(error.placeholder == .variable("a"))
        // The failed evaluation leaves nothing behind: the same error again, not a hang or a stale value.
        let again = try #require(unresolved { _ = try store.value(named: "b") })
        #expect(again.reason.contains("cycle"))
        #expect(again.placeholder == .variable("b"))
    }

    @Test func selfReferenceIsACycle() throws {
        let store = VariableStore()
        store.define("me", as: try text("{{me}}!"), in: .environment)
        let error = try #require(unresolved { _ = try store.value(of: .variable("me")) })
        #expect(error.description == "'{{me}}' refers to itself (a cycle through its definition)")
    }

    @Test func undefinedNamesAreReported() throws {
        let store = VariableStore()
        #expect(try store.value(named: "nope") == nil)
        #expect(!store.isDefined("nope"))
        let error = try #require(unresolved { _ = try store.value(of: .variable("nope")) })
        #expect(error.placeholder == .variable("nope"))
        #expect(error.description == "'{{nope}}' is not defined (no variable, --var or earlier capture sets it)")
    }

    @Test func undefinedNameInsideADefinitionIsTheOneReported() throws {
        let store = VariableStore()
        store.define("url", as: try text("{{api}}/x"), in: .collection)
        #expect(store.isDefined("url"))
        let error = try #require(unresolved { _ = try store.value(named: "url") })
        #expect(error.placeholder == .variable("api"))
        // Defining it afterwards makes the same variable resolve.
        store.define("api", as: .value("http://h"), in: .environment)
        #expect(try store.value(named: "url") == "http://h/x")
    }

    @Test func envReadsOnlyTheSuppliedEnvironment() throws {
        let path = try #require(ProcessInfo.processInfo.environment["PATH"])
        #expect(!path.isEmpty)
        let store = VariableStore(processEnvironment: ["XPROTECT_PASSWORD": "s3cret"])
        #expect(try store.value(of: .env("XPROTECT_PASSWORD")) == "s3cret")
        let error = try #require(unresolved { _ = try store.value(of: .env("PATH")) })
        #expect(error.placeholder == .env("PATH"))
        #expect(error.reason == "reads environment variable PATH, which is not set")
        #expect(try tpl("pw={{$env.XPROTECT_PASSWORD}}").render(store) == "pw=s3cret")
    }

    @Test func timestampIsUnixSecondsNow() throws {
        let store = VariableStore()
        let before = Int64(Date().timeIntervalSince1970)
        let value = try store.value(of: .timestamp)
        let after = Int64(Date().timeIntervalSince1970)
        guard case .int(let t) = value else {
            Issue.record("$timestamp should be an integer, got \(value)")
            return
        }
        #expect((before...after).contains(t))
    }

    @Test func isoTimestampIsISO8601Now() throws {
        let store = VariableStore()
        let text = try #require(try store.value(of: .isoTimestamp).stringValue)
        let date = try #require(ISO8601DateFormatter().date(from: text))
        #expect(abs(date.timeIntervalSinceNow) < 5)
    }

    @Test func randomIntIsABoundedInteger() throws {
        let store = VariableStore()
        var seen = Set<Int64>()
        for _ in 0..<200 {
            let v = try store.value(of: .randomInt)
            let i = try #require(v.intValue)
            guard case .int = v else { Issue.record("not an integer: \(v)"); return }
            #expect((0...1000).contains(i))
            seen.insert(i)
        }
        #expect(seen.count > 1)
    }

    /// `ReferenceCheck` accepts `{{user.id}}` once `user` is captured (it checks the root name),
    /// so the store must resolve it too, or the check passes a collection that can never run.
    @Test func dottedNameReachesIntoACapturedObject() throws {
        let store = VariableStore()
        store.set("user", to: ["id": 7, "name": "ann"])
        #expect(try store.value(of: .variable("user.id")) == .int(7))
    }

    @Test func dottedNameThatIsItselfDefinedIsUsedAsIs() throws {
        let store = VariableStore()
        store.define("server.url", as: .value("http://h"), in: .environment)
        #expect(try store.value(of: .variable("server.url")) == "http://h")
    }
}
