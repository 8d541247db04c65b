// libFuzzer target: the JSON parser (response bodies come from any server), and the printer on
// whatever parses.
import VigilJSON

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if let value = try? JSONValue(parsing: UnsafeBufferPointer(start: data, count: size)) {
        _ = value.serialized()
    }
    return 0
}
