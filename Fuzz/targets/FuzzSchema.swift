// libFuzzer target: JSON Schema compilation and validation. The input, when it is JSON, is
// compiled as a schema (2020-12 and draft-07) and run against a few documents, and is
// validated as a document against recursive schemas, so neither a hostile schema nor a deep
// document may crash or hang (depth limits, regex translation, reference resolution).
import VigilJSON
import VigilSchema

let documents: [JSONValue] = [
    try! JSONValue(parsing: ##"{"a":[1,2.5,"x",{"b":null,"c":[true,false]}],"o":{"k":"v","n":-3},"s":"text"}"##),
    try! JSONValue(parsing: ##"[0.1, 1e308, -0, "2025-03-01T12:00:00Z", {"$ref": "#"}]"##), .null,
]
let recursive: [CompiledSchema] = [
    try! CompiledSchema(try! JSONValue(parsing: ##"{"items": {"$ref": "#"}, "additionalProperties": {"$ref": "#"}, "unevaluatedProperties": false}"##)),
    try! CompiledSchema(
        try! JSONValue(
            parsing:
                ##"{"$dynamicAnchor": "n", "anyOf": [{"type": "array", "items": {"$dynamicRef": "#n"}}, {"type": "object", "patternProperties": {"^[a-z]+$": {"$dynamicRef": "#n"}}}, {"multipleOf": 0.01}, {"type": "string", "pattern": "^\\w*$"}]}"##
        )),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSchema(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let value = try? JSONValue(parsing: UnsafeBufferPointer(start: data, count: size)) else { return 0 }
    for draft in [SchemaDraft.draft2020_12, .draft7] {
        guard let schema = try? CompiledSchema(value, options: SchemaOptions(draft: draft, assertFormats: true)) else { continue }
        for document in documents { _ = try? schema.validate(document) }
        _ = try? schema.validate(value)
    }
    for schema in recursive { _ = try? schema.validate(value) }
    return 0
}
