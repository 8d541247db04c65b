import VigilCore
import VigilRunner

/// The result grid of a matrix run: one row per request, one column per environment,
/// each cell pass (✓), fail (✗) or skip (–). Printed once, at the end.
public final class MatrixGrid: RunEventConsumer {
    private struct Row: Hashable {
        var file: String
        var section: RequestRef.Section
        var index: Int
    }

    private struct State {
        var rows: [Row] = []
        var names: [Row: String] = [:]
        var collections: [String: String] = [:]
        var cells: [Row: [String: RequestOutcome]] = [:]
    }

    private let environments: [String]
    private var state = State()

    /// `environments`: the column order.
    public init(environments: [String]) {
        self.environments = environments
    }

    public func consume(_ event: RunEvent) {
        guard case .requestFinished(let r) = event else { return }
        // A data-driven collection's rows share a file: each run is a block of its own.
        let row = Row(file: r.ref.file + "\u{1F}" + r.ref.collection, section: r.ref.section, index: r.ref.index)
        if state.names[row] == nil {
            state.rows.append(row)
            state.names[row] = (r.ref.section == .finally ? "finally: " : "") + r.ref.name
            state.collections[row.file] = r.ref.collection
        }
        state.cells[row, default: [:]][r.ref.environment] = r.outcome
    }

    /// The grid as lines of text.
    public func render() -> [String] {
        let s = state
        let rows = s.rows.sorted { ($0.file, $0.section == .finally ? 1 : 0, $0.index) < ($1.file, $1.section == .finally ? 1 : 0, $1.index) }
        let width = min(60, (rows.map { s.names[$0]!.count }.max() ?? 10) + 2)
        let columns = environments.map { max($0.count, 4) }
        func pad(_ text: String, _ n: Int) -> String {
            text.count >= n ? String(text.prefix(n)) : text + String(repeating: " ", count: n - text.count)
        }
        var lines = [pad("", width + 2) + zip(environments, columns).map { pad($0, $1) }.joined(separator: "  ")]
        var currentFile: String?
        for row in rows {
            if row.file != currentFile {
                currentFile = row.file
                lines.append(s.collections[row.file] ?? row.file)
            }
            let cells = zip(environments, columns).map { env, w -> String in
                let symbol =
                    switch s.cells[row]?[env] {
                    case .passed?: "✓"
                    case .failed?, .error?: "✗"
                    case .skipped?: "–"
                    case nil: " "
                    }
                return pad(symbol, w)
            }
            lines.append("  " + pad(s.names[row]!, width) + cells.joined(separator: "  "))
        }
        return lines
    }
}
