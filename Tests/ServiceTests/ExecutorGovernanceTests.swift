import Foundation
import LazarusKafka
import LazarusWire
import Testing

/// Job ids `prefix-N` that share `anchor`'s partition, so the executor handles their
/// messages in the order they were sent.
func jobIds(_ prefix: String, count: Int, samePartitionAs anchor: String) -> [String] {
    let target = JobPartitioner.partition(for: anchor, partitionCount: 12)
    var ids: [String] = []
    var n = 0
    while ids.count < count {
        let id = "\(prefix)-\(n)"
        if JobPartitioner.partition(for: id, partitionCount: 12) == target { ids.append(id) }
        n += 1
    }
    return ids
}

@Suite("script-executor governance")
struct ExecutorGovernanceTests {
    static let governance = """
        {
          "default": {"instructionsPerSlice": 1000000000000},
          "tight":   {"instructionsPerSlice": 200000},
          "chatty":  {"maxCallsPerJob": 3},
          "solo":    {"maxConcurrentJobs": 1},
          "small":   {"maxHeapBytes": 4000000}
        }
        """

    @Test("an endless loop fails with governance-exceeded under policy explicit; other jobs keep running meanwhile")
    func runawayScriptsAreStopped() async throws {
        let harness = try await ExecutorHarness.start("governance", governance: Self.governance)
        let host = FakeObjectHost(harness)
        defer { host.cancel() }

        // A spinner of a tenant with a huge budget: it runs for the rest of the test, in quanta.
        try await harness.run("job-spinner", "let n = 0; while (true) { n++; }", tenant: "roomy")
        _ = try await harness.event("job-spinner", .started)
        // Jobs of other tenants are served between the spinner's quanta.
        try await harness.run("job-loop", "let n = 0; while (true) { n++; }", tenant: "tight")
        try await harness.run("job-ok", "function main() { return now() + 1; }", tenant: "roomy")

        let ok = try await harness.end("job-ok")
        #expect(ok.type == .completed)
        #expect(ok.result == .number(1_700_000_000_001))

        let loop = try await harness.end("job-loop")
        #expect(loop.type == .failed)
        #expect(loop.error?.name == "governance-exceeded")
        #expect(loop.error?.message.contains("200000") == true)
        #expect(harness.calls("job-loop").isEmpty, "no synthetic yield under policy explicit")
        #expect(!harness.events("job-spinner").contains { $0.isTerminal }, "the spinner is still running")

        // Calls per job.
        try await harness.run("job-chatty", "function main() { for (let i = 0; i < 5; i++) now(); return 'done'; }", tenant: "chatty")
        let chatty = try await harness.end("job-chatty")
        #expect(chatty.type == .failed)
        #expect(chatty.error?.name == "governance-exceeded")
        #expect(harness.calls("job-chatty").map(\.seq).max() == 3)

        // Heap: a catchable RangeError, uncaught here.
        try await harness.run("job-hog", "const a = []; while (true) { a.push('x' + a.length); }", tenant: "small")
        let hog = try await harness.end("job-hog")
        #expect(hog.type == .failed)
        #expect(hog.error?.name == "RangeError")
        #expect(hog.error?.message.contains("heap") == true, "message: \(hog.error?.message ?? "")")

        await harness.stop()
    }

    @Test("a tenant's extra jobs wait for a slot")
    func tenantConcurrencyIsLimited() async throws {
        let harness = try await ExecutorHarness.start("solo", governance: Self.governance)
        let ids = jobIds("job-solo", count: 3, samePartitionAs: "job-solo-0")
        let (first, second, marker) = (ids[0], ids[1], ids[2])
        try await harness.run(first, "function main() { return now(); }", tenant: "solo")
        let firstCall = try await harness.call(first, seq: 1)
        try await harness.run(second, "function main() { return now(); }", tenant: "solo")
        try await harness.run(marker, "function main() { return now(); }", tenant: "other")
        // The marker's run command comes after the second's in the same partition: once the
        // marker runs, the executor has seen the second one, and must have queued it.
        let markerCall = try await harness.call(marker, seq: 1)
        #expect(harness.calls(second).isEmpty)
        #expect(!harness.events(second).contains { $0.type == .started })

        try await harness.reply(firstCall, result: .number(1))
        #expect(try await harness.end(first).result == .number(1))
        let secondCall = try await harness.call(second, seq: 1)
        try await harness.reply(secondCall, result: .number(2))
        #expect(try await harness.end(second).result == .number(2))
        try await harness.reply(markerCall, result: .number(3))
        #expect(try await harness.end(marker).result == .number(3))
        await harness.stop()
    }
}
