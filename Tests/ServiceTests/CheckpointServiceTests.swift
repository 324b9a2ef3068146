import Foundation
import LazarusCheckpointStore
import LazarusKafka
import LazarusService
import LazarusWire
import Testing

/// `checkpoint-service` as a real process against a private dev broker. Every test waits
/// for conditions (a message on a topic, a row in the service's database, a log line);
/// "nothing else was issued" is shown with the service's own database, or with a fence
/// message on the same partition (processed in order), never by sleeping.
@Suite(.serialized)
struct CheckpointServiceTests {
    // MARK: - Registration

    @Test func submissionIsAcceptedAndRunOnItsPartitionOnce() async throws {
        let h = try await CheckpointHarness.start("submit")
        try h.startService()
        let jobId = "job-submit-1"
        let submission = JobSubmission(jobId: jobId, tenant: "acme", script: "records.create('a', {n: args.n})",
                                       args: .object([("n", .number(7))]), policy: .default)
        try await h.probe.send(submission, to: LazarusTopics.jobs)

        let accepted = try await h.waitForEvent(jobId, .accepted)
        let (run, message) = try await h.waitForRun(jobId, epoch: 1)
        #expect(accepted.tenant == "acme")
        #expect(run.reason == "start")
        #expect(run.snapshot == nil && run.snapshotSeq == nil)
        #expect(run.program == submission.script && run.tenant == "acme" && run.args == submission.args)
        let partition = JobPartitioner.partition(for: jobId, partitionCount: CheckpointHarness.partitions)
        #expect(message.partition == Int32(partition), "run commands go to the job's partition")
        #expect(try h.store().jobRecord(jobId)?.partition == partition)

        // The same submission again, then a fence on the same partition of lazarus.jobs: once
        // the fence is answered the duplicate was processed, and anything it had produced
        // would precede the fence's output on the same output partitions.
        try await h.probe.send(submission, to: LazarusTopics.jobs)
        let fence = CheckpointHarness.jobId("fence", partition: partition)
        try await h.submit(fence)
        _ = try await h.waitForEvent(fence, .accepted)
        _ = try await h.waitForRun(fence, epoch: 1)
        #expect(h.runs(of: jobId).count == 1, "a duplicate submission issues no run")
        #expect(h.events(of: jobId, .accepted).count == 1, "a duplicate submission is not announced again")
        #expect(try h.store().jobRecord(jobId)?.runsIssued == 1)
        await h.stop()
    }

    // MARK: - Yield

    @Test func yieldRunIsIssuedOnceBothHalvesAreIn() async throws {
        let h = try await CheckpointHarness.start("yield")
        try h.startService()
        let a = "job-yield-snapshot-first"
        let b = "job-yield-event-first"
        try await h.submit(a)
        try await h.submit(b)
        _ = try await h.waitForRun(a, epoch: 1)
        _ = try await h.waitForRun(b, epoch: 1)
        let store = try h.store()

        // a: the proxy's yield snapshot first, then the executor's `yielded` event.
        try await h.probe.send(h.snapshot(a, seq: 3, reason: "yield", bytes: [1, 2, 3]), to: LazarusTopics.snapshots)
        try await waitUntil("the yield snapshot of \(a) is stored") { try store.jobRecord(a)?.lastSnapshotSeq == 3 }
        #expect(try store.jobRecord(a)?.runsIssued == 1, "no yield run before the executor let the VM go")
        try await h.probe.send(h.event(a, .yielded, seq: 3), to: LazarusTopics.jobEvents)

        // b: an older afterWrite snapshot, then `yielded` (seq 4) overtakes its yield snapshot.
        try await h.probe.send(h.snapshot(b, seq: 2, reason: "afterWrite", bytes: [2]), to: LazarusTopics.snapshots)
        try await waitUntil("the afterWrite snapshot of \(b) is stored") { try store.jobRecord(b)?.lastSnapshotSeq == 2 }
        try await h.probe.send(h.event(b, .yielded, seq: 4), to: LazarusTopics.jobEvents)
        try await waitUntil("\(b) is yielded") { try store.jobRecord(b)?.status == .yielded }
        #expect(try store.jobRecord(b)?.runsIssued == 1, "not re-run from the older snapshot while the yield snapshot is missing")
        try await h.probe.send(h.snapshot(b, seq: 4, reason: "yield", bytes: [4, 4]), to: LazarusTopics.snapshots)

        for (jobId, seq, bytes) in [(a, 3, Data([1, 2, 3])), (b, 4, Data([4, 4]))] {
            let (run, _) = try await h.waitForRun(jobId, epoch: 2)
            #expect(run.reason == "yield")
            #expect(run.snapshotSeq == seq)
            #expect(run.snapshot == bytes)
            #expect(try store.jobRecord(jobId)?.runsIssued == 2, "exactly one yield run")
        }
        await h.stop()
    }

    // MARK: - Save-state points

    /// Under policy `always` every host call is a save-state point: its snapshot is the
    /// store's record of it, and its `checkpointed` event (for watchers) adds no history row.
    @Test func checkpointedEventsAddNoHistoryRowsButTheirSnapshotsAreStored() async throws {
        let h = try await CheckpointHarness.start("checkpointed")
        try h.startService()
        let jobId = "job-checkpointed"
        try await h.submit(jobId)
        _ = try await h.waitForRun(jobId, epoch: 1)
        let store = try h.store()
        for seq in 1...3 {
            try await h.probe.send(h.snapshot(jobId, seq: seq, reason: "always", bytes: [UInt8(seq)]), to: LazarusTopics.snapshots)
            try await h.probe.send(h.event(jobId, .checkpointed, seq: seq, detail: "always"), to: LazarusTopics.jobEvents)
        }
        // A `log` after them on the same partition of lazarus.job-events: once it is in the
        // history, the three `checkpointed` events before it were handled.
        try await h.probe.send(h.event(jobId, .log, detail: "fence"), to: LazarusTopics.jobEvents)
        try await waitUntil("the fence log event is in the history") {
            try store.job(jobId)?.history.contains { $0.type == "log" } == true
        }
        try await waitUntil("the three snapshots are stored") { try store.jobRecord(jobId)?.lastSnapshotSeq == 3 }
        let job = try #require(try store.job(jobId))
        #expect(!job.history.contains { $0.type == "checkpointed" })
        #expect(try store.snapshots(jobId: jobId).map(\.seq) == [1, 2, 3])
        await h.stop()
    }

    // MARK: - Operator actions

    @Test func cancelEndsTheJobAndNoRunFollows() async throws {
        let h = try await CheckpointHarness.start("cancel")
        try h.startService()
        let jobId = "job-cancel"
        try await h.submit(jobId)
        _ = try await h.waitForRun(jobId, epoch: 1)
        try await h.probe.send(ControlMessage(jobId: jobId, command: .cancel, requestedBy: "test-operator"), to: LazarusTopics.control)
        let cancelled = try await h.waitForEvent(jobId, .cancelled)
        #expect(cancelled.tenant == CheckpointHarness.tenant)
        let store = try h.store()
        #expect(try store.jobRecord(jobId)?.status == .cancelled)

        // A yield that was already under way arrives afterwards: both halves.
        try await h.probe.send(h.snapshot(jobId, seq: 2, reason: "yield", bytes: [7]), to: LazarusTopics.snapshots)
        try await h.probe.send(h.event(jobId, .yielded, seq: 2), to: LazarusTopics.jobEvents)
        // Fences: a snapshot of an unknown job on the same partition of lazarus.snapshots
        // (dead-lettered, so visible), and the yielded event showing up in the history.
        let partition = JobPartitioner.partition(for: jobId, partitionCount: CheckpointHarness.partitions)
        let fence = CheckpointHarness.jobId("unknown", partition: partition)
        try await h.probe.send(h.snapshot(fence, seq: 1, reason: "yield", bytes: [0]), to: LazarusTopics.snapshots)
        try await waitUntil("the fence is dead-lettered") { h.probe.deadLetters().contains { $0.keyBase64 == h.base64(fence) } }
        try await waitUntil("the late yielded event is in the history") {
            try store.job(jobId)?.history.contains { $0.type == "yielded" } == true
        }
        #expect(try store.jobRecord(jobId)?.runsIssued == 1, "a cancelled job gets no further run")
        #expect(try store.jobRecord(jobId)?.status == .cancelled)

        // Cancelling again, or an unknown job, is answered with a clear error event.
        try await h.probe.send(ControlMessage(jobId: jobId, command: .cancel), to: LazarusTopics.control)
        try await h.probe.send(ControlMessage(jobId: "job-nobody", command: .cancel), to: LazarusTopics.control)
        let again = try await h.waitForEvent(jobId, .log) { $0.error?.name == "cancel-refused" }
        #expect(again.error?.message.contains("already ended cancelled") == true)
        let unknown = try await h.waitForEvent("job-nobody", .log) { $0.error?.name == "cancel-refused" }
        #expect(unknown.error?.message.contains("no job 'job-nobody'") == true)
        let runs = h.runs(of: jobId).map(\.0)
        #expect(runs.filter { !$0.isCancellation }.count == 1)
        #expect(runs.filter(\.isCancellation).map(\.epoch) == [2], "one stop order, at a newer epoch, for the executor")
        await h.stop()
    }

    @Test func restoreToAKeptSeqRunsFromItAndAMissingSeqIsExplained() async throws {
        let h = try await CheckpointHarness.start("restore")
        try h.startService()
        let jobId = "job-restore"
        try await h.submit(jobId)
        _ = try await h.waitForRun(jobId, epoch: 1)
        let store = try h.store()
        try await h.probe.send(h.snapshot(jobId, seq: 2, reason: "checkpoint", bytes: [2, 2]), to: LazarusTopics.snapshots)
        try await h.probe.send(h.snapshot(jobId, seq: 4, reason: "checkpoint", bytes: [4, 4]), to: LazarusTopics.snapshots)
        try await waitUntil("both snapshots are stored") { try store.jobRecord(jobId)?.lastSnapshotSeq == 4 }

        try await h.probe.send(ControlMessage(jobId: jobId, command: .restore, seq: 2, requestedBy: "test-operator"), to: LazarusTopics.control)
        let (run, _) = try await h.waitForRun(jobId, epoch: 2)
        #expect(run.reason == "restore")
        #expect(run.snapshotSeq == 2)
        #expect(run.snapshot == Data([2, 2]))

        try await h.probe.send(ControlMessage(jobId: jobId, command: .restore, seq: 99), to: LazarusTopics.control)
        let refused = try await h.waitForEvent(jobId, .log) { $0.error?.name == "restore-refused" }
        #expect(refused.error?.message.contains("no snapshot at seq 99") == true)
        #expect(refused.error?.message.contains("kept snapshots are at seq 2, 4") == true)

        try await h.probe.send(ControlMessage(jobId: "job-unknown", command: .restore, seq: 1), to: LazarusTopics.control)
        let unknown = try await h.waitForEvent("job-unknown", .log) { $0.error?.name == "restore-refused" }
        #expect(unknown.error?.message.contains("no job 'job-unknown'") == true)
        #expect(try store.jobRecord(jobId)?.runsIssued == 2, "a refused restore issues nothing")
        await h.stop()
    }

    // MARK: - Bad input

    @Test func badInputOnEveryTopicIsDeadLetteredAndTheServiceGoesOn() async throws {
        let h = try await CheckpointHarness.start("bad-input")
        let service = try h.startService()
        let topics = [LazarusTopics.jobs, LazarusTopics.snapshots, LazarusTopics.jobEvents, LazarusTopics.control]
        let bad: [(label: String, bytes: [UInt8])] = [
            ("garbage", [0xFF, 0x00, 0x13, 0x37]),
            ("invalid-json", Array("{\"v\":1,".utf8)),
            ("wrong-shape", Array("{\"v\":1,\"jobId\":\"shape\",\"epoch\":\"one\"}".utf8)),
            ("wrong-version", Array("{\"v\":2,\"jobId\":\"version\"}".utf8)),
        ]
        var keys: [String: String] = [:]  // key → topic
        for topic in topics {
            for (label, bytes) in bad {
                let key = "bad-\(label)-\(topic)"
                keys[key] = topic
                try await h.probe.sendRaw(bytes, to: topic, key: key)
            }
        }
        // Decodable but unusable requests.
        try await h.probe.send(ControlMessage(jobId: "executor-x", command: .recover, partitions: []), to: LazarusTopics.control)
        try await h.probe.send(ControlMessage(jobId: "executor-y", command: .recover, partitions: [99]), to: LazarusTopics.control)
        try await h.probe.send(ControlMessage(jobId: "job-r", command: .restore), to: LazarusTopics.control)
        try await h.probe.send(h.snapshot("job-never-submitted", seq: 1, reason: "checkpoint", bytes: [1]), to: LazarusTopics.snapshots)
        keys["executor-x"] = LazarusTopics.control
        keys["executor-y"] = LazarusTopics.control
        keys["job-r"] = LazarusTopics.control
        keys["job-never-submitted"] = LazarusTopics.snapshots

        try await waitUntil("every bad message is dead-lettered") {
            let letters = h.probe.deadLetters()
            return keys.keys.allSatisfy { key in letters.contains { $0.keyBase64 == h.base64(key) } }
        }
        let letters = h.probe.deadLetters()
        for (key, topic) in keys {
            let letter = try #require(letters.first { $0.keyBase64 == h.base64(key) })
            #expect(letter.sourceTopic == topic)
            #expect(!letter.reason.isEmpty)
        }
        func reason(_ key: String) -> String { letters.first { $0.keyBase64 == h.base64(key) }?.reason ?? "" }
        #expect(reason("executor-x").contains("non-empty 'partitions'"))
        #expect(reason("executor-y").contains("partition 99 does not exist"))
        #expect(reason("job-r").contains("restore needs 'seq'"))
        #expect(reason("job-never-submitted").contains("unknown job"))
        #expect(reason("bad-wrong-shape-\(LazarusTopics.jobs)").contains("tenant"), "the reason names what is wrong")

        // An unreadable submission that names a job id is also answered on the job's stream.
        let unreadable = try await h.waitForEvent("shape", .rejected)
        #expect(unreadable.error?.name == "invalid-submission")

        // Oversize script, args that are not an object: refused with a clear error, no run.
        let big = JobSubmission(jobId: "job-big", tenant: CheckpointHarness.tenant, script: String(repeating: "x", count: 300 * 1024))
        try await h.probe.send(big, to: LazarusTopics.jobs)
        try await h.probe.send(JobSubmission(jobId: "job-args", tenant: CheckpointHarness.tenant, script: "1", args: .array([])), to: LazarusTopics.jobs)
        let tooLarge = try await h.waitForEvent("job-big", .rejected)
        #expect(tooLarge.error?.name == "too-large")
        #expect(tooLarge.error?.message.contains("the limit is 262144") == true)
        let badArgs = try await h.waitForEvent("job-args", .rejected)
        #expect(badArgs.error?.message.contains("args must be a JSON object") == true)

        // Still serving.
        try await h.submit("job-after-bad-input")
        _ = try await h.waitForRun("job-after-bad-input", epoch: 1)
        #expect(h.runs(of: "job-big").isEmpty && h.runs(of: "job-args").isEmpty)
        #expect(service.isRunning)

        service.signal(SIGTERM)
        #expect(await service.waitForExit() == 0, "SIGTERM is a clean exit")
        await h.stop()
    }
}
