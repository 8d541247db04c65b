import Testing

@testable import VigilJSON

/// Which patterns are matched under the time budget, and that a match past it is told apart.
@Suite struct RegexBudgetTests {
    @Test(arguments: [
        "^(a+)+$", "(a|aa)*", #"(\d+\.)+\d+"#, "((ab)*c)+", #"(a)\1"#, #"(?<x>a)\k<x>"#, "(x+x+)+y", "(a*){2,}",
    ])
    func shapesThatCanBacktrackBadlyAreBounded(_ pattern: String) {
        #expect(RegexBudget.mayBacktrackBadly(pattern))
    }

    @Test(arguments: [
        "^a+$", #"^\d{4}-\d{2}$"#, "(abc)+", "(a|b)", "[(a+)+]", #"\(a+\)+"#, "^(?:ab)?c*$", "a+b+c+", "",
    ])
    func plainPatternsRunInline(_ pattern: String) {
        #expect(!RegexBudget.mayBacktrackBadly(pattern))
    }

    @Test func aQuickMatchIsReturnedAndASlowOneIsNot() throws {
        #expect(RegexBudget.run { 6 * 7 } == 42)
        let regex = try Regex("^(a+)+$")
        let text = String(repeating: "a", count: 40) + "!"
        let box = UncheckedBox(regex)
        #expect(RegexBudget.run { (try? box.value.wholeMatch(in: text)) != nil } == nil)
    }

    private struct UncheckedBox<T>: @unchecked Sendable {
        let value: T
        init(_ value: T) { self.value = value }
    }
}
