import ArgumentParser
#if canImport(Glibc)
    import Glibc
#endif
import VigilCore
import XProtectEmulator

/// `vigil emulator`: serves the built-in XProtect API Gateway emulator.
struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator",
        abstract: "Serve the built-in XProtect API Gateway and IDP emulator until Ctrl-C.",
        discussion:
            "Default users: admin / admin (basic), EMULATOR\\qa / qa (Windows, NTLM on /IDP/connect/token); "
            + "service client vigil-service / vigil-service-secret. Binds to loopback unless --host says otherwise."
    )

    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port (0 picks a free one).") var port = 8088
    @Option(help: "Emulated release, e.g. \"2024 R2\".", completion: .list(ReleaseProfile.all.map(\.name)))
    var profile: String = ReleaseProfile.latest.name
    @Option(name: .customLong("token-lifetime"), help: "Token lifetime, e.g. 3600s or 5s.") var tokenLifetime = DurationArgument(.seconds(3600))
    @Option(name: .customLong("task-duration"), help: "How long a task takes to reach 100%, e.g. 600ms.") var taskDuration = DurationArgument(
        .milliseconds(600))
    @Option(help: "Faults to inject, e.g. latency=200ms,5xx=0.1,reset=0.05,truncate=0.1,invalid-json=0.1") var fault: String?
    @Option(help: "A JSON seed file.") var seed: String?
    @Option(name: .customLong("tls-cert"), help: "Serve https and wss with this certificate chain (PEM); needs --tls-key.") var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "The private key (PEM) of --tls-cert.") var tlsKey: String?

    func run() async throws {
        var c = EmulatorConfiguration()
        c.host = host
        c.port = port
        guard let p = ReleaseProfile(named: profile) else {
            throw ValidationError("unknown profile '\(profile)'; profiles: \(ReleaseProfile.all.map(\.name).joined(separator: ", "))")
        }
        c.profile = p
        c.tokenLifetime = tokenLifetime.duration
        c.taskDuration = taskDuration.duration
        if let fault {
            do { c.faults = try EmulatorFaults(parsing: fault) } catch { throw ValidationError("--fault: \(error)") }
        }
        c.seedFile = seed
        switch (tlsCert, tlsKey) {
        case (let cert?, let key?): c.tls = EmulatorTLS(certificateChainFile: cert, privateKeyFile: key)
        case (nil, nil): break
        default: throw ValidationError("--tls-cert and --tls-key go together")
        }
        let profileName = p.name
        do {
            try await runEmulator(c) { url in
                FileOutput.stdout("XProtect emulator (\(profileName)) listening on \(url)  (user admin, password admin; Ctrl-C stops)")
            }
        } catch {
            FileOutput.stderr("error: \(error)")
            throw VigilExit.runtimeError.exitCode
        }
    }
}
