import Testing
@testable import VigilCore

@Suite("DurationText")
struct DurationTextTests {
    @Test(arguments: [
        ("500ms", Int64(500)),
        ("0ms", 0),
        ("10s", 10_000),
        ("1.5s", 1_500),
        ("0.25s", 250),
        ("2m", 120_000),
        ("1.5m", 90_000),
        ("1h", 3_600_000),
        ("10", 10_000),
        ("0.5", 500),
        ("0", 0),
        (" 10s ", 10_000),
        ("1e3ms", 1_000),
        ("0.0004s", 0),
        ("0.0006s", 1),
    ])
    func parses(_ text: String, _ milliseconds: Int64) throws {
        let d = try #require(DurationText.parse(text))
        #expect(ms(d) == milliseconds)
    }

    @Test(arguments: ["", "abc", "-1s", "-5", "10 s", "s", "ms", "1d", "1S", "1mm", "5sec", "inf", "nan", "infs", "1.2.3s", "--1s"])
    func rejects(_ text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    /// A value too large for the millisecond count must be rejected, not trap: `timeout: 99999999999999999999`
    /// in a collection once crashed `vigil validate` (Double → Int64 conversion overflow).
    @Test(
        arguments: ["99999999999999999999", "1e300s", "1e17h", "9223372036854775807s"])
    func hugeValuesAreRejectedNotCrashing(_ text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test func largeButRepresentableValues() throws {
        #expect(ms(DurationText.parse("1000000h")) == 3_600_000_000_000)
    }
}
