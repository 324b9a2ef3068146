import Foundation
import LazarusKafka
import LazarusObjectStore
import LazarusWire
import Testing

/// DESIGN.md "Recovery": a zombie executor — paused, then continued after another executor
/// took its jobs over — is fenced by the object service and applies nothing.
@Suite("Whole stack: zombie fencing", .serialized)
struct FencingTests {
    /// Writes items 0..<count, with a long computation (`spin` iterations, seconds of CPU in
    /// a debug build) before item `spinAt`.
    static let spinningWriter = """
        function main(args) {
          var n = Number(args.count), spinAt = Number(args.spinAt), spin = Number(args.spin);
          var x = 0;
          for (var i = 0; i < n; i++) {
            if (i === spinAt) { for (var j = 0; j < spin; j++) { x = (x + j) % 1000; } }
            records.create("item", {tag: args.tag, n: i});
          }
          return {written: n, x: x};
        }
        """

    @Test func aPausedExecutorIsFencedAfterAStandbyRecoveredItsJob() async throws {
        // A stopped executor stops heartbeating; with a 4 s session (the dev broker needs
        // > 3 s) the group evicts it soon. A quantum larger than the job's computation:
        // the runner does not look at new events (the revocation) before the job's next
        // call, and the pipeline hands the runner no event while it waits for the call
        // result it is processing. So the executor is paused in the middle of that
        // computation, and when continued it finishes it and sends its next write at the
        // old epoch — deterministically a zombie write.
        let stack = try await LazarusStack(
            label: "fencing", executorArguments: ["--slice-instructions", "1000000000"],
            executorEnvironment: ["LAZARUS_KAFKA_SESSION_TIMEOUT_MS": "4000", "LAZARUS_LOG_LEVEL": "debug"],
            alsoWatching: [LazarusTopics.calls, LazarusTopics.objectReplies])
        let zombie = try #require(stack.process(.scriptExecutor))
        defer { zombie.signal(SIGCONT) }
        // The executor's startup `recover` is answered before the job exists (else it would
        // restart the fresh job at epoch 2, which is harmless but muddles the epochs).
        try await stack.process(.checkpointService)?.waitForOutput("] recover")

        let count = 20, spinAt = 10
        let id = try await stack.submit(Self.spinningWriter, args: .object([
            ("count", .string("\(count)")), ("spinAt", .string("\(spinAt)")), ("spin", .string("250000")), ("tag", .string("z")),
        ]))
        // The result of call `spinAt` (item spinAt − 1) starts the computation.
        try await waitUntil("the first executor resumed the job into its computation") {
            zombie.outputSoFar.split(separator: "\n").contains {
                $0.contains("job.id=\(id)") && $0.contains("call.seq=\(spinAt) ") && $0.hasSuffix("call result")
            }
        }
        zombie.signal(SIGSTOP)
        let pausedEpoch = try #require(stack.events(of: id).compactMap(\.epoch).max())
        let standby = try stack.startAnother(.scriptExecutor)

        let end = try #require(try await stack.waitForEnd(of: [id])[id])
        #expect(end.type == .completed, "\(end.error.map { "\($0.name): \($0.message)" } ?? end.type.rawValue)")
        let resumed = stack.events(of: id).filter { $0.type == .resumed }
        #expect(resumed.contains { ($0.epoch ?? 0) > pausedEpoch }, "the standby recovered the job after epoch \(pausedEpoch)")
        #expect(end.epoch ?? 0 > pausedEpoch)

        zombie.signal(SIGCONT)
        // Replies of the job are in one partition, in the order the object service executed
        // the calls: once it has executed a call of some epoch, every call of an older epoch
        // must be fenced. The zombie's write is one of them.
        func lateReplies() -> [CallReply] {
            var newest = 0
            var late: [CallReply] = []
            for reply in stack.probe.decoded(CallReply.self, on: LazarusTopics.objectReplies) where reply.jobId == id {
                if reply.epoch < newest { late.append(reply) } else { newest = reply.epoch }
            }
            return late
        }
        try await waitUntil("the zombie's write was answered", timeout: .seconds(120)) {
            lateReplies().contains { $0.epoch == pausedEpoch && $0.seq == spinAt + 1 }
        }
        try await waitUntil("the continued executor rejoined the group", timeout: .seconds(120)) {
            zombie.outputSoFar.components(separatedBy: "partitions assigned").count - 1 >= 2
        }
        try await waitUntil("every routed call was answered", timeout: .seconds(120)) {
            let calls = Set(stack.probe.decoded(HostCallRequest.self, on: LazarusTopics.calls)
                .filter { $0.jobId == id }.map { "\($0.epoch)#\($0.seq)" })
            let replies = Set(stack.probe.decoded(CallReply.self, on: LazarusTopics.objectReplies)
                .filter { $0.jobId == id }.map { "\($0.epoch)#\($0.seq)" })
            return calls.isSubset(of: replies)
        }
        for reply in lateReplies() {
            guard case .error(let error) = reply.outcome else {
                Issue.record("call seq \(reply.seq) of epoch \(reply.epoch) was executed after a newer epoch had begun")
                continue
            }
            #expect(error.code == "fenced", "seq \(reply.seq) epoch \(reply.epoch): \(error.code): \(error.message)")
        }

        let store = try stack.objectStore()
        try expectExactlyOnce(store, tenant: "acme", tag: "z", count: count)
        #expect(try store.epoch(jobId: id) ?? 0 > pausedEpoch)
        // Both executors are still serving: a new job completes.
        let after = try await stack.submit(writerScript, args: .object([("count", .string("3")), ("tag", .string("after"))]))
        #expect(try await stack.waitForEnd(of: [after])[after]?.type == .completed)
        try expectExactlyOnce(store, tenant: "acme", tag: "after", count: 3)

        standby.signal(SIGTERM)
        _ = await standby.waitForExit(timeout: .seconds(60))
        await stack.shutdown()
    }
}
