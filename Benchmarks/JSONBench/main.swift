// Parses one JSON file with VigilJSON and with Foundation's JSONSerialization, several times
// each, and prints the median milliseconds of both: `vigil=… foundation=…`.
// Built by Benchmarks/run.sh with swiftc, together with Sources/VigilJSON as its own module.
import Foundation
import VigilJSON

let arguments = CommandLine.arguments
guard arguments.count >= 2, let data = FileManager.default.contents(atPath: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: jsonbench FILE [ROUNDS]\n".utf8))
    exit(2)
}
let rounds = arguments.count > 2 ? max(1, Int(arguments[2]) ?? 21) : 21
let bytes = [UInt8](data)

/// The median wall time of `rounds` calls of `body`, in milliseconds, after two warm-up calls.
func median(_ body: () throws -> Int) rethrows -> Double {
    var sink = 0
    for _ in 0..<2 { sink &+= try body() }
    var times: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<rounds {
        let start = clock.now
        sink &+= try body()
        let d = clock.now - start
        times.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
    }
    if sink == 42 { print("") }  // keeps the results alive
    return times.sorted()[times.count / 2]
}

do {
    let vigil = try median {
        guard case .object(let o) = try JSONValue(parsing: bytes) else { return 0 }
        return o.count
    }
    let foundation = try median {
        (try JSONSerialization.jsonObject(with: data) as? [String: Any])?.count ?? 0
    }
    print(String(format: "vigil=%.3f foundation=%.3f", vigil, foundation))
} catch {
    FileHandle.standardError.write(Data("jsonbench: \(error)\n".utf8))
    exit(1)
}
