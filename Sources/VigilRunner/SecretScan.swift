#if canImport(Glibc)
    import Glibc
#endif
import VigilCore

/// Looks for secrets in a request as it is sent: its URL, its headers and its body (in memory,
/// or streamed: every in-memory piece and every file, read a chunk at a time), in every form the
/// ``Redactor`` knows, escapes decoded.
struct SecretScan {
    let redactor: Redactor

    /// Whether the body holds any known secret.
    func bodyHoldsSecret(_ request: PreparedRequest) -> Bool {
        guard redactor.longestForm > 0 else { return false }
        return bodyFind(request) { redactor.holdsSecret($0) ? true : nil } ?? false
    }

    /// The name of a secret of the user's environment the request holds (``Redactor/secretName(in:)``).
    func secretName(in request: PreparedRequest) -> String? {
        guard redactor.hasNamedSecrets else { return nil }
        if let name = redactor.secretName(in: request.url) { return name }
        for h in request.headers {
            if let name = redactor.secretName(in: h.value) { return name }
        }
        return bodyFind(request) { redactor.secretName(in: $0) }
    }

    /// The first answer of `check` for the body's text, looked at in overlapping windows.
    private func bodyFind<T>(_ request: PreparedRequest, _ check: (String) -> T?) -> T? {
        if let body = request.body { return check(String(decoding: body, as: UTF8.self)) }
        guard let streamed = request.streamedBody else { return nil }
        // A window is a chunk plus the end of the one before, so a form split by the chunk
        // boundary is still found (a form is at most `longestForm` bytes; escapes decoded are shorter).
        let overlap = max(redactor.longestForm * 6, 64)
        var carry: [UInt8] = []
        func look(_ bytes: [UInt8]) -> T? {
            let window = carry + bytes
            carry = Array(window.suffix(overlap))
            return check(String(decoding: window, as: UTF8.self))
        }
        for piece in streamed.pieces {
            switch piece {
            case .bytes(let b):
                if let hit = look(b) { return hit }
            case .file(let path, _):
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                // Unreadable now: sending it fails anyway, with its own message.
                guard fd >= 0 else { continue }
                defer { close(fd) }
                var chunk = [UInt8](repeating: 0, count: 256 << 10)
                while true {
                    let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    guard got > 0 else { break }
                    if let hit = look(Array(chunk[..<got])) { return hit }
                }
            }
        }
        return nil
    }
}

/// A request holding a secret of the user's environment, bound for an origin the environment
/// does not name: not sent (a shared collection must not carry the user's credentials away).
struct SecretToUnnamedOrigin: Error, CustomStringConvertible {
    var secret: String
    var origin: HTTPURL.Origin
    var named: [HTTPURL.Origin]

    var description: String {
        let names = named.isEmpty ? "it names none" : "it names \(named.map(\.description).sorted().joined(separator: ", "))"
        return
            "it holds \(secret.hasPrefix("the ") ? secret : secret.hasPrefix("$env.") ? "the value of \(secret)" : "the secret '\(secret)'") and would go to \(origin), which the environment does not name (\(names)); add it to the environment's secretOrigins: if it may go there"
    }
}

extension RequestExecution {
    /// Throws ``SecretToUnnamedOrigin`` when `request` (as it would be sent to `url`) holds a
    /// secret of the environment and goes to an origin the environment does not name. Only
    /// requests to other origins are looked into, so a large upload to the server costs nothing.
    func checkSecretsStay(_ request: PreparedRequest, url: String? = nil) throws(SecretToUnnamedOrigin) {
        // A `Host` header naming another host sends it there, as far as secrets go (``TargetOrigin``).
        guard let origin = try? TargetOrigin.of(url ?? request.url, headers: request.headers) else { return }
        guard !credentialOrigins.contains(origin), !grantedSecretOrigins.contains(origin),
            let name = SecretScan(redactor: context.redactor).secretName(in: request)
        else { return }
        throw SecretToUnnamedOrigin(secret: name, origin: origin, named: Array(secretOrigins))
    }
}
