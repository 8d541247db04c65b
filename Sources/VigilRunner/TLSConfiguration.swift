import NIOSSL
import VigilCore

extension TLSSettings {
    /// The client TLS configuration of an environment, the same on every route (direct or
    /// through a proxy): the system's trust store, plus `tls.ca` when given (it *adds* to the
    /// store, never replaces it); no verification with `tls.insecure`; a client certificate
    /// when `tls.cert` and `tls.key` are given.
    func clientConfiguration() throws(TransportError) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if insecure { configuration.certificateVerification = .none }
        do {
            if let ca = caFile {
                configuration.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(ca))]
            }
            if let cert = certificateFile, let key = keyFile {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            }
        } catch {
            throw TransportError(.tls, "could not read TLS files: \(error)")
        }
        return configuration
    }
}
