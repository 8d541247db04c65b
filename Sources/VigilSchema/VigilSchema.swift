// VigilSchema — JSON Schema validation on VigilJSON values.
//
// Written by hand: no Swift package in Vigil's allowed dependency list validates JSON Schema,
// so this module implements it on `JSONValue` directly and depends on VigilJSON only.
//
// Dialects: draft 2020-12 (core and validation vocabularies, with `$dynamicRef` and
// `unevaluatedItems`/`unevaluatedProperties`), draft-07 and OpenAPI 3.0 Schema Objects,
// chosen by `SchemaOptions.draft` or else by each document's `$schema` (an OpenAPI 3.0
// document, recognized by its `openapi: 3.0.x` member, selects OpenAPI 3.0).
//
// A schema is compiled once into a `CompiledSchema` (references resolved, regexes compiled)
// and reused; `SchemaCache` keeps one per file. Validation reports each violation with the
// instance's normalized path, the schema keyword's location and the offending value.
//
// Regexes (`pattern`, `patternProperties`, format `regex`) follow ECMA-262 as far as Swift's
// `Regex` allows. Plain patterns (anchors, literals, classes, greedy quantifiers) run on
// `SimplePattern`, a small matcher with ECMA-262 semantics; the rest on `Regex`, matching
// on Unicode scalars, `\d` `\w` `\b` are ASCII as in ECMA-262,
// `$` matches only at the end, `[^]` and `\uXXXX` (with surrogate pairs) are translated.
// Gaps: lookbehind (`(?<=` `(?<!`) is not supported by Swift's `Regex` and makes the schema
// invalid; `\s` uses Unicode White_Space (ECMA-262 also counts U+FEFF); Swift syntax that
// ECMA-262 rejects (possessive quantifiers, `\Q…\E`, `(?i)` flags) is accepted.
//
// Recursion is bounded: evaluation deeper than `SchemaOptions.maxDepth` (a self-referencing
// schema such as `{"$ref": "#"}`, or a very deep document) stops with
// `SchemaError.depthLimitExceeded` instead of overflowing the stack.

import VigilJSON

/// The JSON Schema dialect a schema is read in.
public enum SchemaDraft: String, Sendable, Hashable, CaseIterable {
    case draft2020_12 = "2020-12"
    case draft7 = "7"
    case openAPI30 = "openapi-3.0"

    /// The dialect a document declares: `$schema` (draft-07 or 2020-12 URIs) or an
    /// `openapi: 3.0.x` member; `nil` when it declares none that is known.
    public static func declared(by document: JSONValue) -> SchemaDraft? {
        if let openapi = document["openapi"]?.stringValue {
            return openapi.hasPrefix("3.0") ? .openAPI30 : .draft2020_12
        }
        guard let uri = document["$schema"]?.stringValue else { return nil }
        if uri.contains("draft-07") || uri.contains("draft-06") || uri.contains("draft-04") { return .draft7 }
        if uri.contains("2020-12") || uri.contains("2019-09") { return .draft2020_12 }
        return nil
    }
}

/// How schemas are compiled and instances validated.
public struct SchemaOptions: Sendable, Hashable {
    /// Forces a dialect for every document; `nil` reads each document's `$schema`
    /// (draft 2020-12 when absent).
    public var draft: SchemaDraft?
    /// Asserts `format` for date-time, date, time, uuid, email, ipv4, ipv6, uri and regex;
    /// otherwise `format` is an annotation only.
    public var assertFormats: Bool
    /// Deepest nesting of schema evaluation (each subschema or reference entered counts one).
    public var maxDepth: Int

    public init(draft: SchemaDraft? = nil, assertFormats: Bool = false, maxDepth: Int = 1000) {
        self.draft = draft
        self.assertFormats = assertFormats
        self.maxDepth = maxDepth
    }
}
