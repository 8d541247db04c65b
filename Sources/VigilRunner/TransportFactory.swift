import VigilCore

/// The transport a run uses: the one place that chooses the HTTP client.
public enum TransportFactory {
    public static func make(tls: TLSSettings) throws(TransportError) -> any HTTPTransport {
        try AsyncHTTPClientTransport(tls: tls)
    }
}
