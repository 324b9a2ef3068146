import Foundation
import LazarusCheckpointStore
import LazarusWire
import Testing

@Suite struct SnapshotTests {
    let db = TempDatabase()
    let store: CheckpointStore

    init() throws {
        var options = CheckpointStoreOptions()
        options.snapshotsKept = 3
        store = try CheckpointStore(path: db.path, options: options)
        try store.registerNew(submission("job-1"))
    }

    @Test func pruningKeepsTheNewestK() throws {
        var pruned: [Int] = []
        for seq in 1...6 {
            guard case .stored(let n, _, _) = try store.saveSnapshot(snapshot("job-1", seq: seq, epoch: 1)) else {
                Issue.record("seq \(seq) not stored"); continue
            }
            pruned.append(n)
        }
        #expect(pruned == [0, 0, 0, 1, 1, 1])
        #expect(try store.snapshots(jobId: "job-1").map(\.seq) == [4, 5, 6])
        #expect(try store.snapshot(jobId: "job-1")?.info.seq == 6)
        #expect(try store.snapshot(jobId: "job-1", seq: 5)?.continuation == snapshot("job-1", seq: 5, epoch: 1).continuation)
        #expect(try store.snapshot(jobId: "job-1", seq: 1) == nil)
        #expect(CheckpointStoreOptions().snapshotsKept == 5)
    }

    @Test func pruningNeverDropsTheRestorePoint() throws {
        for seq in 1...3 { _ = try store.saveSnapshot(snapshot("job-1", seq: seq, epoch: 1)) }
        _ = try store.startRun(jobId: "job-1", reason: .restore(seq: 1)) // epoch 2, resume point seq 1
        // Epoch 2 replays from seq 1 and snapshots again at 2 (same seq, new epoch) before getting further.
        _ = try store.saveSnapshot(snapshot("job-1", seq: 2, epoch: 2))
        _ = try store.saveSnapshot(snapshot("job-1", seq: 3, epoch: 2))
        _ = try store.saveSnapshot(snapshot("job-1", seq: 4, epoch: 2))
        let kept = try store.snapshots(jobId: "job-1").map { "\($0.seq)@\($0.epoch)" }
        #expect(kept == ["2@2", "3@2", "4@2"])
        #expect(try store.snapshot(jobId: "job-1")?.info.seq == 4)
        #expect(try store.snapshot(jobId: "job-1", seq: 2)?.info.epoch == 2, "a seq kept in two epochs reads as the newest")
    }

    @Test func zombieSnapshotsAreIgnored() throws {
        _ = try store.startRun(jobId: "job-1", reason: .recover) // epoch 2
        #expect(try store.saveSnapshot(snapshot("job-1", seq: 8, epoch: 1)) == .zombie(snapshotEpoch: 1, currentEpoch: 2))
        #expect(try store.snapshots(jobId: "job-1").isEmpty)
        #expect(try store.job("job-1")?.job.lastSnapshotSeq == nil)
        guard case .refused(let why) = try store.saveSnapshot(snapshot("job-1", seq: 8, epoch: 5)) else {
            Issue.record("an epoch never issued must be refused"); return
        }
        #expect(why.contains("never issued"))
    }

    @Test func duplicatesOtherTenantsUnknownJobsAndOversizeAreNotStored() throws {
        #expect(try store.saveSnapshot(snapshot("job-1", seq: 1, epoch: 1)) == .stored(pruned: 0, timerSet: false, jobStatus: .accepted))
        #expect(try store.saveSnapshot(snapshot("job-1", seq: 1, epoch: 1)) == .duplicate)
        guard case .refused = try store.saveSnapshot(snapshot("job-1", seq: 2, epoch: 1, tenant: "evil")) else {
            Issue.record("another tenant's snapshot must be refused"); return
        }
        #expect(try store.saveSnapshot(snapshot("ghost", seq: 1, epoch: 1)) == .unknownJob)
        var options = CheckpointStoreOptions()
        options.maxSnapshotBytes = 8
        let small = try CheckpointStore(inMemory: options)
        try small.registerNew(submission("job-1"))
        guard case .refused(let why) = try small.saveSnapshot(snapshot("job-1", seq: 1, epoch: 1, bytes: Array(repeating: 1, count: 9))) else {
            Issue.record("an oversize snapshot must be refused"); return
        }
        #expect(why.contains("limit is 8"))
        #expect(try store.snapshots(jobId: "job-1").count == 1)
    }

    @Test func endedJobsIgnoreSnapshots() throws {
        _ = try store.record(event("job-1", .failed, error: JobFailure(name: "TypeError", message: "x is not a function")))
        #expect(try store.saveSnapshot(snapshot("job-1", seq: 3, epoch: 1)) == .jobTerminal(.failed))
    }

    @Test func yieldWaitsForItsSnapshot() throws {
        _ = try store.record(event("job-1", .started))
        _ = try store.saveSnapshot(snapshot("job-1", seq: 2, epoch: 1, reason: "afterWrite"))
        // The executor's `yielded` (at seq 5) can overtake the proxy's yield snapshot.
        let yielded = try store.record(event("job-1", .yielded, seq: 5))
        #expect(yielded.status == .yielded)
        #expect(yielded.latestSnapshotSeq == 2, "the service sees the yield snapshot is not there yet")
        #expect(try store.saveSnapshot(snapshot("job-1", seq: 5, epoch: 1, reason: "yield")) == .stored(pruned: 0, timerSet: false, jobStatus: .yielded))
        #expect(try store.startRun(jobId: "job-1", reason: .yield)?.snapshotSeq == 5)
    }
}

@Suite struct EventTests {
    let store: CheckpointStore

    init() throws {
        store = try CheckpointStore(inMemory: .init())
        try store.registerNew(submission("job-1"))
    }

    @Test func statusTransitions() throws {
        #expect(try store.record(event("job-1", .started, time: 1)).status == .running)
        #expect(try store.record(event("job-1", .checkpointed, seq: 3, time: 2, detail: "batch-1")).status == .running)
        #expect(try store.record(event("job-1", .log, seq: 4, time: 3, result: .array([.string("hi")]))).status == .running)
        #expect(try store.record(event("job-1", .yielded, seq: 5, time: 4)).status == .yielded)
        _ = try store.startRun(jobId: "job-1", reason: .yield)
        #expect(try store.record(event("job-1", .resumed, epoch: 2, time: 5)).status == .running)
        #expect(try store.record(event("job-1", .sleeping, epoch: 2, seq: 6, time: 6)).status == .sleeping)
        _ = try store.startRun(jobId: "job-1", reason: .timer)
        #expect(try store.record(event("job-1", .resumed, epoch: 3, time: 7)).status == .running)
        let done = try store.record(event("job-1", .completed, epoch: 3, time: 8, result: .object([("invoices", .number(300))])))
        #expect(done == RecordOutcome(disposition: .applied, status: .completed, latestSnapshotSeq: nil))
        let job = try #require(try store.job("job-1"))
        #expect(job.job.result == .object([("invoices", .number(300))]))
        #expect(job.history.filter { $0.type != "run" }.map(\.type)
                == ["accepted", "started", "checkpointed", "log", "yielded", "resumed", "sleeping", "resumed", "completed"])
        #expect(job.history.first { $0.type == "log" }?.detail == #"["hi"]"#)
    }

    @Test func failedKeepsTheError() throws {
        let failure = JobFailure(name: "SyntaxError", message: "unexpected token at 3:7", stack: "at main (job.js:3:7)")
        _ = try store.record(event("job-1", .failed, error: failure))
        #expect(try store.job("job-1")?.job.error == failure)
        #expect(try store.job("job-1")?.job.status == .failed)
    }

    @Test func terminalJobsNeverChange() throws {
        _ = try store.record(event("job-1", .completed, time: 5, result: .number(42)))
        for late in [event("job-1", .started, time: 6), event("job-1", .failed, time: 7, error: JobFailure(name: "E", message: "m")),
                     event("job-1", .sleeping, time: 8, detail: "99"), event("job-1", .yielded, time: 9)] {
            guard case .ignored(let why) = try store.record(late).disposition else { Issue.record("\(late.type) must be ignored"); continue }
            #expect(why.contains("completed"))
        }
        let job = try #require(try store.job("job-1")?.job)
        #expect(job.status == .completed)
        #expect(job.result == .number(42))
        #expect(job.error == nil)
        #expect(try store.dueTimers(now: 1_000).isEmpty)
    }

    @Test func zombieEpochEventsChangeNothing() throws {
        _ = try store.record(event("job-1", .started))
        _ = try store.startRun(jobId: "job-1", reason: .recover) // epoch 2
        let zombie = try store.record(event("job-1", .failed, epoch: 1, time: 2, error: JobFailure(name: "fenced", message: "superseded")))
        guard case .ignored(let why) = zombie.disposition else { Issue.record("a zombie's failure must be ignored"); return }
        #expect(why.contains("superseded"))
        #expect(try store.status("job-1") == .running)
        #expect(try store.record(event("job-1", .completed, epoch: 2, time: 3, result: .null)).status == .completed)
    }

    @Test func redeliveredEventsAreIdempotent() throws {
        let started = event("job-1", .started, time: 10)
        #expect(try store.record(started).disposition == .applied)
        #expect(try store.record(started).disposition == .duplicate)
        let log = event("job-1", .log, seq: 2, time: 11, detail: "x")
        _ = try store.record(log)
        _ = try store.record(log)
        let completed = event("job-1", .completed, time: 12, result: .number(1))
        _ = try store.record(completed)
        #expect(try store.record(completed).disposition == .duplicate)
        #expect(try store.job("job-1")?.history.map(\.type) == ["accepted", "run", "started", "log", "completed"])
    }

    @Test func unknownJobsAreReported() throws {
        #expect(try store.record(event("ghost", .started)).disposition == .unknownJob)
    }

    @Test func longDetailsAreCut() throws {
        var options = CheckpointStoreOptions()
        options.maxHistoryDetail = 10
        let small = try CheckpointStore(inMemory: options)
        try small.registerNew(submission("j"))
        _ = try small.record(event("j", .log, detail: String(repeating: "z", count: 100)))
        #expect(try small.job("j")?.history.last?.detail == String(repeating: "z", count: 10) + "…")
    }
}

@Suite struct TimerTests {
    let store: CheckpointStore

    init() throws {
        store = try CheckpointStore(inMemory: .init())
        try store.registerNew(submission("early"))
        try store.registerNew(submission("late"))
    }

    @Test func sleepSnapshotsSetTimersThatComeDue() throws {
        #expect(try store.saveSnapshot(snapshot("late", seq: 2, epoch: 1, reason: "sleep", wakeAt: 9_000)) == .stored(pruned: 0, timerSet: true, jobStatus: .accepted))
        _ = try store.saveSnapshot(snapshot("early", seq: 2, epoch: 1, reason: "sleep", wakeAt: 5_000))
        #expect(try store.dueTimers(now: 4_999) == [])
        #expect(try store.dueTimers(now: 5_000) == [DueTimer(jobId: "early", wakeAt: 5_000)])
        #expect(try store.dueTimers(now: 10_000).map(\.jobId) == ["early", "late"])
        #expect(try store.nextTimer() == 5_000)
        #expect(try store.clearTimer(jobId: "early", wakeAt: 5_000))
        #expect(try store.dueTimers(now: 10_000).map(\.jobId) == ["late"])
    }

    @Test func clearingAFiredTimerKeepsANewerSleep() throws {
        _ = try store.saveSnapshot(snapshot("early", seq: 2, epoch: 1, reason: "sleep", wakeAt: 5_000))
        let due = try store.dueTimers(now: 6_000)
        _ = try store.startRun(jobId: "early", reason: .timer) // epoch 2
        // Before the service clears the fired timer, the resumed run sleeps again.
        _ = try store.saveSnapshot(snapshot("early", seq: 3, epoch: 2, reason: "sleep", wakeAt: 8_000))
        #expect(try store.clearTimer(jobId: "early", wakeAt: due[0].wakeAt) == false)
        #expect(try store.dueTimers(now: 8_000) == [DueTimer(jobId: "early", wakeAt: 8_000)])
    }

    @Test func sleepingEventCanCarryTheWakeUpTime() throws {
        _ = try store.record(event("early", .sleeping, seq: 2, detail: "5000"))
        #expect(try store.dueTimers(now: 5_000).map(\.jobId) == ["early"])
        _ = try store.record(event("late", .sleeping, seq: 2, detail: "a nap"))
        #expect(try store.dueTimers(now: .max).map(\.jobId) == ["early"], "a detail that is not a time sets no timer")
    }

    @Test func timersOfEndedJobsAreDropped() throws {
        _ = try store.saveSnapshot(snapshot("early", seq: 2, epoch: 1, reason: "sleep", wakeAt: 5_000))
        _ = try store.record(event("early", .failed, error: JobFailure(name: "E", message: "m")))
        #expect(try store.dueTimers(now: 10_000).isEmpty)
        #expect(try store.nextTimer() == nil)
    }
}
