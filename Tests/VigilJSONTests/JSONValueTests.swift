import Testing
@testable import VigilJSON

@Suite struct JSONValueTests {
    @Test func numbersCompareByValueAcrossIntAndDouble() {
        #expect(JSONValue.int(1) == .double(1.0))
        #expect(JSONValue.double(-0.0) == .int(0))
        #expect(JSONValue.int(1) != .double(1.5))
        #expect(JSONValue.int(9_007_199_254_740_993) != .double(9_007_199_254_740_992))
        #expect(JSONValue.int(1) != .string("1"))
        #expect(JSONValue.bool(true) != .int(1))
        #expect(Set<JSONValue>([.int(1), .double(1.0), .double(2), .int(2)]).count == 2)
        #expect(JSONValue.int(3).hashValue == JSONValue.double(3).hashValue)
    }

    @Test func objectEqualityIgnoresOrderAndHashAgrees() throws {
        let a = try json(#"{"x":1,"y":[1,{"p":null,"q":true}]}"#)
        let b = try json(#"{"y":[1.0,{"q":true,"p":null}],"x":1}"#)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.serialized() != b.serialized())
        #expect(try json(#"{"x":1}"#) != json(#"{"x":1,"y":2}"#))
        #expect(try json(#"{"x":1,"y":2}"#) != json(#"{"x":1,"z":2}"#))
        #expect(try json("[1,2]") != json("[2,1]"))
    }

    @Test func stringsCompareByScalarsNotCanonicalEquivalence() {
        let composed = JSONValue.string("\u{E9}")
        let decomposed = JSONValue.string("e\u{301}")
        #expect(composed != decomposed)
        var object = JSONObject()
        object["\u{E9}"] = 1
        object["e\u{301}"] = 2
        #expect(object.count == 2)
        #expect(object["\u{E9}"] == .int(1))
    }

    @Test func accessors() throws {
        let v = try json(#"{"s":"x","i":5,"d":2.5,"di":4.0,"b":false,"a":[1,2,3],"o":{"k":null},"n":null}"#)
        #expect(v["s"]?.stringValue == "x")
        #expect(v["i"]?.intValue == 5)
        #expect(v["d"]?.intValue == nil)
        #expect(v["di"]?.intValue == 4)
        #expect(v["i"]?.doubleValue == 5.0)
        #expect(v["d"]?.doubleValue == 2.5)
        #expect(v["b"]?.boolValue == false)
        #expect(v["a"]?.arrayValue?.count == 3)
        #expect(v["o"]?.objectValue?.keys == ["k"])
        #expect(v["n"]?.isNull == true)
        #expect(v["s"]?.intValue == nil)
        #expect(v["missing"] == nil)
        #expect(v["a"]?[0] == .int(1))
        #expect(v["a"]?[-1] == .int(3))
        #expect(v["a"]?[-3] == .int(1))
        #expect(v["a"]?[-4] == nil)
        #expect(v["a"]?[3] == nil)
        #expect(v[0] == nil)
        #expect(v["a"]?["x"] == nil)
        #expect(["null", "boolean", "integer", "number", "string", "array", "object"] == [JSONValue.null, true, 1, 1.5, "s", [], [:]].map(\.typeName))
    }

    @Test func interpolationText() throws {
        #expect(JSONValue.string("plain \"text\"").interpolationText == "plain \"text\"")
        #expect(JSONValue.int(42).interpolationText == "42")
        #expect(JSONValue.double(2.0).interpolationText == "2.0")
        #expect(JSONValue.bool(true).interpolationText == "true")
        #expect(JSONValue.null.interpolationText == "null")
        #expect(try json(#"{"a":["x",1]}"#).interpolationText == #"{"a":["x",1]}"#)
    }

    @Test func literals() {
        let v: JSONValue = ["name": "cam", "ids": [1, 2.5, true, nil], "nested": ["k": "v"]]
        #expect(v.serialized() == #"{"name":"cam","ids":[1,2.5,true,null],"nested":{"k":"v"}}"#)
        let dup: JSONValue = ["a": 1, "b": 2, "a": 3]
        #expect(dup.serialized() == #"{"a":3,"b":2}"#)
    }

    @Test func objectMutation() {
        var o: JSONObject = ["a": 1, "b": 2]
        o["c"] = 3
        o["a"] = 10
        #expect(o.keys == ["a", "b", "c"])
        #expect(o["a"] == .int(10))
        o["b"] = nil
        #expect(o.keys == ["a", "c"])
        #expect(o.count == 2)
        #expect(!o.isEmpty)
        #expect(JSONObject().isEmpty)
        #expect(o.map(\.key) == ["a", "c"])
        #expect(o.map(\.value) == [10, 3])
        let pairs = JSONObject([("x", 1), ("y", 2), ("x", 3)])
        #expect(pairs.keys == ["x", "y"])
        #expect(pairs["x"] == .int(3))
    }

    @Test func bigObjectMutationKeepsIndexConsistent() {
        var o = JSONObject()
        for i in 0..<40 { o["k\(i)"] = .int(Int64(i)) }
        o["k3"] = nil
        o["k39"] = 99
        o["new"] = true
        #expect(o.count == 40)
        #expect(o["k3"] == nil)
        #expect(o["k4"] == .int(4))
        #expect(o["k39"] == .int(99))
        #expect(o.keys.last == "new")
        #expect(o.keys[3] == "k4")
    }
}
