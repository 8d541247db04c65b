import VigilCore
import VigilJSON

/// Finds out which XProtect release a server runs, once per environment.
public enum ReleaseDetection {
    /// Asks `GET {baseUrl}/api/.well-known/uris` (unauthenticated, 2022 R1 and later) for its
    /// `ProductVersion` and maps it to a release. Nil when the server does not say.
    public static func detect(baseURL: String, transport: any HTTPTransport) async -> Release? {
        let url = baseURL.hasSuffix("/") ? baseURL + "api/.well-known/uris" : baseURL + "/api/.well-known/uris"
        let request = PreparedRequest(method: "GET", url: url, headers: [("Accept", "application/json")], timeout: .seconds(10))
        guard let response = try? await transport.send(request), response.status == 200,
            let json = try? JSONValue(parsing: response.body),
            let version = json["ProductVersion"]?.stringValue
        else { return nil }
        return Release(version: version)
    }
}

extension CollectionFile {
    /// Whether anything in the collection depends on the server's release.
    public var usesReleases: Bool {
        requires != nil || facts.usesReleases
    }
}
