import Foundation
import GRDB
import LazarusSQLite
import LazarusWire

// MARK: - Group commit

extension ObjectStore {
    /// Executes several host calls in one transaction — one commit, one fsync — with exactly
    /// the semantics of calling `execute` on each in order: every call is fenced, looked up
    /// in the journal, executed and journaled as if alone, and sees the effects of the calls
    /// before it (a repeated `(jobId, seq)` later in the batch is `replayed`).
    ///
    /// Returns one result per request, in order. Throws only when the database fails; then
    /// nothing of the batch was committed and it may be retried as a whole.
    public func executeBatch(_ requests: [ObjectRequest], now: Date = Date()) throws(ObjectStoreError) -> [ExecutionResult] {
        guard !requests.isEmpty else { return [] }
        let nowMillis = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        let hashes = requests.map { RequestFingerprint.of(tenant: $0.tenant, op: $0.op, args: $0.args) }
        do {
            return try SQLiteFile.immediateTransaction(writer) { db in
                try zip(requests, hashes).map { request, hash in
                    try self.executeInTransaction(db, request, hash: hash, now: nowMillis)
                }
            }
        } catch {
            let first = requests[0]
            throw ObjectStoreError.wrap(error, doing: "executing a batch of \(requests.count) calls (the first: \(first.op) for job \(first.jobId) seq \(first.seq))")
        }
    }
}
