import ArgumentParser
import VigilCore

/// `vigil validate PATHS…`: every check that needs no server.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check collections (and environments) without sending a request.",
        discussion: "Reports every error as FILE:LINE:COL: message and exits 2 when there is one."
    )

    @OptionGroup var input: InputOptions

    func run() async throws {
        var (collections, diagnostics) = InputLoader.collections(input.paths, allowedPaths: input.allowedPaths, data: input.data)
        let overrides = input.overrides()
        diagnostics += overrides.diagnostics
        for path in input.environments {
            switch InputLoader.environment(path) {
            case .success(let env):
                var known = Set(env.variables.map(\.name) + overrides.values.map(\.0))
                if case .embedded = env.server { known.insert("baseUrl") }
                // A proxy's placeholders must resolve now (`{{$env.NAME}}` set): never sent literally.
                do { _ = try env.proxyURL(overrides: overrides.values) } catch { diagnostics += error.diagnostics }
                for c in collections {
                    diagnostics += ReferenceCheck.undefinedVariables(in: c, known: known)
                    diagnostics += ReferenceCheck.credentialShadowing(in: c, environment: env)
                    diagnostics += ReferenceCheck.secretComparisons(in: c, environment: env)
                    diagnostics += ReferenceCheck.authProfiles(in: c, environment: env)
                }
            case .failure(let e):
                diagnostics += e.diagnostics
            }
        }
        for d in diagnostics.sortedForDisplay { FileOutput.stderr(d.description) }
        if diagnostics.contains(where: { $0.severity == .error }) { throw VigilExit.invalidInput.exitCode }
        let requests = collections.reduce(0) { $0 + $1.requestCount + $1.finallyCount }
        print("ok: \(collections.count) collection\(collections.count == 1 ? "" : "s"), \(requests) request\(requests == 1 ? "" : "s")")
    }
}
