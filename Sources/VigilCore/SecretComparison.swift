import VigilJSON

/// A comparison that would use a secret of the user's environment (``Redactor/secretName(in:)``):
/// its outcome (a request run or skipped, a check passed or failed, a poll ended) would tell whoever
/// wrote the collection something about the secret, one guess at a time. It is refused, not evaluated.
public struct SecretComparison: Error, Sendable, Hashable, CustomStringConvertible {
    /// The secret's name as the redactor knows it (a variable, `$env.NAME`, `the password … of auth profile 'x'`).
    public var secret: String

    public init(secret: String) { self.secret = secret }

    public var description: String {
        "compares \(Self.phrase(secret)): a comparison's outcome would reveal it"
    }

    /// `the secret 'apiKey'`, `the value of $env.K`, or a name that already reads as a phrase.
    public static func phrase(_ name: String) -> String {
        name.hasPrefix("the ") ? name : name.hasPrefix("$env.") ? "the value of \(name)" : "the secret '\(name)'"
    }
}

extension Redactor {
    /// The name of the secret of the user's environment that comparing `subject` with `matcher`
    /// would use: held by the subject or by one of the matcher's operands, resolved. Nil when
    /// none (or when no secret of the user's is known). Operands that cannot be resolved are
    /// skipped: the comparison then fails on its own, saying so.
    ///
    /// Equality with values written literally in the collection (`displayName: admin`, `{ ne: x }`,
    /// `{ in: [a, b] }`, no placeholder) is allowed: it tells only whether the whole value is one
    /// the author already wrote, a guess of the whole secret, as much as a request refused for
    /// holding a secret tells. A prefix, a pattern, an order or a length tells a part of it.
    public func comparedSecret(_ matcher: Matcher, subject: JSONValue?, _ resolver: some PlaceholderResolver) -> String? {
        guard hasNamedSecrets, !matcher.isLiteralEquality else { return nil }
        if let subject, let name = secretName(inValue: subject) { return name }
        for text in matcher.operandTexts(resolver) {
            if let name = secretName(in: text) { return name }
        }
        return nil
    }

}

extension Matcher {
    /// The texts of every operand of the matcher (nested ones included), resolved; those that
    /// cannot be resolved are left out.
    public func operandTexts(_ r: some PlaceholderResolver) -> [String] {
        switch self {
        case .equals(let tree): return Self.text(tree, r)
        case .all(let operators): return operators.flatMap { $0.operandTexts(r) }
        case .byRelease(let cases, let fallback):
            return cases.flatMap { $0.matcher.operandTexts(r) } + (fallback?.operandTexts(r) ?? [])
        }
    }

    /// Whether the matcher only tests equality (`eq`, `ne`, `in`, a plain value) with values
    /// written without placeholders.
    public var isLiteralEquality: Bool {
        switch self {
        case .equals(let tree): return tree.placeholders.isEmpty
        case .all(let operators):
            return !operators.isEmpty
                && operators.allSatisfy { op in
                    switch op {
                    case .eq(let t), .ne(let t), .isIn(let t): return t.placeholders.isEmpty
                    default: return false
                    }
                }
        case .byRelease(let cases, let fallback):
            return cases.allSatisfy(\.matcher.isLiteralEquality) && (fallback?.isLiteralEquality ?? true)
        }
    }

    static func text(_ tree: TemplateTree, _ r: some PlaceholderResolver) -> [String] {
        guard let value = try? tree.resolve(r) else { return [] }
        if case .string(let s) = value { return [s.string] }
        return [value.serialized()]
    }
}

extension Matcher.Operator {
    func operandTexts(_ r: some PlaceholderResolver) -> [String] {
        switch self {
        case .eq(let t), .ne(let t), .gt(let t), .gte(let t), .lt(let t), .lte(let t), .isIn(let t), .contains(let t), .notContains(let t):
            return Matcher.text(t, r)
        case .matches(let t), .startsWith(let t), .endsWith(let t):
            return (try? t.render(r)).map { [$0] } ?? []
        case .length(let m), .not(let m):
            return m.operandTexts(r)
        case .exists, .empty, .type, .schema:
            return []
        }
    }
}

extension ReferenceCheck {
    /// `when:` conditions that test a variable the environment holds a secret in (listed in
    /// `secrets:`, set from `{{$env.…}}`, or an auth profile's password or client secret):
    /// errors before the run, at the name, since the run would refuse them anyway
    /// (``SecretComparison``). Comparisons whose secret comes in through a placeholder are
    /// found when the run resolves them.
    public static func secretComparisons(in collection: CollectionFile, environment: Environment) -> [Diagnostic] {
        var secret = Set(environment.secretVariables)
        for (name, tree) in environment.variables where tree.placeholders.contains(where: { if case .env = $0 { true } else { false } }) {
            secret.insert(name)
        }
        for profile in environment.auth.values {
            for t in profile.secretTemplates { for case .variable(let name) in t.placeholders.map(\.0) { secret.insert(rootName(name)) } }
        }
        guard !secret.isEmpty else { return [] }
        return collection.facts.uses.compactMap { use in
            guard use.tested, use.what != RequestFacts.whenEquality, secret.contains(rootName(use.name)) else { return nil }
            let more = use.more == 0 ? "" : use.more == 1 ? " (and in 1 later request)" : " (and in \(use.more) later requests)"
            return Diagnostic(
                file: use.origin?.file ?? collection.file, mark: use.mark,
                message:
                    "request '\(use.request)' compares \(SecretComparison.phrase(rootName(use.name))) in when: a comparison's outcome would reveal it, the run would refuse it\(more)",
                includedFrom: use.origin?.chain ?? [])
        }
    }
}
