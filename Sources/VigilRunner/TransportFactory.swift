import VigilCore

/// The transport a run uses: the one place that chooses the HTTP client.
/// ``NIOHTTP1Transport`` (lean, about twice AsyncHTTPClient's request rate on loopback);
/// ``AsyncHTTPClientTransport`` remains available.
public enum TransportFactory {
    public static func make(tls: TLSSettings, proxy: ProxySettings? = nil) throws(TransportError) -> any HTTPTransport {
        let direct = try NIOHTTP1Transport(tls: tls)
        guard let proxy else { return direct }
        return try ProxyRoutingTransport(direct: direct, settings: proxy, tls: tls)
    }
}
