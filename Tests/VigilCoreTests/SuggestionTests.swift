import Testing
@testable import VigilCore

@Suite("Did-you-mean suggestions")
struct SuggestionTests {
    @Test(arguments: [
        ("expect", "expect", 0), ("expct", "expect", 1), ("exepct", "expect", 1), ("", "abc", 3), ("abc", "", 3),
        ("kitten", "sitting", 3), ("ab", "ba", 1), ("status", "stauts", 1),
    ])
    func editDistance(_ a: String, _ b: String, _ d: Int) {
        #expect(Suggestion.distance(a, b) == d)
        #expect(Suggestion.distance(b, a) == d)
    }

    @Test func closestIsCaseInsensitiveAndBounded() {
        let keys = ["name", "headers", "expect", "capture", "GET"]
        #expect(Suggestion.closest(to: "get", among: keys) == "GET")
        #expect(Suggestion.closest(to: "expct", among: keys) == "expect")
        #expect(Suggestion.closest(to: "header", among: keys) == "headers")
        #expect(Suggestion.closest(to: "zzzzzz", among: keys) == nil)
        #expect(Suggestion.closest(to: "x", among: [String]()) == nil)
        // Short candidates allow one edit only.
        #expect(Suggestion.closest(to: "ab", among: ["in"]) == nil)
        #expect(Suggestion.closest(to: "im", among: ["in"]) == "in")
    }

    @Test func hintText() {
        #expect(Suggestion.hint(for: "expct", among: ["expect"]) == " (did you mean 'expect'?)")
        #expect(Suggestion.hint(for: "zzz", among: ["expect"]) == "")
    }
}
