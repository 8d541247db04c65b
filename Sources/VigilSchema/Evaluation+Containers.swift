import VigilJSON

extension Evaluation {
    /// `value` is `array` as a JSON value, for messages.
    func validateArray(_ node: SchemaNode, _ array: [JSONValue], _ value: JSONValue, _ evaluated: inout Evaluated, collect: Bool) -> Bool {
        var valid = true
        if let min = node.minItems, array.count < min { valid = fail(node, "minItems", "must have at least \(min) items, has \(array.count)", value) }
        if let max = node.maxItems, array.count > max { valid = fail(node, "maxItems", "must have at most \(max) items, has \(array.count)", value) }
        if silent > 0 && !valid { return false }
        if node.uniqueItems, array.count > 1 {
            var seen = [JSONValue: Int](minimumCapacity: array.count)
            for (i, item) in array.enumerated() {
                if let first = seen.updateValue(i, forKey: item) {
                    valid = fail(node, "uniqueItems", "items \(first) and \(i) are equal", value)
                    break
                }
            }
            if silent > 0 && !valid { return false }
        }
        let prefix = min(node.prefixItems.count, array.count)
        for i in 0..<prefix where !validateChild(node.prefixItems[i], array[i], at: .index(i)) {
            if silent > 0 { return false }
            valid = false
        }
        if collect { evaluated.itemPrefix = max(evaluated.itemPrefix, prefix) }
        if let items = node.items, array.count > prefix {
            for i in prefix..<array.count where !validateChild(items, array[i], at: .index(i)) {
                if silent > 0 { return false }
                valid = false
            }
            if collect { evaluated.allItems = true }
        }
        if let contains = node.contains {
            var matches = 0
            let stopAt = collect || node.maxContains != nil ? Int.max : node.minContains
            for (i, item) in array.enumerated() where matches < stopAt {
                if reporting { path.append(.index(i)) }
                var ignored = Evaluated()
                if quietly(contains, item, &ignored, collect: false) {
                    matches += 1
                    if collect {
                        if evaluated.items == nil { evaluated.items = [] }
                        evaluated.items!.insert(i)
                    }
                }
                if reporting { path.removeLast() }
            }
            if matches < node.minContains {
                valid = fail(
                    node, node.minContains == 1 ? "contains" : "minContains", "must contain at least \(node.minContains) matching items, has \(matches)", value)
            }
            if let max = node.maxContains, matches > max {
                valid = fail(node, "maxContains", "must contain at most \(max) matching items, has \(matches)", value)
            }
        }
        return valid
    }

    /// `value` is `object` as a JSON value, for messages and `dependentSchemas`.
    func validateObject(_ node: SchemaNode, _ object: JSONObject, _ value: JSONValue, _ evaluated: inout Evaluated, collect: Bool) -> Bool {
        var valid = true
        if let min = node.minProperties, object.count < min {
            valid = fail(node, "minProperties", "must have at least \(min) properties, has \(object.count)", value)
        }
        if let max = node.maxProperties, object.count > max {
            valid = fail(node, "maxProperties", "must have at most \(max) properties, has \(object.count)", value)
        }
        // The quick pass checks `required` with the member loop below when it can.
        let requiredMask = silent > 0 ? node.requiredMask : nil
        if requiredMask == nil {
            for name in node.required where object[name] == nil {
                valid = fail(node, "required", "missing required property '\(name)'", value)
                if silent > 0 { return false }
            }
        }
        for (name, required) in node.dependentRequired where object[name] != nil {
            for other in required where object[other] == nil {
                valid = fail(node, "dependentRequired/\(JSONPointer.escape(name))", "property '\(other)' is required when '\(name)' is present", value)
                if silent > 0 { return false }
            }
        }
        if silent > 0 && !valid { return false }
        let applies = !node.properties.isEmpty || !node.patternProperties.isEmpty || node.additionalProperties != nil || node.propertyNames != nil
        var seen: UInt64 = 0
        if applies {
            let keys = object.keys
            let members = object.values
            let properties = node.properties
            let patternProperties = node.patternProperties
            for i in 0..<members.count {
                let name = keys[i]
                let member = members[i]
                var matched = false
                if let i = properties.index(of: name) {
                    matched = true
                    seen |= 1 << UInt64(i & 63)
                    if !validateChild(properties.nodes[i], member, at: .name(name)) {
                        if silent > 0 { return false }
                        valid = false
                    }
                }
                for (regex, schema) in patternProperties where regex.matches(name) {
                    matched = true
                    if !validateChild(schema, member, at: .name(name)) {
                        if silent > 0 { return false }
                        valid = false
                    }
                }
                if !matched, let additional = node.additionalProperties {
                    matched = true
                    if !validateChild(additional, member, at: .name(name)) {
                        if silent > 0 { return false }
                        valid = false
                    }
                }
                if collect && matched {
                    if evaluated.properties == nil { evaluated.properties = [] }
                    evaluated.properties!.insert(name)
                }
                if let names = node.propertyNames {
                    var ignored = Evaluated()
                    if !validate(names, .string(name), &ignored, collect: false) {
                        if silent > 0 { return false }
                        valid = false
                    }
                }
            }
        }
        if let requiredMask, seen & requiredMask != requiredMask { return false }
        for (name, schema) in node.dependentSchemas where object[name] != nil {
            var branch = Evaluated()
            if validate(schema, value, &branch, collect: collect) {
                evaluated.merge(branch)
            } else {
                if silent > 0 { return false }
                valid = false
            }
        }
        return valid
    }

    /// unevaluatedItems and unevaluatedProperties, after every other keyword of the node.
    func validateUnevaluated(_ node: SchemaNode, _ value: JSONValue, _ evaluated: inout Evaluated, collect: Bool) -> Bool {
        var valid = true
        if let schema = node.unevaluatedItems, case .array(let array) = value, !evaluated.allItems {
            for i in evaluated.itemPrefix..<max(evaluated.itemPrefix, array.count) where !evaluated.hasItem(i) {
                if !validateChild(schema, array[i], at: .index(i)) {
                    if silent > 0 { return false }
                    valid = false
                }
            }
            evaluated.allItems = true
        }
        if let schema = node.unevaluatedProperties, case .object(let object) = value, !evaluated.allProperties {
            for (name, member) in object where !evaluated.hasProperty(name) {
                if !validateChild(schema, member, at: .name(name)) {
                    if silent > 0 { return false }
                    valid = false
                }
            }
            evaluated.allProperties = true
        }
        return valid
    }
}
