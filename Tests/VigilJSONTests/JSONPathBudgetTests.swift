import Testing

@testable import VigilJSON

/// Queries written by others against documents sent by others end: nested descendant filters
/// stop at a budget of visited nodes with a clear error; existence tests stop at their first node.
@Suite struct JSONPathBudgetTests {
    /// 500 arrays nested in one another, an object with `x` at the bottom: `$..[?@..[?@..x]]`
    /// needs about 500³/6 = 20 million visits.
    static let nested: JSONValue = {
        var value = JSONValue.object(JSONObject([("x", .int(1))]))
        for _ in 0..<500 { value = .array([value]) }
        return value
    }()

    @Test func nestedDescendantFiltersStopAtTheBudget() throws {
        let query = try JSONPath("$..[?@..[?@..x]]")
        #expect(throws: JSONPathBudgetExceeded(query: "$..[?@..[?@..x]]", budget: 100_000)) {
            try query.select(Self.nested, budget: 100_000)
        }
        let message = "\(JSONPathBudgetExceeded(query: "$..[?@..x]", budget: 5))"
        #expect(message.hasPrefix("the JSONPath query $..[?@..x] gave up after visiting 5 nodes"))
    }

    @Test func ordinaryQueriesStayWellWithinTheDefaultBudget() throws {
        // 10,000 cameras: a filter and a descendant query, each far from the budget.
        let cameras = JSONValue.array(
            (0..<10_000).map { i in .object(JSONObject([("id", .int(Int64(i))), ("ptz", .bool(i % 2 == 0)), ("rel", .object(JSONObject([("id", .int(1))])))])) }
        )
        let doc = JSONValue.object(JSONObject([("array", cameras)]))
        #expect(try JSONPath("$.array[?@.ptz == true].id").select(doc, budget: JSONPath.defaultBudget).count == 5_000)
        #expect(try JSONPath("$..id").select(doc, budget: JSONPath.defaultBudget).count == 20_000)
        // The same within a budget just above what they need.
        #expect(try JSONPath("$..id").select(doc, budget: 20_002).count == 20_000)
    }

    @Test func anExistenceTestStopsAtItsFirstNode() throws {
        // Each element holds 1,000 matches for `@..x`: the test needs one per element.
        let element = JSONValue.array((0..<1_000).map { _ in .object(JSONObject([("x", .int(1))])) })
        let doc = JSONValue.array(Array(repeating: element, count: 100))
        let found = try JSONPath("$[?@..x]").select(doc, budget: 1_000)
        #expect(found.count == 100)
    }
}
