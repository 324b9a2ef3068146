import Foundation
import LazarusKafka
import LazarusWire

/// Host calls per second of `jobs` concurrent jobs, each making `writes` creates (one host
/// call each), all submitted in one batch.
///
/// The window runs from the arrival of the first `started` event of the batch to the arrival
/// of its last `completed` event (both read from `lazarus.job-events`): it includes starting
/// 64 VMs and is ended by the slowest job, so it is the rate a user sees, not a peak.
/// Every job must complete with the expected result, or the run throws.
struct WriteThroughput {
    let client: StackClient
    let tenant: String
    let run: String

    struct Result {
        var policy: SaveStatePolicy
        var calls: Int
        var window: Duration
        var submitToEnd: Duration
        var callsPerSecond: Double { Double(calls) / (window.milliseconds / 1000) }
    }

    func measure(policy: SaveStatePolicy, jobs: Int, writes: Int, label: String) async throws -> Result {
        let ids = (0..<jobs).map { "bench-\(run)-\(label)-\(policy)-\($0)" }
        let wanted = Set(ids.map { Array($0.utf8) })
        let events = try await client.follow(LazarusTopics.jobEvents) {
            ($0.key.map(wanted.contains) ?? false) && JobEvent.kind(of: $0).map { $0 == .started || $0.isTerminal } == true
        }
        defer { events.stop() }

        let submissions = ids.map {
            JobSubmission(jobId: $0, tenant: tenant, script: BenchScripts.writer,
                          args: .object([("writes", .string("\(writes)")), ("tag", .string($0))]), policy: policy)
        }
        let submitted = ContinuousClock.now
        try await client.send(submissions, to: LazarusTopics.jobs)
        var ends: [String: (arrival: ContinuousClock.Instant, event: JobEvent)] = [:]
        try await waitUntil("\(jobs) \(policy) jobs ended", timeout: .seconds(120 + jobs * writes / 50)) {
            for (arrival, _, event) in events.decoded(JobEvent.self) where event.isTerminal && ends[event.jobId] == nil {
                ends[event.jobId] = (arrival, event)
            }
            return ends.count == jobs
        }
        for (id, end) in ends where end.event.type != .completed || end.event.result?["writes"]?.numberValue != Double(writes) {
            throw BenchError("job \(id) ended \(end.event.type.rawValue): \(end.event.error.map { "\($0.name): \($0.message)" } ?? "\(end.event.result.map { "\($0)" } ?? "")")")
        }
        let firstStart = events.decoded(JobEvent.self).filter { $0.message.type == .started }.map(\.arrival).min()
        guard let firstStart, let lastEnd = ends.values.map(\.arrival).max() else {
            throw BenchError("no started event seen for the \(policy) jobs")
        }
        return Result(policy: policy, calls: jobs * writes, window: lastEnd - firstStart, submitToEnd: lastEnd - submitted)
    }
}
