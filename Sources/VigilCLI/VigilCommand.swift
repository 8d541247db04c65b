import ArgumentParser
import VigilCore
#if canImport(Glibc)
    import Glibc
#endif

/// The `vigil` command line: a thin layer over the library modules.
public struct VigilCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Run YAML request collections against HTTP JSON APIs, first of all Milestone XProtect.",
        discussion: """
            Exit codes: 0 passed, 1 an assertion failed, 2 invalid input, 3 transport or runtime error, 4 usage,
            130 interrupted (SIGINT), 143 terminated (SIGTERM).
            """,
        version: "0.1.0",
        subcommands: [
            RunCommand.self, DocsCommand.self, ValidateCommand.self, QueryCommand.self, SchemaCommand.self, CompareCommand.self, MergeCommand.self,
            EmulatorCommand.self,
        ]
    )

    public init() {}

    /// Parses the arguments, runs the command and exits with Vigil's exit codes.
    public static func mainWithExitCodes(_ arguments: [String]? = nil) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Glibc.exit(0)
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            let message = fullMessage(for: error)
            if !message.isEmpty { FileOutput.stderr(message) }
            Glibc.exit(code == .validationFailure ? VigilExit.usage.rawValue : code.rawValue == 64 ? VigilExit.usage.rawValue : code.rawValue)
        }
    }
}

/// Vigil's exit codes.
public enum VigilExit: Int32, Sendable {
    case passed = 0
    case assertionFailed = 1
    case invalidInput = 2
    case runtimeError = 3
    case usage = 4
    case interrupted = 130
    /// SIGTERM.
    case terminated = 143

    var exitCode: ExitCode { ExitCode(rawValue) }
}

/// Unbuffered writes to standard output and standard error.
enum FileOutput {
    static func stdout(_ text: String) { emit(text, to: 1) }

    static func stderr(_ text: String) { emit(text, to: 2) }

    /// `text` and a line feed, control characters escaped (``TerminalText``): names, paths and
    /// messages from a shared collection or a server never act on the terminal, and a NUL
    /// never cuts a line short.
    private static func emit(_ text: String, to descriptor: Int32) {
        var line = TerminalText.escapedKeepingLines(text.hasSuffix("\n") ? String(text.dropLast()) : text) + "\n"
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0, errno == EINTR {
                    continue  // a signal (Ctrl-C) arrived mid-write: the rest still goes out
                } else {
                    break
                }
            }
        }
    }
}
