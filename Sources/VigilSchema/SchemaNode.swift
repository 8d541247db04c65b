import VigilJSON

/// JSON types as a bit set, for `type`.
struct TypeSet: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    static let null = TypeSet(rawValue: 1)
    static let boolean = TypeSet(rawValue: 2)
    static let integer = TypeSet(rawValue: 4)
    static let number = TypeSet(rawValue: 8)
    static let string = TypeSet(rawValue: 16)
    static let array = TypeSet(rawValue: 32)
    static let object = TypeSet(rawValue: 64)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init?(name: String) {
        switch name {
        case "null": self = .null
        case "boolean": self = .boolean
        case "integer": self = .integer
        case "number": self = .number
        case "string": self = .string
        case "array": self = .array
        case "object": self = .object
        default: return nil
        }
    }

    /// Whether `value` has one of these types (an integral double is an integer).
    func admits(_ value: JSONValue) -> Bool {
        switch value {
        case .null: contains(.null)
        case .bool: contains(.boolean)
        case .int: contains(.integer) || contains(.number)
        case .double(let d): contains(.number) || (contains(.integer) && d.isFinite && d.rounded(.towardZero) == d)
        case .string: contains(.string)
        case .array: contains(.array)
        case .object: contains(.object)
        }
    }

    var names: String {
        let all: [(TypeSet, String)] = [
            (.null, "null"), (.boolean, "boolean"), (.integer, "integer"), (.number, "number"), (.string, "string"), (.array, "array"),
            (.object, "object"),
        ]
        return all.filter { contains($0.0) }.map(\.1).joined(separator: " or ")
    }
}

/// A reference keyword, resolved after compilation to a node of the program.
struct SchemaReference: Sendable {
    var uri: String
    var target: Int = -1
    /// For a `$dynamicRef` whose static target has a matching `$dynamicAnchor`: the anchor name.
    var dynamicAnchor: String?
}

/// One compiled schema (object or boolean). Written only while the program is compiled,
/// read-only afterwards, so its fields skip dynamic exclusivity checks (they cost more than
/// the validation itself).
final class SchemaNode: @unchecked Sendable {
    /// `true` / `false` for boolean schemas.
    @exclusivity(unchecked) var boolean: Bool?
    let pointer: String
    let document: Int
    let resource: Int
    /// `$dynamicAnchor` declared here.
    @exclusivity(unchecked) var dynamicAnchorName: String?

    @exclusivity(unchecked) var ref: SchemaReference?
    /// Node indices of `ref` and `dynamicRef` targets once resolved (-1: none), read on every step.
    @exclusivity(unchecked) var refTarget = -1
    @exclusivity(unchecked) var dynamicRefTarget = -1
    /// The target of `ref` when `$ref` is the node's only keyword. Unowned: the program's node
    /// list keeps every node alive, and a reference may point back up the tree.
    @exclusivity(unchecked) unowned(unsafe) var referenceOnly: SchemaNode?
    @exclusivity(unchecked) var dynamicRef: SchemaReference?

    @exclusivity(unchecked) var types: TypeSet?
    @exclusivity(unchecked) var enumValues: [JSONValue]?
    @exclusivity(unchecked) var constValue: JSONValue?

    @exclusivity(unchecked) var multipleOf: DecimalNumber?
    @exclusivity(unchecked) var multipleOfValue: JSONValue?
    /// `multipleOf` as `modulus / scale` in integers, when both fit: an integer `i` is a multiple
    /// when `i × scale` is divisible by `modulus` (no decimal arithmetic for the usual case).
    @exclusivity(unchecked) var multipleOfRatio: (modulus: Int64, scale: Int64)?
    @exclusivity(unchecked) var minimum: JSONValue?
    @exclusivity(unchecked) var maximum: JSONValue?
    @exclusivity(unchecked) var exclusiveMinimum: JSONValue?
    @exclusivity(unchecked) var exclusiveMaximum: JSONValue?

    @exclusivity(unchecked) var minLength: Int?
    @exclusivity(unchecked) var maxLength: Int?
    @exclusivity(unchecked) var pattern: ECMARegex?
    @exclusivity(unchecked) var format: String?

    @exclusivity(unchecked) var prefixItems: [SchemaNode] = []
    @exclusivity(unchecked) var items: SchemaNode?
    /// Keyword name `items` was read from (`items` or draft-07's `additionalItems`).
    @exclusivity(unchecked) var itemsKeyword = "items"
    @exclusivity(unchecked) var contains: SchemaNode?
    @exclusivity(unchecked) var minContains = 1
    @exclusivity(unchecked) var maxContains: Int?
    @exclusivity(unchecked) var minItems: Int?
    @exclusivity(unchecked) var maxItems: Int?
    @exclusivity(unchecked) var uniqueItems = false
    @exclusivity(unchecked) var unevaluatedItems: SchemaNode?

    @exclusivity(unchecked) var properties = PropertyTable()
    /// When every `required` name is also under `properties` (at most 64 of them): their
    /// positions there as bits, so the quick pass checks `required` while it visits members.
    @exclusivity(unchecked) var requiredMask: UInt64?
    @exclusivity(unchecked) var patternProperties: [(regex: ECMARegex, node: SchemaNode)] = []
    @exclusivity(unchecked) var additionalProperties: SchemaNode?
    @exclusivity(unchecked) var propertyNames: SchemaNode?
    @exclusivity(unchecked) var unevaluatedProperties: SchemaNode?
    @exclusivity(unchecked) var minProperties: Int?
    @exclusivity(unchecked) var maxProperties: Int?
    @exclusivity(unchecked) var required: [String] = []
    @exclusivity(unchecked) var dependentRequired: [(name: String, required: [String])] = []
    @exclusivity(unchecked) var dependentSchemas: [(name: String, node: SchemaNode)] = []

    @exclusivity(unchecked) var allOf: [SchemaNode] = []
    @exclusivity(unchecked) var anyOf: [SchemaNode] = []
    @exclusivity(unchecked) var oneOf: [SchemaNode] = []
    @exclusivity(unchecked) var not: SchemaNode?
    @exclusivity(unchecked) var ifNode: SchemaNode?
    @exclusivity(unchecked) var thenNode: SchemaNode?
    @exclusivity(unchecked) var elseNode: SchemaNode?

    /// Any array or object keyword is present (skips those sections quickly otherwise).
    @exclusivity(unchecked) var hasArrayKeywords = false
    @exclusivity(unchecked) var hasObjectKeywords = false
    /// Any type, enum, const, numeric, string or format keyword is present.
    @exclusivity(unchecked) var hasAssertions = false
    /// Any allOf, anyOf, oneOf, not or if is present.
    @exclusivity(unchecked) var hasApplicators = false

    init(pointer: String, document: Int, resource: Int) {
        self.pointer = pointer
        self.document = document
        self.resource = resource
    }

    var hasUnevaluated: Bool { unevaluatedItems != nil || unevaluatedProperties != nil }
}

/// A schema resource (a document root or a subschema with `$id`).
struct SchemaResource: Sendable {
    var uri: String
    var document: Int
    /// Pointer of the resource's root within its document.
    var pointer: String
    var root: Int
    var dynamicAnchors: [String: Int] = [:]
}

/// A loaded schema document.
struct SchemaDocument: Sendable {
    var uri: String
    var value: JSONValue
    var draft: SchemaDraft
}
