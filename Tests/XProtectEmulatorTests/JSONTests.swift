import Testing

@testable import XProtectEmulator

@Suite struct JSONTests {
    @Test func serverStyleMatchesRealCaptures() {
        let error = Envelope.error(404, "Unknown resource: recordings")
        #expect(
            String(decoding: error.serialized(), as: UTF8.self)
                == #"{  "error" : {  "httpCode" : 404,  "details" :  [ {  "errorText" : "Unknown resource: recordings" } ] } }"#)
        #expect(String(decoding: Envelope.array([]).serialized(), as: UTF8.self) == #"{  "array" :  [  ] }"#)
        #expect(String(decoding: Envelope.array([]).serialized(.compact), as: UTF8.self) == #"{"array":[]}"#)
    }

    @Test func roundTripAndEscapes() throws {
        let text = #"{"a":[1,-2.5,true,false,null,"x\"y\\z\n\u00e9\ud83d\ude00"],"b":{"c":1e3}}"#
        let value = try JSON.parse(Array(text.utf8))
        #expect(value["a"] == .array([.int(1), .double(-2.5), .bool(true), .bool(false), .null, .string("x\"y\\z\né😀")]))
        #expect(value["b"]?["c"] == .double(1000))
        let again = try JSON.parse(value.serialized())
        #expect(again.serialized() == value.serialized())
        #expect(String(decoding: JSON.obj(["f": .double(5), "g": .double(0.25)]).serialized(.compact), as: UTF8.self) == #"{"f":5,"g":0.25}"#)
        #expect(String(decoding: JSON.string("\u{1}").serialized(), as: UTF8.self) == #""\u0001""#)
        for bad in ["", "{", "[1,]", #"{"a" 1}"#, "tru", "1 2", "\"\u{1}\"", "-"] {
            #expect(throws: JSONParseError.self, "\(bad)") { try JSON.parse(Array(bad.utf8)) }
        }
    }

    @Test func stringBooleansAndTimestamps() {
        let value: JSON = .obj(["a": .bool(true), "b": .array([.bool(false)]), "c": .int(1)])
        #expect(value.stringifyingBooleans() == .obj(["a": .string("True"), "b": .array([.string("False")]), "c": .int(1)]))
        #expect(JSON.string("TRUE").boolValue == true && JSON.string("false").boolValue == false && JSON.string("x").boolValue == nil)
        #expect(Timestamp.format(0) == "1970-01-01T00:00:00.0000000Z")
        #expect(Timestamp.format(1_761_577_432.807) == "2025-10-27T15:03:52.8070000Z")
    }
}
