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
