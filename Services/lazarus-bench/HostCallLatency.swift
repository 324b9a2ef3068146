import Foundation
import LazarusKafka
import LazarusWire

/// Host-call round trip of one job running alone: script → executor → `lazarus.calls` →
/// proxy → `lazarus.object-requests` → object service (SQLite transaction with its journal
/// row) → `lazarus.object-replies` → proxy → `lazarus.call-results` → executor → script.
///
/// Measured on the wire: the bench follows the job's partition of `lazarus.calls` and takes
/// the time between the arrivals of call `seq` and call `seq + 1`. The executor sends call
/// `seq + 1` as soon as the result of `seq` resumed the script, whose loop body does
/// nothing else, so each gap is one whole round trip as the script lives it (the bench's
/// fetch delay is the same at both ends and cancels). Two cross-checks are printed: the
/// same gaps from the producer's `CreateTime` (millisecond resolution), and the script's own
/// mean, `(now() after − now() before) / writes`, from the object service's clock.
struct HostCallLatency {
    let client: StackClient
    let tenant: String
    let run: String

    struct Result {
        var policy: SaveStatePolicy
        var samples: [Double]         // ms, sorted
        var createTimeSamples: [Double]
        var scriptMeanMs: Double?
    }

    func measure(policy: SaveStatePolicy, writes: Int, warmUp: Int) async throws -> Result {
        let jobId = "bench-\(run)-latency-\(policy)"
        let partition = client.partition(of: jobId)
        let key = Array(jobId.utf8)
        let calls = try await client.follow(LazarusTopics.calls, partitions: [partition]) { $0.key == key }
        let events = try await client.follow(LazarusTopics.jobEvents, partitions: [partition]) {
            $0.key == key && JobEvent.kind(of: $0)?.isTerminal == true
        }
        defer { calls.stop(); events.stop() }

        let submission = JobSubmission(jobId: jobId, tenant: tenant, script: BenchScripts.timedWriter,
                                       args: .object([("writes", .string("\(writes)")), ("tag", .string(jobId))]), policy: policy)
        try await client.send([submission], to: LazarusTopics.jobs)
        var end: JobEvent?
        try await waitUntil("latency job \(jobId) ended", timeout: .seconds(60 + writes / 10)) {
            end = events.decoded(JobEvent.self).map(\.message).first { $0.isTerminal }
            return end != nil
        }
        guard let end, end.type == .completed else {
            throw BenchError("latency job \(jobId) ended \(end?.type.rawValue ?? "?"): \(end?.error.map { "\($0.name): \($0.message)" } ?? "")")
        }

        // First arrival of every seq (a call sent again after a timeout keeps its seq).
        var firstSeen: [Int: (arrival: ContinuousClock.Instant, createdMs: Int64)] = [:]
        for (arrival, created, call) in calls.decoded(HostCallRequest.self) where firstSeen[call.seq] == nil {
            firstSeen[call.seq] = (arrival, created)
        }
        let seqs = firstSeen.keys.sorted()
        guard seqs.count == writes + 2, seqs.first == 1, seqs.last == writes + 2 else {
            throw BenchError("latency job \(jobId): saw calls \(seqs.first ?? 0)…\(seqs.last ?? 0) (\(seqs.count)), expected 1…\(writes + 2)")
        }
        var samples: [Double] = []
        var createTimeSamples: [Double] = []
        for seq in seqs.dropLast() where seq > warmUp {
            let (a, b) = (firstSeen[seq]!, firstSeen[seq + 1]!)
            samples.append((b.arrival - a.arrival).milliseconds)
            createTimeSamples.append(Double(b.createdMs - a.createdMs))
        }
        let scriptMean = end.result?["elapsedMs"]?.numberValue.map { $0 / Double(writes) }
        return Result(policy: policy, samples: samples.sorted(), createTimeSamples: createTimeSamples.sorted(), scriptMeanMs: scriptMean)
    }
}

/// The `q`-quantile (0…1) of sorted samples, nearest rank.
func quantile(_ sorted: [Double], _ q: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
}
