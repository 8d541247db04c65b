import Synchronization
import VigilRunner

/// `--jobs`: the next collection to start in each environment, and the results, in order.
final class JobQueue: Sendable {
    private struct State {
        var next: [Int]
        var results: [[CollectionResult?]]
    }
    private let state: Mutex<State>
    private let count: Int

    init(environments: Int, collections: Int) {
        count = collections
        state = Mutex(
            State(next: Array(repeating: 0, count: environments), results: Array(repeating: Array(repeating: nil, count: collections), count: environments)))
    }

    /// The index of the next collection to run in environment `e`, or nil when all have started.
    func next(in e: Int) -> Int? {
        state.withLock { s in
            guard s.next[e] < count else { return nil }
            defer { s.next[e] += 1 }
            return s.next[e]
        }
    }

    func finished(_ result: CollectionResult, at c: Int, in e: Int) { state.withLock { $0.results[e][c] = result } }

    /// Environment by environment, collections in order.
    var results: [CollectionResult] { state.withLock { $0.results.flatMap { $0.compactMap(\.self) } } }
}

/// `--bail`: the name of the first collection that failed, shared by the environments of a matrix run.
final class FirstFailure: Sendable {
    let name = Mutex<String?>(nil)
}
