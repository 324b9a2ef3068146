import Foundation
import LazarusCheckpointStore
import LazarusWire
import Testing

@Suite struct RegistryTests {
    let db = TempDatabase()
    let store: CheckpointStore

    init() throws { store = try CheckpointStore(path: db.path) }

    @Test func registerAcceptsAtEpochOneAndReturnsTheFirstRun() throws {
        let s = submission("job-1")
        guard case .registered(let job, let run) = try store.register(s, partition: 3, now: 500) else {
            Issue.record("not registered"); return
        }
        #expect(job.status == .accepted)
        #expect(job.epoch == 1)
        #expect(job.partition == 3)
        #expect(job.createdAt == 500)
        #expect(run == RunCommand(jobId: "job-1", tenant: "acme", epoch: 1, program: s.script, args: s.args,
                                  policy: .everyCalls(2), snapshot: nil, snapshotSeq: nil, reason: "start"))
        #expect(try store.acceptedButNeverStarted() == ["job-1"])
    }

    @Test func registerIsIdempotent() throws {
        try store.registerNew(submission("job-1"))
        _ = try store.record(event("job-1", .started))
        guard case .duplicate(let job, let same) = try store.register(submission("job-1"), partition: 0) else {
            Issue.record("a resent submission must be a duplicate"); return
        }
        #expect(same)
        #expect(job.status == .running, "the resent submission did not reset the job")
        #expect(job.epoch == 1 && job.runsIssued == 1)
        guard case .duplicate(_, let sameAgain) = try store.register(submission("job-1", script: "other()"), partition: 0) else {
            Issue.record("a different submission under the same id is still a duplicate"); return
        }
        #expect(sameAgain == false)
        #expect(try store.job("job-1")?.job.script == submission("job-1").script)
    }

    @Test func oversizeOrMalformedSubmissionsAreRejectedAndRemembered() throws {
        var options = CheckpointStoreOptions()
        options.maxScriptBytes = 100
        options.maxArgsBytes = 20
        let small = try CheckpointStore(inMemory: options)

        guard case .rejected(let failure, let job) = try small.register(submission("big", script: String(repeating: "x", count: 101)), partition: 0) else {
            Issue.record("an oversize script must be rejected"); return
        }
        #expect(failure.name == "too-large")
        #expect(failure.message.contains("big") && failure.message.contains("limit is 100"))
        #expect(job?.status == .rejected)
        #expect(try small.status("big") == .rejected)
        #expect(try small.startRun(jobId: "big", reason: .start) == nil, "a rejected job never runs")

        let bigArgs = JobSubmission(jobId: "args", tenant: "acme", script: "1", args: .object([("s", .string(String(repeating: "y", count: 30)))]))
        guard case .rejected(let argsFailure, _) = try small.register(bigArgs, partition: 0) else { Issue.record("oversize args"); return }
        #expect(argsFailure.message.contains("args"))

        let notObject = JobSubmission(jobId: "arr", tenant: "acme", script: "1", args: .array([]))
        guard case .rejected(let shape, _) = try small.register(notObject, partition: 0) else { Issue.record("array args"); return }
        #expect(shape.name == "invalid-submission")

        guard case .rejected(_, let none) = try small.register(submission(""), partition: 0) else { Issue.record("empty id"); return }
        #expect(none == nil)
        guard case .duplicate = try small.register(submission("big"), partition: 0) else { Issue.record("a rejected id stays taken"); return }
        #expect(try small.acceptedButNeverStarted().isEmpty)
    }

    @Test func epochsBumpOnEveryRunAfterTheFirst() throws {
        let first = try store.registerNew(submission("job-1"))
        #expect(first?.epoch == 1)
        #expect(try store.startRun(jobId: "job-1", reason: .recover)?.epoch == 2)
        #expect(try store.startRun(jobId: "job-1", reason: .yield)?.epoch == 3)
        let run = try store.startRun(jobId: "job-1", reason: .timer)
        #expect(run?.epoch == 4)
        #expect(run?.reason == "timer")
        let job = try #require(try store.job("job-1")?.job)
        #expect(job.epoch == 4 && job.runsIssued == 4)
        #expect(job.resumptions == 1, "only fault recoveries count as resumptions")
    }

    @Test func startRunAttachesTheLatestSnapshot() throws {
        try store.registerNew(submission("job-1"))
        _ = try store.saveSnapshot(snapshot("job-1", seq: 4, epoch: 1))
        _ = try store.saveSnapshot(snapshot("job-1", seq: 9, epoch: 1))
        let run = try #require(try store.startRun(jobId: "job-1", reason: .recover))
        #expect(run.snapshotSeq == 9)
        #expect(run.snapshot == snapshot("job-1", seq: 9, epoch: 1).continuation)
        #expect(run.program == submission("job-1").script)
        #expect(run.reason == "recover")
    }

    @Test func startRunOfAnUnknownJobIsAClearError() {
        #expect {
            try store.startRun(jobId: "nope", reason: .start)
        } throws: { error in
            (error as? CheckpointStoreError)?.code == .unknownJob && "\(error)".contains("nope")
        }
    }

    @Test func firstStartKeepsEpochOneThenAReissuedStartBumps() throws {
        // A job accepted but never started: the service re-issues its run on restart.
        try store.registerNew(submission("job-1"))
        let reissued = try store.startRun(jobId: "job-1", reason: .start)
        #expect(reissued?.epoch == 2, "the first run may be in Kafka already: the reissue must supersede it")
    }

    @Test func restoreToAnEarlierSnapshot() throws {
        try store.registerNew(submission("job-1"))
        for seq in [3, 6, 9] { _ = try store.saveSnapshot(snapshot("job-1", seq: seq, epoch: 1)) }
        #expect(try store.restorePoint(jobId: "job-1", seq: 6).seq == 6)
        let run = try #require(try store.startRun(jobId: "job-1", reason: .restore(seq: 6)))
        #expect(run.epoch == 2)
        #expect(run.snapshotSeq == 6)
        #expect(run.reason == "restore")
        // If the restored run is lost before it saves anything, recovery continues from seq 6, not 9.
        #expect(try store.startRun(jobId: "job-1", reason: .recover)?.snapshotSeq == 6)
        _ = try store.saveSnapshot(snapshot("job-1", seq: 7, epoch: 3))
        #expect(try store.startRun(jobId: "job-1", reason: .recover)?.snapshotSeq == 7)
    }

    @Test func restoreToAMissingSeqSaysWhatExists() throws {
        try store.registerNew(submission("job-1"))
        #expect {
            try store.restorePoint(jobId: "job-1", seq: 5)
        } throws: { error in
            let e = error as? CheckpointStoreError
            return e?.code == .snapshotNotFound && e!.message.contains("job-1") && e!.message.contains("no snapshots")
        }
        for seq in [3, 6] { _ = try store.saveSnapshot(snapshot("job-1", seq: seq, epoch: 1)) }
        #expect {
            try store.startRun(jobId: "job-1", reason: .restore(seq: 5))
        } throws: { error in
            let e = error as? CheckpointStoreError
            return e?.code == .snapshotNotFound && e!.message.contains("seq 5") && e!.message.contains("3, 6")
        }
        #expect(try store.job("job-1")?.job.epoch == 1, "a refused restore changes nothing")
        #expect(throws: CheckpointStoreError.self) { try store.restorePoint(jobId: "ghost", seq: 1) }
    }

    @Test func restoreOfAnEndedJobIsRefused() throws {
        try store.registerNew(submission("job-1"))
        _ = try store.saveSnapshot(snapshot("job-1", seq: 3, epoch: 1))
        _ = try store.record(event("job-1", .completed, result: .number(1)))
        #expect {
            try store.restorePoint(jobId: "job-1", seq: 3)
        } throws: { error in
            (error as? CheckpointStoreError)?.code == .jobTerminal
        }
    }

    @Test func cancelEndsALiveJobOnce() throws {
        try store.registerNew(submission("job-1"))
        _ = try store.saveSnapshot(snapshot("job-1", seq: 2, epoch: 1, reason: "sleep", wakeAt: 5_000))
        guard case .cancelled(let job) = try store.cancel(jobId: "job-1", requestedBy: "alice") else { Issue.record("not cancelled"); return }
        #expect(job.status == .cancelled)
        #expect(try store.dueTimers(now: 10_000).isEmpty, "its timer is gone")
        #expect(try store.cancel(jobId: "job-1") == .alreadyTerminal(.cancelled))
        #expect(try store.startRun(jobId: "job-1", reason: .recover) == nil)
        #expect(try store.job("job-1")?.history.contains { $0.type == "cancel-requested" && $0.detail == "by alice" } == true)
        // The service's own `cancelled` event afterwards is not noise in the history.
        #expect(try store.record(event("job-1", .cancelled)).disposition == .duplicate)
    }

    @Test func jobsToRecoverByPartition() throws {
        try store.registerNew(submission("a"), partition: 0)
        try store.registerNew(submission("b"), partition: 1)
        try store.registerNew(submission("c"), partition: 1)
        try store.registerNew(submission("d"), partition: 2)
        try store.registerNew(submission("e"), partition: 1)
        try store.registerNew(submission("f"), partition: 1)
        _ = try store.record(event("b", .started))
        _ = try store.record(event("c", .completed, result: .null))
        _ = try store.record(event("e", .yielded))
        // f sleeps with a pending timer: the timer, not recovery, wakes it.
        _ = try store.saveSnapshot(snapshot("f", seq: 1, epoch: 1, reason: "sleep", wakeAt: 9_999))
        _ = try store.record(event("f", .sleeping))
        #expect(try store.jobsToRecover(partitions: [1]).sorted() == ["b", "e"])
        #expect(try store.jobsToRecover(partitions: [0, 2]).sorted() == ["a", "d"])
        #expect(try store.jobsToRecover(partitions: []) == [])
        #expect(try store.jobsToRecover(partitions: [7]) == [])
        // Once its timer fired and was cleared, a sleeping job whose run was lost is recoverable.
        try store.clearTimer(jobId: "f")
        #expect(try store.jobsToRecover(partitions: [1]).sorted() == ["b", "e", "f"])
    }

    @Test func listingAndDetail() throws {
        _ = try store.register(submission("old"), partition: 0, now: 1)
        _ = try store.register(submission("new"), partition: 0, now: 2)
        _ = try store.record(event("old", .started, time: 10))
        _ = try store.record(event("old", .completed, time: 20, result: .string("done")))
        #expect(try store.jobs().map(\.jobId) == ["new", "old"], "newest first")
        #expect(try store.jobs(status: .completed).map(\.jobId) == ["old"])
        #expect(try store.jobs(limit: 1).count == 1)
        let detail = try #require(try store.job("old"))
        #expect(detail.job.result == .string("done"))
        #expect(detail.history.map(\.type) == ["accepted", "run", "started", "completed"])
        #expect(try store.job("ghost") == nil)
        #expect(try store.statusCounts() == [.accepted: 1, .completed: 1])
    }

    @Test func reopenedDatabaseKeepsEverything() throws {
        try store.registerNew(submission("job-1"))
        _ = try store.saveSnapshot(snapshot("job-1", seq: 4, epoch: 1, reason: "sleep", wakeAt: 7_000))
        _ = try store.record(event("job-1", .sleeping, seq: 4))
        let reopened = try CheckpointStore(path: db.path)
        #expect(try reopened.status("job-1") == .sleeping)
        #expect(try reopened.dueTimers(now: 7_000) == [DueTimer(jobId: "job-1", wakeAt: 7_000)])
        #expect(try reopened.startRun(jobId: "job-1", reason: .timer)?.snapshotSeq == 4)
    }
}

