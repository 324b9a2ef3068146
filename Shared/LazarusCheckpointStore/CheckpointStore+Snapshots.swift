import Foundation
import GRDB
import LazarusWire

// MARK: - Snapshots

extension CheckpointStore {
    /// Stores a snapshot of the job's current epoch, moves the job's resume point to it,
    /// sets the `sleep` timer if it is a sleep snapshot, and prunes to the newest K.
    /// Snapshots of older epochs (zombie runs), of ended jobs, oversize ones and duplicates
    /// are not stored; the outcome says which.
    public func saveSnapshot(_ event: SnapshotEvent,
                             now: Int64 = CheckpointStore.currentMillis()) throws(CheckpointStoreError) -> SnapshotOutcome {
        if event.continuation.count > options.maxSnapshotBytes {
            return .refused("job \(event.jobId): snapshot at seq \(event.seq) is \(event.continuation.count) bytes; the limit is \(options.maxSnapshotBytes)")
        }
        // Every refusal below returns before the INSERT: no savepoint needed (the hot path).
        return try transaction("saving snapshot \(event.seq) of job \(event.jobId)", checksBeforeWrites: true) { db -> SnapshotOutcome in
            guard let job = try self.fetchJobState(db, event.jobId) else { return .unknownJob }
            guard job.tenant == event.tenant else {
                return .refused("job \(event.jobId) belongs to another tenant than '\(event.tenant)'")
            }
            guard !job.status.isTerminal else { return .jobTerminal(job.status) }
            guard event.epoch >= job.epoch else { return .zombie(snapshotEpoch: event.epoch, currentEpoch: job.epoch) }
            guard event.epoch == job.epoch else {
                return .refused("job \(event.jobId): snapshot epoch \(event.epoch) was never issued (the job is at epoch \(job.epoch))")
            }
            try db.cachedStatement(sql: """
                INSERT INTO snapshots (job_id, seq, epoch, reason, label, wake_at, continuation, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, epoch, seq) DO NOTHING
                """).execute(arguments: [event.jobId, event.seq, event.epoch, event.reason, event.label, event.wakeAt,
                                         event.continuation, now])
            guard db.changesCount > 0 else { return .duplicate }

            // Within an epoch seqs only grow; a newer epoch always wins over the resume point.
            let advances = job.lastSnapshotEpoch.map { event.epoch > $0 || event.seq > (job.lastSnapshotSeq ?? -1) } ?? true
            let (seq, epoch) = advances ? (event.seq, event.epoch) : (job.lastSnapshotSeq!, job.lastSnapshotEpoch!)
            try db.cachedStatement(sql: """
                UPDATE jobs SET last_snapshot_seq = ?, last_snapshot_epoch = ?, updated_at = ? WHERE job_id = ?
                """).execute(arguments: [seq, epoch, now, event.jobId])

            var timerSet = false
            if event.reason == "sleep", let wakeAt = event.wakeAt {
                try self.setTimer(db, jobId: event.jobId, wakeAt: wakeAt)
                timerSet = true
            }

            // Everything older than the K-th newest, except the resume point: one seek for
            // the K-th newest, then a range of the primary key (mostly one row).
            try db.cachedStatement(sql: """
                DELETE FROM snapshots WHERE job_id = ?1
                  AND (epoch, seq) < (SELECT epoch, seq FROM snapshots WHERE job_id = ?1
                                      ORDER BY epoch DESC, seq DESC LIMIT 1 OFFSET ?2)
                  AND NOT (epoch = ?3 AND seq = ?4)
                """).execute(arguments: [event.jobId, max(1, self.options.snapshotsKept) - 1, epoch, seq])
            return .stored(pruned: db.changesCount, timerSet: timerSet, jobStatus: job.status)
        }
    }

    /// A kept snapshot of `jobId`: the one at `seq` (the newest epoch's if several), or
    /// without `seq` the one the next run would resume from. Nil if there is none.
    public func snapshot(jobId: String, seq: Int? = nil) throws(CheckpointStoreError) -> StoredSnapshot? {
        try read("reading a snapshot of job \(jobId)") { db -> StoredSnapshot? in
            if let seq { return try self.fetchSnapshot(db, jobId: jobId, seq: seq, epoch: nil) }
            guard let job = try self.fetchJob(db, jobId), let seq = job.lastSnapshotSeq else { return nil }
            return try self.fetchSnapshot(db, jobId: jobId, seq: seq, epoch: job.lastSnapshotEpoch)
        }
    }

    /// The kept snapshots of `jobId`, oldest first (by epoch, then seq: arrival order),
    /// without their bytes.
    public func snapshots(jobId: String) throws(CheckpointStoreError) -> [SnapshotInfo] {
        try read("listing snapshots of job \(jobId)") { db in try self.snapshotInfos(db, jobId: jobId) }
    }

    func snapshotInfos(_ db: Database, jobId: String) throws -> [SnapshotInfo] {
        try Row.fetchAll(db, sql: """
            SELECT job_id, seq, epoch, reason, label, wake_at, length(continuation) AS size, created_at
            FROM snapshots WHERE job_id = ? ORDER BY epoch, seq
            """, arguments: [jobId]).map(Self.snapshotInfo(from:))
    }

    func fetchSnapshot(_ db: Database, jobId: String, seq: Int, epoch: Int?) throws -> StoredSnapshot? {
        let row: Row?
        let columns = "job_id, seq, epoch, reason, label, wake_at, length(continuation) AS size, created_at, continuation"
        if let epoch {
            row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM snapshots WHERE job_id = ? AND seq = ? AND epoch = ?"),
                                   arguments: [jobId, seq, epoch])
        } else {
            row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM snapshots WHERE job_id = ? AND seq = ? ORDER BY epoch DESC LIMIT 1"),
                                   arguments: [jobId, seq])
        }
        return row.map { StoredSnapshot(info: Self.snapshotInfo(from: $0), continuation: $0["continuation"]) }
    }

    static func snapshotInfo(from row: Row) -> SnapshotInfo {
        SnapshotInfo(jobId: row["job_id"], seq: row["seq"], epoch: row["epoch"], reason: row["reason"], label: row["label"],
                     wakeAt: row["wake_at"], size: row["size"], createdAt: row["created_at"])
    }
}
