import Testing
@testable import VigilJSON

@Suite struct JSONParserTests {
    @Test func parsesScalars() throws {
        #expect(try json("null") == .null)
        #expect(try json("true") == .bool(true))
        #expect(try json(" false ") == .bool(false))
        #expect(try json("\"hi\"") == .string("hi"))
        #expect(try json("0").typeName == "integer")
        #expect(try json("-12") == .int(-12))
    }

    @Test func keepsIntegersApartFromDoubles() throws {
        guard case .int(7) = try json("7") else { Issue.record("7 should be .int"); return }
        guard case .double(7.0) = try json("7.0") else { Issue.record("7.0 should be .double"); return }
        guard case .double(700) = try json("7e2") else { Issue.record("7e2 should be .double"); return }
        #expect(try json("7.0").typeName == "number")
        #expect(try json("7").typeName == "integer")
    }

    @Test func bigNumbers() throws {
        #expect(try json("9223372036854775807") == .int(Int64.max))
        guard case .int(Int64.min) = try json("-9223372036854775808") else {
            Issue.record("Int64.min should stay an integer"); return
        }
        guard case .double(let d) = try json("9223372036854775808") else {
            Issue.record("2^63 should become a double"); return
        }
        #expect(d == 9_223_372_036_854_775_808.0)
        guard case .double(let big) = try json("123456789012345678901234567890") else {
            Issue.record("huge integer should become a double"); return
        }
        #expect(big == 1.2345678901234568e29)
        #expect(try json("1.7976931348623157e308") == .double(.greatestFiniteMagnitude))
        #expect(try json("5e-324") == .double(.leastNonzeroMagnitude))
        #expect(try json("0.1") == .double(0.1))
        #expect(try json("-0.000123") == .double(-0.000123))
        #expect(try json("1E+2") == .double(100))
        #expect(try json("123.456e-2") == .double(1.23456))
        #expect(try json("3.141592653589793238462643383279") == .double(3.141592653589793))
        #expect(parseError("1e400")?.message == "number is too large")
    }

    @Test func keepsKeyOrder() throws {
        let value = try json(#"{"zeta":1,"alpha":2,"mid":{"y":1,"x":2}}"#)
        #expect(value.objectValue?.keys == ["zeta", "alpha", "mid"])
        #expect(value["mid"]?.objectValue?.keys == ["y", "x"])
        #expect(value.serialized() == #"{"zeta":1,"alpha":2,"mid":{"y":1,"x":2}}"#)
    }

    @Test func duplicateKeysLastWinsAtFirstPosition() throws {
        let value = try json(#"{"a":1,"b":2,"a":3}"#)
        #expect(value.objectValue?.keys == ["a", "b"])
        #expect(value["a"] == .int(3))
        #expect(value.serialized() == #"{"a":3,"b":2}"#)
    }

    @Test func bigObjectsUseIndexAndKeepOrder() throws {
        let members = (0..<100).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let value = try json("{\(members),\"k5\":-5}")
        let object = try #require(value.objectValue)
        #expect(object.count == 100)
        #expect(object.keys.first == "k0")
        #expect(object.keys.last == "k99")
        #expect(object["k5"] == .int(-5))
        #expect(object["k77"] == .int(77))
        #expect(object["nope"] == nil)
    }

    @Test func roundTrips() throws {
        let samples = [
            #"{"a":[1,2.5,-3.0,"x",true,false,null],"b":{},"c":[],"d":{"e":[{}]}}"#,
            #"["\"\\\/\b\f\n\r\t","\u0001","é😀",""]"#,
            #"[1.0e-7,123456789012,-0.0,1e+300]"#,
        ]
        for sample in samples {
            let value = try json(sample)
            let compact = value.serialized()
            #expect(try json(compact) == value)
            #expect(try json(value.serialized(pretty: true)) == value)
            #expect(try json(compact).serialized() == compact)
        }
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try json(#""a\"b\\c\/d\be\ff\ng\rh\ti""#) == .string("a\"b\\c/d\u{8}e\u{C}f\ng\rh\ti"))
        #expect(try json(#""\u00e9\u00C9""#) == .string("éÉ"))
        #expect(try json(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try json(#""x\uD834\uDD1Ey""#) == .string("x𝄞y"))
        #expect(try json("\"é😀 raw\"") == .string("é😀 raw"))
    }

    @Test func acceptsAllInputForms() throws {
        let text = #"{"a":[1,"é"]}"#
        let expected = try json(text)
        #expect(try JSONValue(parsing: Array(text.utf8)) == expected)
        #expect(try JSONValue(parsing: Array(("xx" + text).utf8)[2...]) == expected)
        #expect(try JSONValue(parsing: text.utf8) == expected)
        #expect(try JSONValue(parsing: AnySequence(Array(text.utf8))) == expected)
    }

    @Test func depthLimit() throws {
        let limit = JSONValue.maximumNestingDepth
        let ok = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(parseError(ok) == nil)
        let deep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        let error = try #require(parseError(deep))
        #expect(error.message == "nesting deeper than 512 levels")
        #expect(error.column == limit + 1)
        // Far deeper input fails the same way instead of overflowing the stack.
        let huge = String(repeating: "{\"a\":", count: 100_000)
        #expect(parseError(huge)?.message == "nesting deeper than 512 levels")
    }
}
