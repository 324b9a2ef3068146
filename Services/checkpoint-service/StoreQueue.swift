import Dispatch
import LazarusCheckpointStore

/// Runs every checkpoint-store call of this process on one dedicated serial queue.
///
/// SQLite calls block (fsync at every commit, busy waits when another process holds the
/// lock), which must not stall the cooperative thread pool; and one serial queue makes a
/// compound decision — "is a yield run due? then issue it" — atomic within the process,
/// whichever pipeline or the timer loop asks.
final class StoreQueue: Sendable {
    private let store: CheckpointStore
    private let queue = DispatchQueue(label: "lazarus.checkpoint-service.store")

    init(_ store: CheckpointStore) {
        self.store = store
    }

    /// Runs `body` with the store on the queue and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable (CheckpointStore) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [store] in
                continuation.resume(with: Result { try body(store) })
            }
        }
    }
}
