import VigilCore

/// The origin a request goes to, as far as credentials and secrets are concerned.
///
/// A request's URL names where the connection goes; a `Host` header the collection writes names
/// the virtual host that answers behind that address. A request whose `Host` names another
/// host or port than its URL is treated as going to the origin the `Host` names (the URL's scheme,
/// the header's host and port): auth profiles, the environment's default headers and query and
/// the user's secrets go with it only when the environment names (or grants) that origin, and the
/// cookie jar adds none of its cookies.
enum TargetOrigin {
    /// The origin of `url`, or the one its `Host` header names. Throws ``HostHeaderInvalid``
    /// for a `Host` that is not `host[:port]`, and the URL's error for an invalid URL.
    static func of(_ url: String, headers: [(name: String, value: String)]) throws -> HTTPURL.Origin {
        let parsed = try HTTPURL(url)
        guard let host = headers.last(where: { $0.name.caseInsensitiveEquals("Host") })?.value else { return parsed.origin }
        return try origin(host: host, secure: parsed.origin.secure)
    }

    /// Whether `headers` hold a `Host` that names another origin than `url`'s.
    static func hostDiffers(_ url: String, headers: [(name: String, value: String)]) -> Bool {
        guard headers.contains(where: { $0.name.caseInsensitiveEquals("Host") }), let own = try? HTTPURL(url).origin else { return false }
        return (try? of(url, headers: headers)) != own
    }

    /// The origin a `Host` header value names, with the URL's scheme.
    static func origin(host: String, secure: Bool) throws(HostHeaderInvalid) -> HTTPURL.Origin {
        let value = host.trimmingSpaces
        // Only an authority: no user, path, query or fragment can hide in it.
        guard !value.isEmpty, !value.contains(where: { "/?#@\\ \t".contains($0) }),
            let origin = try? HTTPURL("\(secure ? "https" : "http")://\(value)/").origin
        else { throw HostHeaderInvalid(value: host) }
        return origin
    }
}

/// A `Host` header that is not `host[:port]`: the request is not sent.
struct HostHeaderInvalid: Error, CustomStringConvertible {
    var value: String
    var description: String { "its Host header '\(HeaderText.shown(value))' is not host[:port]" }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
