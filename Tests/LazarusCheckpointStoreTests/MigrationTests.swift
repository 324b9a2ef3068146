import Foundation
import GRDB
@testable import LazarusCheckpointStore
import LazarusWire
import Testing

/// A store written by an older build opens in this one with everything it held.
@Suite struct MigrationTests {
    let db = TempDatabase()

    /// Writes a v1 file (snapshots ordered by an AUTOINCREMENT id): one job, epoch 1 seqs
    /// 1–3, then a restore to seq 1 and epoch 2 seqs 2–3.
    func writeVersion1File() throws {
        let queue = try DatabaseQueue(path: db.path)
        try CheckpointStore.migrator.migrate(queue, upTo: "v1: jobs, snapshots, timers, history")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO jobs (job_id, tenant, script, args, policy, status, epoch, runs_issued, kafka_partition,
                                  created_at, updated_at, last_snapshot_seq, last_snapshot_epoch)
                VALUES ('job-1', 'acme', 'records.create("t", {})', '{}', 'always', 'running', 2, 2, 0, 1, 1, 3, 2)
                """)
            for (seq, epoch) in [(1, 1), (2, 1), (3, 1), (2, 2), (3, 2)] {
                try db.execute(sql: """
                    INSERT INTO snapshots (job_id, seq, epoch, reason, label, wake_at, continuation, created_at)
                    VALUES ('job-1', ?, ?, 'always', NULL, NULL, ?, 1)
                    """, arguments: [seq, epoch, Data([UInt8(seq), UInt8(epoch)])])
            }
        }
    }

    @Test func version1SnapshotsSurviveInArrivalOrder() throws {
        try writeVersion1File()
        var options = CheckpointStoreOptions()
        options.snapshotsKept = 3
        let store = try CheckpointStore(path: db.path, options: options)

        #expect(try store.snapshots(jobId: "job-1").map { "\($0.seq)@\($0.epoch)" } == ["1@1", "2@1", "3@1", "2@2", "3@2"])
        #expect(try store.snapshot(jobId: "job-1")?.continuation == Data([3, 2]))
        #expect(try store.snapshot(jobId: "job-1", seq: 2)?.continuation == Data([2, 2]), "the newest epoch's seq 2")

        // The next snapshot prunes to the newest three by (epoch, seq), as `id` did.
        guard case .stored(let pruned, _, _) = try store.saveSnapshot(snapshot("job-1", seq: 4, epoch: 2)) else {
            Issue.record("seq 4 of epoch 2 was not stored")
            return
        }
        #expect(pruned == 3)
        #expect(try store.snapshots(jobId: "job-1").map { "\($0.seq)@\($0.epoch)" } == ["2@2", "3@2", "4@2"])
        #expect(try store.saveSnapshot(snapshot("job-1", seq: 4, epoch: 2)) == .duplicate)
    }
}
