import VigilCore

/// The transport a run uses: the one place that makes the HTTP client.
public enum TransportFactory {
    public static func make(tls: TLSSettings, proxy: ProxySettings? = nil) throws(TransportError) -> any HTTPTransport {
        try NIOHTTP1Transport(tls: tls, proxy: proxy)
    }
}
