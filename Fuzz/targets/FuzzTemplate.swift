// libFuzzer target: the template parser (`{{name}}`, `{{$uuid}}`, `\{{`, single braces …).
import VigilCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplate(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? Template.parse(text)
    return 0
}
