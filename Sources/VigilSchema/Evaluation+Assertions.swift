import VigilJSON

extension Evaluation {
    /// type, enum, const, numeric and string keywords, format.
    func validateAssertions(_ node: SchemaNode, _ value: JSONValue) -> Bool {
        var valid = true
        if let types = node.types, !types.admits(value) {
            valid = fail(node, "type", "expected \(types.names), found \(value.typeName)", value)
            if silent > 0 { return false }
        }
        if let values = node.enumValues, !values.contains(value) {
            valid = fail(node, "enum", "must be one of \(JSONValue.array(values).serialized().truncatedForMessage)", value)
            if silent > 0 { return false }
        }
        if let constant = node.constValue, constant != value {
            valid = fail(node, "const", "must equal \(constant.serialized().truncatedForMessage)", value)
            if silent > 0 { return false }
        }
        switch value {
        case .int, .double: if !validateNumber(node, value) { valid = false }
        case .string(let string): if !validateString(node, string.string, value) { valid = false }
        default: break
        }
        return valid
    }

    private func validateNumber(_ node: SchemaNode, _ value: JSONValue) -> Bool {
        var valid = true
        if let divisor = node.multipleOf, let divisorValue = node.multipleOfValue {
            let multiple: Bool
            if case .int(let i) = value, let (modulus, scale) = node.multipleOfRatio,
                case (let scaled, false) = i.multipliedReportingOverflow(by: scale)
            {
                multiple = scaled % modulus == 0
            } else if let decimal = DecimalNumber(value) {
                multiple = decimal.isMultiple(of: divisor)
            } else {
                multiple = false
            }
            if !multiple { valid = fail(node, "multipleOf", "must be a multiple of \(divisorValue.serialized())", value) }
        }
        if let bound = node.minimum, compareNumbers(value, bound) < 0 {
            valid = fail(node, "minimum", "must be at least \(bound.serialized())", value)
        }
        if let bound = node.maximum, compareNumbers(value, bound) > 0 {
            valid = fail(node, "maximum", "must be at most \(bound.serialized())", value)
        }
        if let bound = node.exclusiveMinimum, compareNumbers(value, bound) <= 0 {
            valid = fail(
                node, node.minimum == nil && program.documents[node.document].draft == .openAPI30 ? "minimum" : "exclusiveMinimum",
                "must be greater than \(bound.serialized())", value)
        }
        if let bound = node.exclusiveMaximum, compareNumbers(value, bound) >= 0 {
            valid = fail(
                node, node.maximum == nil && program.documents[node.document].draft == .openAPI30 ? "maximum" : "exclusiveMaximum",
                "must be less than \(bound.serialized())", value)
        }
        return valid
    }

    private func validateString(_ node: SchemaNode, _ string: String, _ value: JSONValue) -> Bool {
        var valid = true
        // Lengths count Unicode code points; the UTF-8 length (1 to 4 bytes a code point) often settles it.
        if let min = node.minLength, string.utf8.count / 4 < min {
            let length = string.unicodeScalars.count
            if length < min { valid = fail(node, "minLength", "must be at least \(min) characters long, is \(length)", value) }
        }
        if let max = node.maxLength, string.utf8.count > max {
            let length = string.unicodeScalars.count
            if length > max { valid = fail(node, "maxLength", "must be at most \(max) characters long, is \(length)", value) }
        }
        if let pattern = node.pattern {
            guard let matched = pattern.decides(string) else {
                aborted = .patternTooSlow(pattern: pattern.source, keywordLocation: node.pointer)
                return false
            }
            if !matched { valid = fail(node, "pattern", "must match the pattern \(pattern.source)", value) }
        }
        if assertFormats, let format = node.format, let check = Formats.check(format, string), !check {
            valid = fail(node, "format", "is not a valid \(format)", value)
        }
        return valid
    }
}

extension String {
    /// At most 80 characters, for messages.
    var truncatedForMessage: String {
        count > 80 ? String(prefix(77)) + "..." : self
    }
}
