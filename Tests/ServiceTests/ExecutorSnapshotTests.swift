import Foundation
import LazarusKafka
import LazarusWire
import Testing

// Behaviour that needs the engine's snapshot codec (continuations attached to calls, resuming
// from a snapshot). Enabled by `executorHasSnapshotCodec` in ExecutorHarnessTests.swift.

@Suite("script-executor continuations")
struct ExecutorSnapshotTests {
    @Test("without the codec, a save point fails the job with a clear error", .enabled(if: !executorHasSnapshotCodec))
    func savePointsFailClearlyWithoutTheCodec() async throws {
        let harness = try await ExecutorHarness.start("nocodec")
        try await harness.run("job-checkpoint", "function main() { checkpoint('a'); return 1; }")
        try await harness.run("job-write", "function main() { return records.create('x', {}).id; }", policy: .afterWrite)
        for job in ["job-checkpoint", "job-write"] {
            let end = try await harness.end(job)
            #expect(end.type == .failed)
            #expect(end.error?.name == "snapshot-failed")
            #expect(end.error?.message.contains("snapshots not available in this build") == true)
            #expect(harness.calls(job).isEmpty)
        }
        try await harness.run("job-restore", "function main() { return 1; }", epoch: 2, snapshot: Data([1, 2, 3]), snapshotSeq: 4, reason: "recover")
        let restore = try await harness.end("job-restore")
        #expect(restore.error?.name == "snapshot-invalid")
        #expect(restore.error?.message.contains("snapshots not available in this build") == true)
        await harness.stop()
    }

    @Test("continuations are attached exactly at the policy's save points", .enabled(if: executorHasSnapshotCodec, "needs the snapshot codec"))
    func continuationsAtSavePoints() async throws {
        let harness = try await ExecutorHarness.start("savepoints")
        let host = FakeObjectHost(harness)
        defer { host.cancel() }
        try await harness.run("job-save", """
            function main() {
              const t = now();
              const r = records.create("invoice", {t: t});
              checkpoint("after-create");
              return r.id;
            }
            """, policy: .afterWrite)
        _ = try await harness.end("job-save")
        let calls = harness.calls("job-save").sorted { $0.seq < $1.seq }
        #expect(calls.map(\.op) == ["now", "records.create", "checkpoint"])
        #expect(calls[0].continuation == nil)
        #expect(calls[1].continuation != nil)
        #expect(calls[2].continuation != nil)
        #expect(calls[2].args == [.string("after-create")])
        #expect(calls.allSatisfy { $0.lastSnapshotAt != nil })
        await harness.stop()
    }

    @Test("a VM restored from a snapshot re-issues the call it was waiting on, with the same seq", .enabled(if: executorHasSnapshotCodec, "needs the snapshot codec"))
    func resumeReissuesThePendingCall() async throws {
        let harness = try await ExecutorHarness.start("resume")
        let script = """
            function main() {
              const t = now();
              const r = records.create("invoice", {t: t});
              return [t, r.id];
            }
            """
        try await harness.run("job-resume", script, policy: .afterWrite)
        let now = try await harness.call("job-resume", seq: 1)
        try await harness.reply(now, result: .number(10))
        let create = try await harness.call("job-resume", seq: 2, epoch: 1)
        let snapshot = try #require(create.continuation)
        // The executor "crashed": the checkpoint service re-issues the job from that snapshot.
        try await harness.run("job-resume", script, epoch: 2, policy: .afterWrite, snapshot: snapshot, snapshotSeq: 2, reason: "recover")
        let resumed = try await harness.event("job-resume", .resumed)
        #expect(resumed.seq == 2 && resumed.epoch == 2)
        let again = try await harness.call("job-resume", seq: 2, epoch: 2)
        #expect(again.op == create.op && again.args == create.args)
        try await harness.reply(create, result: .object([("id", .string("stale"))]))  // epoch 1: ignored
        try await harness.reply(again, result: .object([("id", .string("r-1"))]))
        let end = try await harness.end("job-resume")
        #expect(end.epoch == 2)
        #expect(end.result == .array([.number(10), .string("r-1")]))
        #expect(!harness.calls("job-resume").contains { $0.epoch == 2 && $0.seq == 1 }, "the journaled now() is not called again")
        await harness.stop()
    }

    @Test("with a snapshot key, continuations are signed and a forged or unsigned one is refused before decoding", .enabled(if: executorHasSnapshotCodec, "needs the snapshot codec"))
    func signedContinuationsRefuseForgeries() async throws {
        let directory = try temporaryDirectory("executor-signed-key")
        let keyFile = directory.appendingPathComponent("snapshot.key")
        try Data("0123456789abcdef0123456789abcdef\n".utf8).write(to: keyFile)
        let harness = try await ExecutorHarness.start("signed", arguments: ["--snapshot-key-file", keyFile.path])
        let script = "function main() { const r = records.create('invoice', {n: 1}); return r.id; }"
        try await harness.run("job-signed", script, policy: .afterWrite)
        let create = try await harness.call("job-signed", seq: 1)
        let signed = try #require(create.continuation)

        // The same state with one byte changed mid-snapshot (its CRC no longer matters: the
        // signature is checked first), and the genuine engine bytes without their signature.
        var forged = signed
        forged[forged.count / 2] ^= 0x01
        let unsigned = signed.dropLast(32)
        for (jobId, bytes) in [("job-forged", forged), ("job-unsigned", Data(unsigned))] {
            try await harness.run(jobId, script, epoch: 2, policy: .afterWrite, snapshot: bytes, snapshotSeq: 1, reason: "recover")
            let end = try await harness.end(jobId)
            #expect(end.type == .failed)
            #expect(end.error?.name == "snapshot-invalid")
            #expect(end.error?.message.contains("not signed with this deployment's key") == true, "\(end.error?.message ?? "")")
        }

        // The executor is fine, and the genuine signed snapshot resumes.
        try await harness.run("job-signed", script, epoch: 2, policy: .afterWrite, snapshot: signed, snapshotSeq: 1, reason: "recover")
        let again = try await harness.call("job-signed", seq: 1, epoch: 2)
        try await harness.reply(again, result: .object([("id", .string("r-1"))]))
        let end = try await harness.end("job-signed")
        #expect(end.type == .completed && end.result == .string("r-1"))
        await harness.stop()
    }

    @Test("checkpoint() answers \"resumed\" in a restored VM; yieldScript/sleep let the VM go and continue from their snapshot", .enabled(if: executorHasSnapshotCodec, "needs the snapshot codec"))
    func checkpointYieldAndSleepResume() async throws {
        let harness = try await ExecutorHarness.start("savepoints-resume")
        let script = """
            function main() {
              const c = checkpoint("one");
              yieldScript();
              sleep(5);
              return c;
            }
            """
        try await harness.run("job-points", script)
        let checkpoint = try await harness.call("job-points", seq: 1)
        let checkpointSnapshot = try #require(checkpoint.continuation)
        // Restore at the checkpoint: the executor answers it itself with "resumed".
        try await harness.run("job-points", script, epoch: 2, snapshot: checkpointSnapshot, snapshotSeq: 1, reason: "recover")
        let yield = try await harness.call("job-points", seq: 2, epoch: 2)
        #expect(yield.op == "yieldScript")
        _ = try await harness.event("job-points", .yielded)
        #expect(!harness.calls("job-points").contains { $0.epoch == 2 && $0.seq == 1 })
        // The checkpoint service re-queues the yield: epoch 3 from the yield's snapshot.
        let yieldSnapshot = try #require(yield.continuation, "a yield is a save point: its call carries the state")
        try await harness.run("job-points", script, epoch: 3, snapshot: yieldSnapshot, snapshotSeq: 2, reason: "yield")
        let sleep = try await harness.call("job-points", seq: 3, epoch: 3)
        #expect(sleep.op == "sleep" && sleep.args == [.number(5)])
        _ = try await harness.event("job-points", .sleeping)
        // The timer fires: epoch 4 from the sleep's snapshot.
        let sleepSnapshot = try #require(sleep.continuation, "a sleep is a save point: its call carries the state")
        try await harness.run("job-points", script, epoch: 4, snapshot: sleepSnapshot, snapshotSeq: 3, reason: "timer")
        let end = try await harness.end("job-points")
        #expect(end.epoch == 4)
        #expect(end.result == .object([("status", .string("resumed")), ("label", .string("one"))]))
        await harness.stop()
    }

    @Test("with yielding allowed, an endless loop yields at every exhausted budget and makes progress across slices", .enabled(if: executorHasSnapshotCodec, "needs the snapshot codec"))
    func budgetExhaustionYields() async throws {
        let harness = try await ExecutorHarness.start("yield", governance: #"{"default": {"instructionsPerSlice": 300000}}"#)
        let script = "let i = 0; function main() { while (i < 400000) { i++; } return i; }"
        try await harness.run("job-yield", script, policy: .afterWrite)
        var epoch = 1
        var yields = 0
        while true {
            let e = epoch
            var found: HostCallRequest?
            var finished: JobEvent?
            try await waitUntil("a synthetic yield or the end at epoch \(e)", timeout: .seconds(120)) {
                found = harness.calls("job-yield").first { $0.epoch == e && $0.op == "yieldScript" }
                finished = harness.events("job-yield").first { $0.isTerminal }
                return found != nil || finished != nil
            }
            if let finished {
                #expect(finished.type == .completed)
                #expect(finished.result == .number(400000))
                break
            }
            let yield = try #require(found)
            #expect(yield.continuation != nil)
            #expect(yield.seq == yields + 1, "a synthetic yield takes the next seq")
            yields += 1
            epoch += 1
            try await harness.run("job-yield", script, epoch: epoch, policy: .afterWrite, snapshot: yield.continuation,
                                  snapshotSeq: yield.seq, reason: "yield")
        }
        #expect(yields >= 2, "the loop needed more than one slice")
        await harness.stop()
    }
}
