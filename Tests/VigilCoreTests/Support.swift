import Testing
@testable import VigilCore
import VigilJSON
import VigilYAML

/// Parses a template that a test knows to be valid; a broken fixture fails the test.
func tpl(_ text: String) throws -> Template {
    try Template.parse(text)
}

/// The syntax error of `text`, or nil when it parses.
func templateError(_ text: String) -> TemplateSyntaxError? {
    do {
        _ = try Template.parse(text)
        return nil
    } catch {
        return error
    }
}

/// Resolves variables from a fixed table; dynamic values are not available.
struct TableResolver: PlaceholderResolver {
    var table: [String: JSONValue]

    init(_ table: [String: JSONValue] = [:]) {
        self.table = table
    }

    func value(of placeholder: Placeholder) throws(UnresolvedPlaceholder) -> JSONValue {
        guard case .variable(let name) = placeholder, let v = table[name] else {
            throw UnresolvedPlaceholder(placeholder)
        }
        return v
    }
}

/// The `UnresolvedPlaceholder` thrown by `body`, or nil when it succeeds (any other error fails the test).
func unresolved(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> UnresolvedPlaceholder? {
    do {
        try body()
        return nil
    } catch let error as UnresolvedPlaceholder {
        return error
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// A collection that a test expects to load.
func collection(_ yaml: String, file: String = "c.yaml") throws -> CollectionFile {
    do {
        return try CollectionLoader.load(yaml, file: file)
    } catch {
        Issue.record("unexpected load errors:\n\(error.description)")
        throw error
    }
}

/// The diagnostics (`FILE:LINE:COL: message`) of a collection that must not load.
func collectionErrors(_ yaml: String, file: String = "c.yaml", sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
    do {
        _ = try CollectionLoader.load(yaml, file: file)
        Issue.record("the collection loaded, but errors were expected", sourceLocation: sourceLocation)
        return []
    } catch {
        return error.diagnostics.map(\.description)
    }
}

/// An environment that a test expects to load.
func environment(_ yaml: String, file: String = "e.yaml", process: [String: String] = [:]) throws -> Environment {
    do {
        return try EnvironmentLoader.load(yaml, file: file, processEnvironment: process)
    } catch {
        Issue.record("unexpected load errors:\n\(error.description)")
        throw error
    }
}

/// The diagnostics of an environment that must not load.
func environmentErrors(
    _ yaml: String, file: String = "e.yaml", process: [String: String] = [:],
    sourceLocation: SourceLocation = #_sourceLocation
) -> [String] {
    do {
        _ = try EnvironmentLoader.load(yaml, file: file, processEnvironment: process)
        Issue.record("the environment loaded, but errors were expected", sourceLocation: sourceLocation)
        return []
    } catch {
        return error.diagnostics.map(\.description)
    }
}

/// Shorthand for a literal operand of a matcher.
func lit(_ v: JSONValue) -> TemplateTree { .value(v) }

/// `Duration` as whole milliseconds, for readable comparisons.
func ms(_ d: Duration?) -> Int64? {
    guard let d else { return nil }
    return d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
}
