import Testing
@testable import VigilJSON

@Suite struct JSONPrinterTests {
    @Test func compact() throws {
        let v: JSONValue = ["a": 1, "b": [true, nil]]
        #expect(v.serialized() == #"{"a":1,"b":[true,null]}"#)
        #expect(JSONValue.array([]).serialized() == "[]")
        #expect(JSONValue.object([:]).serialized() == "{}")
    }

    @Test func pretty() throws {
        let v = try json(#"{"b":1,"a":[true,{"x":null,"y":[]}],"e":{}}"#)
        let expected = """
            {
              "b": 1,
              "a": [
                true,
                {
                  "x": null,
                  "y": []
                }
              ],
              "e": {}
            }
            """
        #expect(v.serialized(pretty: true) == expected)
        #expect(JSONValue.int(3).serialized(pretty: true) == "3")
    }

    @Test func escapes() {
        let s = JSONValue.string("q\" b\\ n\n r\r t\t b\u{8} f\u{C} nul\u{0} us\u{1F} del\u{7F} é😀 / \u{2028}")
        #expect(s.serialized() == #""q\" b\\ n\n r\r t\t b\b f\f nul\u0000 us\u001f del"# + "\u{7F} é😀 / \u{2028}\"")
    }

    @Test(arguments: [
        (1.0, "1.0"), (-2.0, "-2.0"), (0.0, "0.0"), (-0.0, "-0.0"), (1.5, "1.5"), (0.1, "0.1"),
        (1e16, "10000000000000000.0"), (123456789012345680.0, "123456789012345680.0"),
        (1e20, "1e+20"), (1e-7, "1e-07"), (2.5e-5, "2.5e-05"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (Double.nan, "null"), (Double.infinity, "null"),
    ])
    func doubles(_ value: Double, _ text: String) throws {
        #expect(JSONValue.double(value).serialized() == text)
        if value.isFinite {
            #expect(try json(text) == .double(value))
        }
    }

    @Test func integers() {
        #expect(JSONValue.int(Int64.min).serialized() == "-9223372036854775808")
        #expect(JSONValue.int(0).serialized() == "0")
    }
}

/// The ASP.NET / IIS style the XProtect emulator answers in.
@Suite struct JSONStyleTests {
    @Test func aspNetSpacing() {
        let error: JSONValue = ["error": ["httpCode": 404, "details": [["errorText": "Unknown resource: recordings"]]]]
        #expect(
            error.serialized(.aspNet)
                == #"{  "error" : {  "httpCode" : 404,  "details" :  [ {  "errorText" : "Unknown resource: recordings" } ] } }"#)
        #expect(JSONValue.object(["array": []]).serialized(.aspNet) == #"{  "array" :  [  ] }"#)
        #expect(JSONValue.object([:]).serialized(.aspNet) == "{ }")
        #expect(JSONValue.array([1, "a", nil]).serialized(.aspNet) == #" [ 1, "a", null ]"#)
        #expect(JSONValue.object(["array": []]).serialized(.aspNetCompact) == #"{"array":[]}"#)
        #expect(JSONValue.object(["a": 1]).serializedBytes(.aspNet) == Array(#"{  "a" : 1 }"#.utf8))
    }

    @Test func aspNetNumbersAndEscapes() {
        let doubles: [(Double, String)] = [
            (5, "5"), (-0.0, "0"), (0.25, "0.25"), (-2.5, "-2.5"), (1e14, "100000000000000"), (1e15, "1000000000000000.0"), (1e16, "1e+16"),
            (1e-7, "1e-07"), (.nan, "null"),
        ]
        for (value, text) in doubles {
            #expect(JSONValue.double(value).serialized(.aspNetCompact) == text, "\(value)")
            #expect(JSONValue.double(value).serialized(.aspNet) == text, "\(value)")
        }
        #expect(JSONValue.string("b\u{8} f\u{C} n\n \u{1}").serialized(.aspNet) == #""b\u0008 f\u000c n\n \u0001""#)
        // The flags are independent of the layout.
        let pretty = JSONStyle(layout: .pretty, integralDoublesAsIntegers: true)
        #expect(JSONValue.array([.double(5)]).serialized(pretty) == "[\n  5\n]")
        #expect(JSONValue.string("\u{8}").serialized(.compact) == #""\b""#)
    }
}
