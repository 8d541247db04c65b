// libFuzzer target: CSV data files (`CSVReader`, hand-written, through `DataTable.csv`).
import VigilCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    _ = try? DataTable.csv(text, file: "fuzz.csv")
    return 0
}
