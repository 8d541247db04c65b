import Hummingbird
import Testing
import VigilJSON

@testable import XProtectEmulator

/// The emulator's JSON: VigilJSON in the ASP.NET style, plus the string booleans of old releases.
@Suite struct JSONTests {
    @Test func serverStyleMatchesRealCaptures() {
        let error = Reply.error(404, "Unknown resource: recordings")
        #expect(
            String(buffer: error.body)
                == #"{  "error" : {  "httpCode" : 404,  "details" :  [ {  "errorText" : "Unknown resource: recordings" } ] } }"#)
        #expect(String(buffer: Reply.json(.ok, Envelope.array([])).body) == #"{  "array" :  [  ] }"#)
        #expect(String(buffer: Reply.json(.ok, Envelope.array([]), style: .aspNetCompact).body) == #"{"array":[]}"#)
        // The camera list as the real server spells it: integral doubles without `.0`.
        let camera = JSONValue.object(SeedData.cameras[0].json())
        #expect(String(decoding: camera.serializedBytes(.aspNet), as: UTF8.self).contains(#""recordingFramerate" : 5,"#))
        #expect(JSONValue.object(["f": .double(5), "g": .double(0.25)]).serialized(.aspNetCompact) == #"{"f":5,"g":0.25}"#)
        #expect(JSONValue.string("\u{1}").serialized(.aspNet) == #""\u0001""#)
    }

    @Test func requestBodies() throws {
        let body = #"{"Name":"x","NAME":"y","sessionDataId":2.0}"#
        let request = EmulatorRequest(method: .post, query: nil, headers: [:], authority: nil, body: ByteBuffer(string: body))
        let value = try #require(try request.jsonBody())
        #expect(value.member("name") == .string("x"))
        #expect(value.member("sessiondataid")?.integerValue == 2)
        for empty in ["", " \n", #""""#] {
            let request = EmulatorRequest(method: .post, query: nil, headers: [:], authority: nil, body: ByteBuffer(string: empty))
            #expect(try request.jsonBody() == nil, "\(empty)")
        }
        for bad in ["{", "[1,]", #"{"a" 1}"#, "tru", "1 2", "\"\u{1}\"", "-"] {
            let request = EmulatorRequest(method: .post, query: nil, headers: [:], authority: nil, body: ByteBuffer(string: bad))
            #expect(throws: JSONParseError.self, "\(bad)") { try request.jsonBody() }
        }
    }

    @Test func stringBooleansAndTimestamps() {
        let value: JSONValue = ["a": true, "b": [false], "c": 1]
        let stringified = value.stringifyingBooleans()
        #expect(stringified == ["a": "True", "b": ["False"], "c": 1])
        #expect(stringified.serialized(.aspNetCompact) == #"{"a":"True","b":["False"],"c":1}"#)
        #expect(JSONValue.string("TRUE").lenientBoolValue == true && JSONValue.string("false").lenientBoolValue == false)
        #expect(JSONValue.string("x").lenientBoolValue == nil && JSONValue.bool(true).lenientBoolValue == true)
        #expect(Timestamp.format(0) == "1970-01-01T00:00:00.0000000Z")
        #expect(Timestamp.format(1_761_577_432.807) == "2025-10-27T15:03:52.8070000Z")
    }
}
