import Foundation
import LazarusCheckpointStore
import LazarusWire
import Testing

/// `inOneTransaction`: how the checkpoint service stores a consumed batch with one commit.
@Suite struct OneTransactionTests {
    let db = TempDatabase()
    let store: CheckpointStore

    init() throws {
        store = try CheckpointStore(path: db.path)
        try store.registerNew(submission("job-1"))
    }

    struct Stop: Error {}

    @Test func everythingCommitsTogether() throws {
        let outcomes = try store.inOneTransaction {
            [try store.saveSnapshot(snapshot("job-1", seq: 1, epoch: 1)),
             try store.saveSnapshot(snapshot("job-1", seq: 2, epoch: 1))]
        }
        #expect(outcomes.allSatisfy { if case .stored = $0 { true } else { false } })
        _ = try store.inOneTransaction { try store.record(event("job-1", .started)) }
        let reopened = try CheckpointStore(path: db.path)
        #expect(try reopened.snapshots(jobId: "job-1").map(\.seq) == [1, 2])
        #expect(try reopened.status("job-1") == .running)
    }

    @Test func laterCallsSeeEarlierOnesBeforeTheCommit() throws {
        try store.inOneTransaction {
            _ = try store.saveSnapshot(snapshot("job-1", seq: 3, epoch: 1, reason: "yield"))
            _ = try store.record(event("job-1", .yielded, seq: 3))
            #expect(try store.jobRecord("job-1")?.lastSnapshotSeq == 3)
            #expect(try store.status("job-1") == .yielded)
            // A second save of the same snapshot within the batch is a duplicate, as across batches.
            #expect(try store.saveSnapshot(snapshot("job-1", seq: 3, epoch: 1, reason: "yield")) == .duplicate)
        }
    }

    @Test func aThrowingBodyKeepsNothing() throws {
        #expect(throws: Stop.self) {
            try store.inOneTransaction {
                _ = try store.saveSnapshot(snapshot("job-1", seq: 1, epoch: 1))
                try store.registerNew(submission("job-2"))
                _ = try store.startRun(jobId: "job-1", reason: .recover)
                throw Stop()
            }
        }
        let reopened = try CheckpointStore(path: db.path)
        #expect(try reopened.snapshots(jobId: "job-1").isEmpty)
        #expect(try reopened.jobRecord("job-2") == nil)
        #expect(try reopened.jobRecord("job-1")?.epoch == 1)
    }

    @Test func aFailingCallTakesBackOnlyItsOwnChanges() throws {
        try store.inOneTransaction {
            _ = try store.saveSnapshot(snapshot("job-1", seq: 1, epoch: 1))
            #expect(throws: CheckpointStoreError.self) { try store.cancel(jobId: "ghost", requestedBy: "test") }
            #expect(throws: CheckpointStoreError.self) { try store.restorePoint(jobId: "job-1", seq: 99) }
            _ = try store.saveSnapshot(snapshot("job-1", seq: 2, epoch: 1))
        }
        #expect(try CheckpointStore(path: db.path).snapshots(jobId: "job-1").map(\.seq) == [1, 2])
    }
}
