/// The command line that made an output, as a colleague can read and run it again: `vigil`
/// and its arguments, shell-quoted, with nothing secret in it. Every `--var` value is written
/// `…` (a password given on the command line must never reach a page), and so is the
/// user information of a URL (`https://…@host/`).
enum CommandText {
    static func current(_ arguments: [String] = CommandLine.arguments) -> String {
        var out = ["vigil"]
        var maskNext = false
        for argument in arguments.dropFirst() {
            var a = argument
            if maskNext {
                a = masked(a)
                maskNext = false
            } else if a == "--var" {
                maskNext = true
            } else if a.hasPrefix("--var=") {
                a = "--var=" + masked(String(a.dropFirst(6)))
            }
            out.append(quoted(withoutUserInfo(a)))
        }
        return out.joined(separator: " ")
    }

    /// `name=value` as `name=…`.
    static func masked(_ assignment: String) -> String {
        guard let eq = assignment.firstIndex(of: "=") else { return "…" }
        return String(assignment[..<eq]) + "=…"
    }

    /// `scheme://user:password@host…` as `scheme://…@host…`.
    static func withoutUserInfo(_ text: String) -> String {
        guard let scheme = text.firstRange(of: "://") else { return text }
        let authority = text[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@") else { return text }
        return String(text[..<scheme.upperBound]) + "…" + String(text[at...])
    }

    /// Single-quoted for a POSIX shell unless it is made only of characters that need no quotes.
    static func quoted(_ text: String) -> String {
        let plain = !text.isEmpty && text.allSatisfy { c in c == "…" || c.isASCII && (c.isLetter || c.isNumber || "_./=:,@%+-".contains(c)) }
        return plain ? text : "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: #"'\''"#) + "'"
    }
}
