// JSON tree memory (issue 20 point 7): the peak resident memory of parsing a ~60 MB body that
// stays held (as a response keeps it), as a multiple of the body's size. Built by
// Benchmarks/json-memory.sh with swiftc -O. Shapes: `tiny` (five short members an object),
// `small` (five members with two longer strings, 128 bytes an object), `cameras` (XProtect's).
// `SHAPE --write FILE` writes the body to FILE instead (and prints its object count).
import Foundation
import VigilJSON

func residentMB() -> Double {
    let text = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
    let parts = text.split(separator: " ")
    return parts.count > 1 ? (Double(parts[1]) ?? 0) * 4096 / 1_048_576 : 0
}

func peakMB() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

func item(_ shape: String, _ i: Int) -> String {
    switch shape {
    case "tiny": return #"{"id":\#(i),"name":"item \#(i)","enabled":\#(i % 2 == 0),"value":\#(Double(i) / 4),"tags":"abc"}"#
    case "small":
        return
            #"{"id":"object-\#(String(i + 1_000_000))-a1b2c3d4e5f6","name":"A rather long object name \#(i + 100_000)","enabled":true,"count":\#(i),"kind":"camera"}"#
    default:
        return
            #"{"displayName":"Camera \#(i)","enabled":true,"id":"\#(String(i + 10_000_000))-de2b-415c-afe3-968f4b28cccd","name":"Camera \#(i)","ptzEnabled":false,"recordingFramerate":5,"recordOnRelatedDevices":true,"lastModified":"2025-06-11T08:00:00.0000000Z","relations":{"parent":{"type":"hardware","id":"\#(String(i + 10_000_000))-2c1b-4f0e-8d7a-6b5c4d3e2f10"},"self":{"type":"cameras","id":"\#(String(i + 10_000_000))-de2b-415c-afe3-968f4b28cccd"}}}"#
    }
}

let shape = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "tiny"
var body: [UInt8] = []
body.reserveCapacity(62_000_000)
body.append(UInt8(ascii: "["))
var count = 0
while body.count < 60_000_000 {
    if count > 0 { body.append(UInt8(ascii: ",")) }
    body.append(contentsOf: item(shape, count).utf8)
    count += 1
}
body.append(UInt8(ascii: "]"))
if CommandLine.arguments.count > 3, CommandLine.arguments[2] == "--write" {
    // The body only, for the `vigil run` row of json-memory.sh.
    _ = FileManager.default.createFile(atPath: CommandLine.arguments[3], contents: Data(body))
    print(count)
    exit(0)
}
let before = residentMB()
let start = ContinuousClock.now
let value = try JSONValue(parsing: body)
let elapsed = ContinuousClock.now - start
let tree = residentMB() - before
let mb = Double(body.count) / 1_048_576
print(
    "\(shape): \(count) objects, body \(String(format: "%.1f", mb)) MB; tree \(String(format: "%.0f", tree)) MB (\(Int(tree * 1_048_576 / Double(count))) bytes an object); "
        + "peak \(String(format: "%.0f", peakMB())) MB = \(String(format: "%.2f", peakMB() / mb))× the body; parse \(elapsed)")
if value.arrayValue?.count != count { print("wrong count") }
