import Testing
@testable import VigilJSON

@Test func smoke() throws {
    let doc = try JSONValue(parsing: #"{"b":1,"a":[1.5,true,null,"x\u00e9\ud83d\ude00"],"c":{"d":-0}}"#)
    print(doc.serialized())
    print(doc.serialized(pretty: true))
    for q in ["$..*", "$.a[?@ > 1]", "$[?match(@, '[a-z]')]", "$.a[?search(@, '\\\\x')]", "$..[?length(@) > 0]"] {
        let p = try JSONPath(q)
        for n in p.select(doc) { print(q, n.path, n.value.serialized()) }
    }
    let r = try JSONValue(parsing: #"["abc","aXc","a\nc","ab","é"]"#)
    for q in ["$[?match(@, 'a.c')]", "$[?search(@, 'b')]", "$[?match(@, '\\\\p{L}')]", "$[?match(@, '[^b]+')]", "$[?match(@, 'a[A-Z]c|ab')]"] {
        print(q, try JSONPath(q).values(in: r).map(\.interpolationText))
    }
}
