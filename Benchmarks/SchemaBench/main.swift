// JSON Schema speed (issue 16): validating a ~1 MB camera list against its schema, with the
// parse time of the same document beside it as the baseline measured in the same run.
// Built by Benchmarks/schema.sh with swiftc -O, VigilJSON and VigilSchema as their own modules.
import Foundation
import VigilJSON
import VigilSchema

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

let schemaText = """
    {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "required": ["array"],
     "properties": {"array": {"type": "array", "items": {"$ref": "#/$defs/camera"}}},
     "$defs": {
       "uuid": {"type": "string", "format": "uuid", "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"},
       "relation": {"type": "object", "required": ["type", "id"], "additionalProperties": false,
         "properties": {"type": {"enum": ["hardware", "cameras", "sites"]}, "id": {"$ref": "#/$defs/uuid"}}},
       "camera": {"type": "object", "required": ["id", "name", "enabled"], "additionalProperties": false,
         "properties": {"displayName": {"type": "string", "maxLength": 256}, "enabled": {"type": "boolean"}, "id": {"$ref": "#/$defs/uuid"},
           "name": {"type": "string", "minLength": 1, "maxLength": 256}, "ptzEnabled": {"type": "boolean"},
           "recordingFramerate": {"type": "number", "exclusiveMinimum": 0, "maximum": 60, "multipleOf": 0.5},
           "relations": {"type": "object", "properties": {"parent": {"$ref": "#/$defs/relation"}, "self": {"$ref": "#/$defs/relation"}}}}}
     }}
    """
let megabyte = Array(("{\"array\":[" + (0..<3_000).map(camera).joined(separator: ",") + "]}").utf8)
let response = try! JSONValue(parsing: megabyte)
let schema = try! CompiledSchema(try! JSONValue(parsing: schemaText))
let noPattern = try! CompiledSchema(try! JSONValue(parsing: schemaText.replacingOccurrences(of: "\"pattern\"", with: "\"x-pattern\"")))
let formats = try! CompiledSchema(try! JSONValue(parsing: schemaText), options: SchemaOptions(assertFormats: true))
precondition(try! schema.validate(response).isValid)

let rows: [(String, Double)] = [
    ("parse \(megabyte.count / 1024) KB camera list, baseline", median { (try? JSONValue(parsing: megabyte)) == nil ? 0 : 1 }),
    ("validate it (uuid pattern on 9,000 ids)", median { (try? schema.validate(response))?.totalCount ?? 0 }),
    ("validate it without the pattern", median { (try? noPattern.validate(response))?.totalCount ?? 0 }),
    ("validate it, formats asserted", median { (try? formats.validate(response))?.totalCount ?? 0 }),
    ("compile the schema", median { (try? CompiledSchema(try! JSONValue(parsing: schemaText))) == nil ? 0 : 1 }),
]
for (name, ms) in rows {
    let padded = name + String(repeating: " ", count: max(1, 52 - name.count))
    print(padded + "\((ms * 100).rounded() / 100) ms")
}
