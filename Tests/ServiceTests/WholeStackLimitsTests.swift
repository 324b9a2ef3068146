import Foundation
import LazarusKafka
import LazarusObjectStore
import LazarusWire
import Testing

/// DESIGN.md guarantee 5, the size limits, whole stack: oversize scripts, arguments and
/// snapshots are refused with an error naming the limit; a snapshot just under the limit
/// (a Kafka message over librdkafka's default 1,000,000 bytes once base64-encoded) travels
/// the whole way: executor → proxy → checkpoint service → run command → executor.
@Suite("Whole stack: size limits", .serialized)
struct WholeStackLimitsTests {
    /// The snapshot limit (the checkpoint store's, the proxy's and the executor's default).
    static let maxContinuationBytes = 768 * 1024

    /// Keeps a string of `args.size` Latin-1 characters (one byte each in a snapshot) alive
    /// across a `yieldScript()` (snapshot, run command with it, restore) and a `checkpoint`.
    static let bigState = """
        function main(args) {
          var big = "x".repeat(Number(args.size));
          yieldScript();
          var saved = checkpoint("big");
          return {length: big.length, status: saved.status};
        }
        """

    @Test func oversizeInputIsRefusedAndALargeAllowedSnapshotTravels() async throws {
        let stack = try await LazarusStack(label: "e2e-limits")

        // Script over 256 KiB, args over 64 KiB: rejected at submission, naming the limit.
        let hugeScript = "function main() { return 1; }\n" + String(repeating: "var padding = 1;\n", count: 16_000)
        let script = try await stack.submit(hugeScript)
        let args = try await stack.submit("function main(args) { return args.pad.length; }",
                                          args: .object([("pad", .string(String(repeating: "y", count: 70_000)))]))
        // A script whose state outgrows the snapshot limit fails at its save point.
        let oversizeSnapshot = try await stack.submit(Self.bigState, args: .object([("size", .string("\(Self.maxContinuationBytes + 20_000)"))]),
                                                      policy: .explicit)
        // Just under the limit: about 1,040,000 bytes as base64 in the call, the snapshot and the run.
        let large = try await stack.submit(Self.bigState, args: .object([("size", .string("\(Self.maxContinuationBytes - 30_000)"))]),
                                           policy: .explicit)

        let ends = try await stack.waitForEnd(of: [script, args, oversizeSnapshot, large], timeout: .seconds(300))
        let scriptEnd = try #require(ends[script])
        #expect(scriptEnd.type == .rejected)
        #expect(scriptEnd.error?.name == "too-large")
        #expect(scriptEnd.error?.message.contains("\(256 * 1024)") == true, "names the limit: \(scriptEnd.error?.message ?? "")")
        let argsEnd = try #require(ends[args])
        #expect(argsEnd.type == .rejected)
        #expect(argsEnd.error?.name == "too-large")
        #expect(argsEnd.error?.message.contains("\(64 * 1024)") == true, "names the limit: \(argsEnd.error?.message ?? "")")

        let snapshotEnd = try #require(ends[oversizeSnapshot])
        #expect(snapshotEnd.type == .failed)
        #expect(snapshotEnd.error?.name == "snapshot-too-large")
        #expect(snapshotEnd.error?.message.contains("\(Self.maxContinuationBytes)") == true,
                "names the limit: \(snapshotEnd.error?.message ?? "")")

        let largeEnd = try #require(ends[large])
        #expect(largeEnd.type == .completed, "\(largeEnd.error.map { "\($0.name): \($0.message)" } ?? largeEnd.type.rawValue)")
        #expect(largeEnd.result?["length"] == .number(Double(Self.maxContinuationBytes - 30_000)))
        #expect(largeEnd.result?["status"] == .string("saved"))
        let snapshots = stack.probe.decoded(SnapshotEvent.self, on: LazarusTopics.snapshots).filter { $0.jobId == large }
        // (A job registered just before the executor's startup `recover` is answered runs
        // twice, at epochs 1 and 2, and may yield twice: hence a set.)
        #expect(Set(snapshots.map(\.reason)) == ["yield", "checkpoint"])
        for snapshot in snapshots {
            #expect(snapshot.continuation.count > 750_000 && snapshot.continuation.count <= Self.maxContinuationBytes,
                    "a continuation of \(snapshot.continuation.count) bytes: base64 over 1,000,000, within the limit")
        }
        #expect(stack.events(of: large).contains { $0.type == .resumed && $0.detail?.contains("yield") == true })
        #expect(stack.probe.deadLetters().isEmpty, "nothing was dead-lettered: \(stack.probe.deadLetters().map(\.reason))")
        await stack.shutdown()
    }
}
