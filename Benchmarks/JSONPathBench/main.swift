// JSONPath speed (issue 5): a filter over a 10,000-element camera list, and `$..id` over a
// ~1 MB response. Prints the median milliseconds of each, with the parse time of the same
// documents beside them as the baseline measured in the same run.
// Built by Benchmarks/jsonpath.sh with swiftc -O, VigilJSON as its own module.
import VigilJSON

func median(_ rounds: Int = 21, _ body: () -> Int) -> Double {
    var sink = 0
    for _ in 0..<2 { sink &+= body() }
    var times: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<rounds {
        let start = clock.now
        sink &+= body()
        let d = clock.now - start
        times.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
    }
    if sink == 42 { print("") }
    return times.sorted()[times.count / 2]
}

func camera(_ i: Int) -> String {
    let id = String(repeating: "0", count: 8 - String(i).count) + String(i)
    return
        #"{"displayName":"Camera \#(i)","enabled":true,"id":"\#(id)-de2b-415c-afe3-968f4b28cccd","name":"\#(i % 3 == 0 ? "PTZ" : "Fixed") camera \#(i)","ptzEnabled":\#(i % 3 == 0),"recordingFramerate":5,"relations":{"parent":{"type":"hardware","id":"\#(id)-2c1b-4f0e-8d7a-6b5c4d3e2f10"},"self":{"type":"cameras","id":"\#(id)-de2b-415c-afe3-968f4b28cccd"}}}"#
}

let big = Array(("{\"array\":[" + (0..<10_000).map(camera).joined(separator: ",") + "]}").utf8)
let megabyte = Array(("{\"array\":[" + (0..<3_000).map(camera).joined(separator: ",") + "]}").utf8)
let cameras = try! JSONValue(parsing: big)
let response = try! JSONValue(parsing: megabyte)
let filter = try! JSONPath("$.array[?@.ptzEnabled == true].id")
let match = try! JSONPath("$.array[?match(@.name, 'PTZ.*')].id")
let descendant = try! JSONPath("$..id")

let rows: [(String, Double)] = [
    ("parse 10,000 cameras (\(big.count / 1024) KB), baseline", median { (try? JSONValue(parsing: big)) == nil ? 0 : 1 }),
    ("$.array[?@.ptzEnabled == true].id over them", median { filter.select(cameras).count }),
    ("$.array[?match(@.name, 'PTZ.*')].id over them", median { match.select(cameras).count }),
    ("parse \(megabyte.count / 1024) KB response, baseline", median { (try? JSONValue(parsing: megabyte)) == nil ? 0 : 1 }),
    ("$..id over it", median { descendant.select(response).count }),
]
for (name, ms) in rows {
    let padded = name + String(repeating: " ", count: max(1, 52 - name.count))
    print(padded + "\((ms * 100).rounded() / 100) ms")
}
