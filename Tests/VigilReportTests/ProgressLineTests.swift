import Testing

@testable import VigilReport

/// The live progress line fits the terminal: the detail is cut first, then the name.
@Suite struct ProgressLineTests {
    @Test func theLineFitsTheWidthCuttingTheDetailFirst() {
        let prefix = "  ⋯ [3/12] "
        let wide = ProgressLine.fit(prefix: prefix, name: "Get a camera", detail: "GET http://h/api/rest/v1/cameras/1", width: 200)
        #expect(wide.name == "Get a camera" && wide.detail == "GET http://h/api/rest/v1/cameras/1")
        let narrow = ProgressLine.fit(prefix: prefix, name: "Get a camera", detail: "GET http://h/api/rest/v1/cameras/1", width: 40)
        #expect(narrow.name == "Get a camera")
        #expect(narrow.detail == "GET http://h/a…" && narrow.detail.count == 40 - prefix.count - "Get a camera".count - 2)
        #expect(prefix.count + narrow.name.count + 2 + narrow.detail.count == 40)
        // No room for a useful detail: the name alone.
        let tight = ProgressLine.fit(prefix: prefix, name: "Get a camera", detail: "GET x", width: 26)
        #expect(tight.detail.isEmpty && tight.name == "Get a camera")
        // A name longer than the room is cut too.
        let tiny = ProgressLine.fit(prefix: prefix, name: "Get every user-defined event", detail: "GET x", width: 20)
        #expect(tiny.name == "Get ever…" && tiny.detail.isEmpty && prefix.count + tiny.name.count == 20)
    }

    /// Wide characters take two columns: 40 CJK characters on a 50-column terminal are cut to
    /// the columns left, never wrapped onto a second row the next update could not clear.
    @Test func wideCharactersCountTwoColumns() {
        #expect(ProgressLine.columns("abc") == 3)
        #expect(ProgressLine.columns("カメラ") == 6)
        #expect(ProgressLine.columns("café") == 4)
        #expect(ProgressLine.columns("e\u{301}") == 1)
        #expect(ProgressLine.columns("📷 x") == 4)
        let prefix = "  ⋯ [1/1] "
        let name = String(repeating: "監", count: 40)
        let line = ProgressLine.fit(prefix: prefix, name: name, detail: "GET http://h/x", width: 49)
        #expect(line.detail.isEmpty)
        #expect(ProgressLine.columns(prefix) + ProgressLine.columns(line.name) <= 49)
        #expect(line.name.hasSuffix("…") && ProgressLine.columns(line.name) >= 49 - ProgressLine.columns(prefix) - 1)
        let detail = ProgressLine.fit(prefix: prefix, name: "Kamera", detail: String(repeating: "ü監", count: 30), width: 49)
        #expect(ProgressLine.columns(prefix) + 6 + 2 + ProgressLine.columns(detail.detail) <= 49)
    }
}
