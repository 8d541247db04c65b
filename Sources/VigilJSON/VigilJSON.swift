// VigilJSON — Vigil's own JSON value, parser, printer and RFC 9535 JSONPath.
//
// Why hand-written instead of Foundation:
// - `JSONSerialization` / `JSONDecoder` lose object key order (Vigil prints and
//   diffs responses in document order), and they do not keep integers apart from
//   doubles (`1` and `1.0` both become `NSNumber`/`Double`), which assertions need.
// - They are slow on Linux: about 120 ms (`JSONSerialization`) and 370 ms
//   (`JSONDecoder`) for a 1 MB document. This parser works directly on UTF-8
//   bytes; on a 1 MB XProtect-like document (release build, loaded 2-core VM) it
//   took 7–12 ms against 54–66 ms for `JSONSerialization.jsonObject`.
// - No library in the allowed dependency list implements RFC 9535 JSONPath
//   (filters, functions, I-Regexp, normalized paths).
//
// Only the Swift standard library is used, except Foundation's
// `NSRegularExpression` for the I-Regexp (RFC 9485) `match()` / `search()` functions.
