import Synchronization

/// Collects one result per index, completed from any thread, for one waiter that resumes
/// once, when the last is in (`sendBatch`'s delivery reports; the executor's batch of
/// messages). A second completion of an index is ignored.
public final class Gathering<Element: Sendable>: Sendable {
    private struct State {
        var results: [Element?]
        var remaining: Int
        var continuation: CheckedContinuation<[Element], Never>?
    }

    private let state: Mutex<State>

    public init(count: Int) {
        state = Mutex(State(results: Array(repeating: nil, count: count), remaining: count))
    }

    public func complete(_ index: Int, _ result: Element) {
        let done: (CheckedContinuation<[Element], Never>, [Element])? = state.withLock { s in
            guard s.results[index] == nil else { return nil }
            s.results[index] = result
            s.remaining -= 1
            guard s.remaining == 0, let continuation = s.continuation else { return nil }
            s.continuation = nil
            return (continuation, s.results.map { $0! })
        }
        if let (continuation, results) = done { continuation.resume(returning: results) }
    }

    /// Suspends until every index has a result; the results in index order.
    public func wait() async -> [Element] {
        await withCheckedContinuation { continuation in
            let ready: [Element]? = state.withLock { s in
                if s.remaining == 0 { return s.results.map { $0! } }
                s.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
