import Foundation
import LazarusKafka
import LazarusObjectStore
import LazarusWire
import Testing

/// DESIGN.md "Governance per tenant", whole stack: an endless loop is sliced by the
/// instruction budget — it yields and goes on where it was when yielding is allowed, and
/// fails with `governance-exceeded` when not — and an operator can cancel it.
@Suite("Whole stack: governance", .serialized)
struct WholeStackGovernanceTests {
    /// Tenant `loop` may run 200,000 instructions between two host calls.
    static let governance = #"{"loop": {"instructionsPerSlice": 200000}}"#

    /// Never ends; writes (and logs) a `tick` every 40,000 iterations (several budgets' worth
    /// of work), so the ticks show how far the loop got: 40000, 80000, … only if each slice
    /// goes on from the state the previous one saved.
    static let endlessLoop = """
        function main() {
          var n = 0;
          while (true) {
            n++;
            if (n % 40000 === 0) { records.create("tick", {n: n}); log("tick", n); }
          }
        }
        """

    @Test func anEndlessLoopYieldsAcrossSlicesFailsWithoutYieldingAndCanBeCancelled() async throws {
        let config = try temporaryDirectory("governance-config").appendingPathComponent("governance.json")
        try Data(Self.governance.utf8).write(to: config)
        let stack = try await LazarusStack(label: "e2e-governance", executorArguments: ["--governance", config.path])
        let store = try stack.objectStore()
        func ticks() throws -> [Int] {
            try store.records(tenant: "loop", type: "tick").compactMap { $0.fields["n"]?.numberValue }.map { Int($0) }.sorted()
        }

        // Yielding allowed (afterWrite): the loop runs slice after slice, each resumed from
        // the previous one's synthetic yield.
        let loop = try await stack.submit(Self.endlessLoop, tenant: "loop", policy: .afterWrite)
        try await waitUntil("the loop wrote 3 ticks over several slices", timeout: .seconds(180)) {
            let events = stack.events(of: loop)
            return try ticks().count >= 3 && events.filter { $0.type == .yielded }.count >= 3
                && events.filter { $0.type == .resumed }.count >= 3
        }
        let progress = try ticks()
        #expect(progress.prefix(3) == [40000, 80000, 120000], "each slice goes on from the last: \(progress.prefix(5))")
        // Each executed log(...) is one `log` event (none doubled by a replay).
        try await waitUntil("the first ticks were logged") {
            stack.events(of: loop).filter { $0.type == .log }.count >= 3
        }
        let logged = stack.events(of: loop).filter { $0.type == .log }.compactMap(\.detail)
        #expect(Array(logged.prefix(3)) == ["tick 40000", "tick 80000", "tick 120000"], "log events: \(logged.prefix(5))")
        let yields = stack.events(of: loop).filter { $0.type == .yielded }
        #expect(yields.allSatisfy { $0.detail?.contains("200000") == true }, "yields name the budget: \(yields.first?.detail ?? "")")
        let resumedEpochs = stack.events(of: loop).filter { $0.type == .resumed }.compactMap(\.epoch)
        #expect(resumedEpochs == resumedEpochs.sorted() && Set(resumedEpochs).count == resumedEpochs.count,
                "every slice runs at a new epoch: \(resumedEpochs)")

        // Yielding not allowed (explicit): the same loop fails with governance-exceeded.
        let strict = try await stack.submit(Self.endlessLoop, tenant: "loop", policy: .explicit)
        let failure = try await stack.waitForEnd(of: [strict])[strict]!
        #expect(failure.type == .failed)
        #expect(failure.error?.name == "governance-exceeded")
        #expect(failure.error?.message.contains("200000") == true, "names the budget: \(failure.error?.message ?? "")")

        // `lazarus cancel` ends the yielding loop.
        let (status, output) = try await stack.cli(["cancel", loop])
        #expect(status == 0, "lazarus cancel: \(output)")
        let cancelled = try #require(stack.terminalEvent(of: loop))
        #expect(cancelled.type == .cancelled)
        let lastEpoch = try #require(cancelled.epoch)
        // The stop order reaches the executor: the slice running at the cancel is dropped,
        // and no slice follows it.
        try await stack.process(.scriptExecutor)?.waitForOutput("job cancelled: nothing more runs here")
        let ticksAtStop = try ticks()

        // The executor is healthy: a normal job of the same tenant completes.
        let normal = try await stack.submit(writerScript, tenant: "loop",
                                            args: .object([("count", .string("3")), ("tag", .string("normal"))]))
        let end = try await stack.waitForEnd(of: [normal])[normal]!
        #expect(end.type == .completed, "\(end.error.map { "\($0.name): \($0.message)" } ?? end.type.rawValue)")
        try expectExactlyOnce(store, tenant: "loop", tag: "normal", count: 3)
        #expect(stack.process(.scriptExecutor)?.isRunning == true)

        #expect(!stack.events(of: loop).contains { ($0.type == .resumed || $0.type == .started) && ($0.epoch ?? 0) > lastEpoch },
                "no run after the cancel")
        #expect(try ticks().count <= ticksAtStop.count + 1, "the cancelled loop wrote at most the tick in flight at the stop")
        await stack.shutdown()
    }

    /// A job that never yields learns of its cancel too: the executor drops its VM.
    @Test func cancelStopsAJobThatNeverYields() async throws {
        let stack = try await LazarusStack(label: "e2e-cancel")
        try await stack.process(.checkpointService)?.waitForOutput("] recover")
        let id = try await stack.submit(writerScript, args: .object([("count", .string("1000")), ("tag", .string("c"))]),
                                        policy: .explicit)
        let store = try stack.objectStore()
        func written() throws -> Int { try store.records(tenant: "acme", type: "item", filter: [("tag", .string("c"))]).count }
        try await waitUntil("the job wrote some items") { try written() >= 5 }

        let (status, output) = try await stack.cli(["cancel", id])
        #expect(status == 0, "lazarus cancel: \(output)")
        #expect(stack.terminalEvent(of: id)?.type == .cancelled)
        try await stack.process(.scriptExecutor)?.waitForOutput("job cancelled: nothing more runs here")
        let atStop = try written()

        // The executor is healthy, and by the time a new job completed, the cancelled one
        // wrote at most the call that was in flight when its VM was dropped.
        let normal = try await stack.submit(writerScript, args: .object([("count", .string("3")), ("tag", .string("normal"))]))
        #expect(try await stack.waitForEnd(of: [normal])[normal]?.type == .completed)
        let final = try written()
        #expect(final <= atStop + 1, "\(final - atStop) items written after the stop")
        #expect(final < 1000)
        #expect(!stack.events(of: id).contains { $0.type == .completed }, "the cancelled job never completes")
        try expectExactlyOnce(store, tenant: "acme", tag: "c", count: final)
        await stack.shutdown()
    }
}
