import Dispatch
import Foundation
import LazarusObjectStore
import LazarusWire

/// Runs the store's blocking SQLite transactions on one dedicated serial queue, never on
/// the cooperative thread pool (a commit waits for an fsync).
struct StoreQueue: Sendable {
    let store: ObjectStore
    private let queue = DispatchQueue(label: "lazarus.object-service.store")

    init(_ store: ObjectStore) {
        self.store = store
    }

    /// `ObjectStore.executeBatch`, off the cooperative pool.
    func executeBatch(_ requests: [ObjectRequest]) async throws(ObjectStoreError) -> [ObjectStore.ExecutionResult] {
        let store = self.store
        let result: Result<[ObjectStore.ExecutionResult], ObjectStoreError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(ObjectStoreError) {
                    continuation.resume(returning: .success(try store.executeBatch(requests)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
