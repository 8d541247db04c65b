// libFuzzer target: the YAML loader, then the collection and environment decoders on the same
// bytes. Any input must end in a value or a thrown error: never a crash, a trap or a hang.
import VigilCore
import VigilYAML

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var copy = bytes
    _ = try? YAMLLoader().load(bytes: &copy, file: "fuzz.yaml")
    copy = bytes
    _ = try? CollectionLoader.load(bytes: &copy, file: "fuzz.yaml")
    copy = bytes
    _ = try? EnvironmentLoader.load(bytes: &copy, file: "fuzz.yaml", processEnvironment: ["HOME": "/root"])
    return 0
}
