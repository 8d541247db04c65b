import Foundation

/// A certificate authority, a server certificate for 127.0.0.1 and a client certificate,
/// made with openssl at test time in a fresh folder.
struct TestCertificates {
    let directory: URL
    var caFile: String { directory.appendingPathComponent("ca.pem").path }
    var serverCert: String { directory.appendingPathComponent("server.pem").path }
    var serverKey: String { directory.appendingPathComponent("server.key").path }
    var clientCert: String { directory.appendingPathComponent("client.pem").path }
    var clientKey: String { directory.appendingPathComponent("client.key").path }

    /// `names`: the server certificate's subjectAltName entries.
    static func make(names: String = "IP:127.0.0.1,DNS:localhost") throws -> TestCertificates {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "subjectAltName=\(names)\n".write(to: dir.appendingPathComponent("san.ext"), atomically: true, encoding: .utf8)
        let steps = [
            "req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=Vigil-Test-CA",
            "req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1",
            "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile san.ext",
            "req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj /CN=vigil-client",
            "x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2",
        ]
        for step in steps {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            p.arguments = step.split(separator: " ").map(String.init)
            p.currentDirectoryURL = dir
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else { throw CertificateError(step: step) }
        }
        return TestCertificates(directory: dir)
    }

    struct CertificateError: Error { var step: String }
}
