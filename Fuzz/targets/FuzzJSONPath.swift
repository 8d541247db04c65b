// libFuzzer target: the RFC 9535 JSONPath parser (full and shorthand forms), and each query that
// parses run against a small document, so filters and slices get evaluated too.
import VigilJSON

let document = try! JSONValue(parsing: #"{"a":[1,2.5,"x",{"b":null,"c":[true,false]}],"o":{"k":"v","n":-3},"s":"text"}"#)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONPath(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let path = try? JSONPath(text) { _ = path.select(document) }
    if let path = try? JSONPath(shorthand: text) { _ = path.select(document) }
    return 0
}
