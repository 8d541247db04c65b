import ArgumentParser
import VigilCore

/// A duration on the command line: `500ms`, `10s`, `2m`; checked as the arguments are parsed.
struct DurationArgument: ExpressibleByArgument, Sendable {
    var duration: Duration

    init(_ duration: Duration) {
        self.duration = duration
    }

    init?(argument: String) {
        guard let d = DurationText.parse(argument) else { return nil }
        duration = d
    }

    var defaultValueDescription: String { duration.components.attoseconds == 0 ? "\(duration.components.seconds)s" : "\(duration)" }
}
