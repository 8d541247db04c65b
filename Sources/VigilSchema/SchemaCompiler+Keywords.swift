import VigilJSON

extension SchemaCompiler {
    /// Keywords OpenAPI 3.0 Schema Objects support (others, such as `discriminator` and `example`, are ignored).
    static let openAPI30Keywords: Set<String> = [
        "$ref", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
        "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties", "required", "enum", "type", "allOf", "oneOf",
        "anyOf", "not", "items", "properties", "additionalProperties", "format", "nullable",
    ]

    /// Keywords draft 2020-12 has and draft-07 lacks.
    static let newerKeywords: Set<String> = [
        "$anchor", "$dynamicAnchor", "$dynamicRef", "prefixItems", "minContains", "maxContains", "unevaluatedItems",
        "unevaluatedProperties", "dependentRequired", "dependentSchemas",
    ]

    func readKeywords(_ object: JSONObject, into node: SchemaNode, index: Int, draft: SchemaDraft, depth: Int) throws(SchemaError) {
        let resourceURI = resources[node.resource].uri
        // draft-07 and OpenAPI 3.0: `$ref` replaces every keyword beside it.
        if draft != .draft2020_12, let ref = object["$ref"] {
            guard let uri = ref.stringValue else { throw .invalidSchema(location: location(node, "$ref"), message: "$ref must be a string") }
            node.ref = SchemaReference(uri: uri)
            pending.append(index)
            // Definitions beside it still hold schemas (and anchors) others refer to.
            if draft == .draft7, let definitions = object["definitions"] {
                try readKeyword("definitions", definitions, object: object, node: node, index: index, draft: draft, resourceURI: resourceURI, depth: depth)
            }
            return
        }
        for (keyword, value) in object {
            if draft == .openAPI30 && !Self.openAPI30Keywords.contains(keyword) { continue }
            if draft == .draft7 && Self.newerKeywords.contains(keyword) { continue }
            try readKeyword(keyword, value, object: object, node: node, index: index, draft: draft, resourceURI: resourceURI, depth: depth)
        }
        if !node.required.isEmpty, node.properties.count <= 64 {
            var mask: UInt64 = 0
            for name in node.required {
                guard let i = node.properties.index(of: name) else {
                    mask = 0
                    break
                }
                mask |= 1 << UInt64(i)
            }
            if mask != 0 { node.requiredMask = mask }
        }
        node.hasArrayKeywords =
            !node.prefixItems.isEmpty || node.items != nil || node.contains != nil || node.minItems != nil || node.maxItems != nil
            || node.uniqueItems || node.unevaluatedItems != nil
        node.hasObjectKeywords =
            !node.properties.isEmpty || !node.patternProperties.isEmpty || node.additionalProperties != nil || node.propertyNames != nil
            || node.unevaluatedProperties != nil || node.minProperties != nil || node.maxProperties != nil || !node.required.isEmpty
            || !node.dependentRequired.isEmpty || !node.dependentSchemas.isEmpty
        node.hasAssertions =
            node.types != nil || node.enumValues != nil || node.constValue != nil || node.multipleOf != nil || node.minimum != nil
            || node.maximum != nil || node.exclusiveMinimum != nil || node.exclusiveMaximum != nil || node.minLength != nil
            || node.maxLength != nil || node.pattern != nil || node.format != nil
        node.hasApplicators = !node.allOf.isEmpty || !node.anyOf.isEmpty || !node.oneOf.isEmpty || node.not != nil || node.ifNode != nil
    }

    private func readKeyword(
        _ keyword: String, _ value: JSONValue, object: JSONObject, node: SchemaNode, index: Int, draft: SchemaDraft, resourceURI: String,
        depth: Int
    ) throws(SchemaError) {
        let here = location(node, keyword)
        func schemas() throws(SchemaError) -> [SchemaNode] {
            guard case .array(let array) = value, !array.isEmpty else { throw .invalidSchema(location: here, message: "expected a non-empty array of schemas") }
            var result: [SchemaNode] = []
            for (i, element) in array.enumerated() { result.append(try child(element, of: node, keyword, String(i), depth: depth)) }
            return result
        }
        func schemaMap() throws(SchemaError) -> [(String, SchemaNode)] {
            guard case .object(let members) = value else { throw .invalidSchema(location: here, message: "expected an object of schemas") }
            var result: [(String, SchemaNode)] = []
            for (name, element) in members { result.append((name, try child(element, of: node, keyword, name, depth: depth))) }
            return result
        }
        func single() throws(SchemaError) -> SchemaNode { try child(value, of: node, keyword, depth: depth) }
        func count() throws(SchemaError) -> Int {
            guard let n = value.intValue, n >= 0 else { throw .invalidSchema(location: here, message: "expected a non-negative integer") }
            return Int(clamping: n)
        }
        func number() throws(SchemaError) -> JSONValue {
            guard value.doubleValue != nil else { throw .invalidSchema(location: here, message: "expected a number") }
            return value
        }
        func strings() throws(SchemaError) -> [String] {
            guard case .array(let array) = value else { throw .invalidSchema(location: here, message: "expected an array of strings") }
            var result: [String] = []
            for element in array {
                guard let s = element.stringValue else { throw .invalidSchema(location: here, message: "expected an array of strings") }
                result.append(s)
            }
            return result
        }
        func regex(_ source: String, _ at: String) throws(SchemaError) -> ECMARegex {
            do { return try ECMARegex(source) } catch { throw .invalidSchema(location: at, message: "invalid regular expression \"\(source)\": \(error)") }
        }

        switch keyword {
        case "$ref":
            guard let uri = value.stringValue else { throw .invalidSchema(location: here, message: "$ref must be a string") }
            node.ref = SchemaReference(uri: uri)
            if !pending.contains(index) { pending.append(index) }
        case "$dynamicRef":
            guard let uri = value.stringValue else { throw .invalidSchema(location: here, message: "$dynamicRef must be a string") }
            node.dynamicRef = SchemaReference(uri: uri)
            if !pending.contains(index) { pending.append(index) }
        case "$anchor", "$dynamicAnchor":
            guard let name = value.stringValue, Self.isAnchorName(name) else { throw .invalidSchema(location: here, message: "invalid anchor name") }
            anchors[resourceURI + "#" + name] = index
            if keyword == "$dynamicAnchor" {
                node.dynamicAnchorName = name
                if resources[node.resource].dynamicAnchors[name] == nil { resources[node.resource].dynamicAnchors[name] = index }
            }
        case "$defs":
            _ = try schemaMap()
        case "definitions" where draft == .draft7:
            _ = try schemaMap()
        case "type":
            var set = TypeSet()
            let names = value.arrayValue ?? [value]
            for name in names {
                guard let text = name.stringValue, let type = TypeSet(name: text) else { throw .invalidSchema(location: here, message: "unknown type") }
                set.insert(type)
            }
            if draft == .openAPI30, object["nullable"]?.boolValue == true { set.insert(.null) }
            node.types = set
        case "enum":
            guard case .array(let array) = value else { throw .invalidSchema(location: here, message: "enum must be an array") }
            node.enumValues = array
        case "const": node.constValue = value
        case "multipleOf":
            guard let decimal = DecimalNumber(value), decimal.isPositive else {
                throw .invalidSchema(location: here, message: "multipleOf must be a number greater than 0")
            }
            node.multipleOf = decimal
            node.multipleOfValue = value
            node.multipleOfRatio = decimal.integerRatio
        case "minimum":
            if draft == .openAPI30, object["exclusiveMinimum"]?.boolValue == true { node.exclusiveMinimum = try number() } else { node.minimum = try number() }
        case "maximum":
            if draft == .openAPI30, object["exclusiveMaximum"]?.boolValue == true { node.exclusiveMaximum = try number() } else { node.maximum = try number() }
        case "exclusiveMinimum", "exclusiveMaximum":
            if draft == .openAPI30, value.boolValue != nil { return }
            if keyword == "exclusiveMinimum" { node.exclusiveMinimum = try number() } else { node.exclusiveMaximum = try number() }
        case "minLength": node.minLength = try count()
        case "maxLength": node.maxLength = try count()
        case "pattern":
            guard let source = value.stringValue else { throw .invalidSchema(location: here, message: "pattern must be a string") }
            node.pattern = try regex(source, here)
        case "format":
            node.format = value.stringValue
        case "prefixItems": node.prefixItems = try schemas()
        case "items":
            if draft == .draft7, case .array = value {
                node.prefixItems = try schemas()
                if let additional = object["additionalItems"] {
                    node.items = try child(additional, of: node, "additionalItems", depth: depth)
                    node.itemsKeyword = "additionalItems"
                }
            } else {
                node.items = try single()
            }
        case "contains": node.contains = try single()
        case "minContains": node.minContains = try count()
        case "maxContains": node.maxContains = try count()
        case "minItems": node.minItems = try count()
        case "maxItems": node.maxItems = try count()
        case "uniqueItems": node.uniqueItems = value.boolValue ?? false
        case "unevaluatedItems": node.unevaluatedItems = try single()
        case "properties":
            for (name, schema) in try schemaMap() { node.properties.set(name, schema) }
        case "patternProperties":
            for (source, schema) in try schemaMap() { node.patternProperties.append((try regex(source, here + "/" + JSONPointer.escape(source)), schema)) }
        case "additionalProperties":
            // OpenAPI 3.0 allows only a schema or a boolean too; both read as a schema.
            node.additionalProperties = try single()
        case "propertyNames": node.propertyNames = try single()
        case "unevaluatedProperties": node.unevaluatedProperties = try single()
        case "minProperties": node.minProperties = try count()
        case "maxProperties": node.maxProperties = try count()
        case "required": node.required = try strings()
        case "dependentRequired":
            guard case .object(let members) = value else { throw .invalidSchema(location: here, message: "dependentRequired must be an object") }
            for (name, list) in members {
                guard let names = list.arrayValue?.compactMap(\.stringValue), names.count == list.arrayValue?.count else {
                    throw .invalidSchema(location: here + "/" + JSONPointer.escape(name), message: "expected an array of strings")
                }
                node.dependentRequired.append((name, names))
            }
        case "dependentSchemas":
            node.dependentSchemas += try schemaMap().map { (name: $0.0, node: $0.1) }
        case "dependencies" where draft == .draft7:
            guard case .object(let members) = value else { throw .invalidSchema(location: here, message: "dependencies must be an object") }
            for (name, dependency) in members {
                if case .array(let list) = dependency {
                    node.dependentRequired.append((name, list.compactMap(\.stringValue)))
                } else {
                    node.dependentSchemas.append((name, try child(dependency, of: node, keyword, name, depth: depth)))
                }
            }
        case "allOf": node.allOf = try schemas()
        case "anyOf": node.anyOf = try schemas()
        case "oneOf": node.oneOf = try schemas()
        case "not": node.not = try single()
        case "if": node.ifNode = try single()
        case "then": node.thenNode = try single()
        case "else": node.elseNode = try single()
        default: break
        }
    }

    /// `$anchor` names: a letter or `_`, then letters, digits, `-`, `_`, `.`.
    static func isAnchorName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || first == "_", first.isASCII else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) }
    }
}
