import Synchronization

/// Knows every secret value of a run and masks it in any text before it is written.
///
/// Secrets are added as they become known (passwords when an environment is loaded, tokens
/// when they are issued). Every output of Vigil goes through one `Redactor`.
public final class Redactor: Sendable {
    /// What a secret is replaced with.
    public static let mask = "••••"
    /// Header names whose values are always masked.
    public static let secretHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]

    private let secrets = Mutex<[String]>([])

    public init(secrets: [String] = []) {
        for s in secrets { add(s) }
    }

    /// Adds a secret value. Values shorter than 3 characters are not masked (they would
    /// mask every occurrence of common text) but are never printed by Vigil on purpose either.
    public func add(_ secret: String) {
        guard secret.count >= 3 else { return }
        secrets.withLock { list in
            guard !list.contains(secret) else { return }
            list.append(secret)
            // Longest first, so a secret containing another is masked whole.
            list.sort { $0.count > $1.count }
        }
    }

    /// `text` with every known secret replaced by the mask.
    public func redact(_ text: String) -> String {
        let list = secrets.withLock { $0 }
        var out = text
        for s in list where out.contains(s) {
            out = out.replacing(s, with: Self.mask)
        }
        return out
    }

    /// A header value for display: masked whole for secret header names, redacted otherwise.
    public func redactHeader(name: String, value: String) -> String {
        Self.secretHeaders.contains(name.lowercased()) ? Self.mask : redact(value)
    }
}
