import Foundation
import LazarusCheckpointStore
import LazarusKafka
import LazarusWire
import Synchronization

/// What this process replays once it has caught up with `lazarus.job-events`.
///
/// A job registered by an earlier process may still be `accepted` with no run at an
/// executor (the process died between commit and produce), and its `accepted` event may
/// never have been published. To re-announce it exactly once, the service must know
/// whether that event is in the topic. It does not guess: at startup it writes one
/// *marker* event to every partition of `lazarus.job-events`; by the time its consumer
/// reaches the marker of partition p, every earlier event there — including any `accepted`
/// event the dead process published — has been recorded in the store. Only then does it
/// replay partition p: a start run for each job still `accepted` from before this process
/// started, and an `accepted` event for those whose own event never came back.
///
/// The pipeline decides (on the marker); the `RunScheduler` produces the replay until the
/// broker acknowledges it and then logs `startup replay complete` once every partition's
/// marker came back.
final class StartupReplay: Sendable {
    /// The replay of one partition, decided when its marker came back.
    struct Batch: Sendable {
        let partition: Int
        let records: [KafkaRecord]
        let jobs: Int
        let announced: Int
    }

    /// The job id of this process's markers: unique per start, never a real job.
    let markerJobId: String
    /// When this process started (ms): jobs registered since are its own, not replayed.
    let startedAt: Int64
    let jobEventPartitions: Int
    let batches: AsyncStream<Batch>
    private let continuation: AsyncStream<Batch>.Continuation
    private let seen = Mutex<Set<Int>>([])

    init(jobEventPartitions: Int, now: Int64 = CheckpointStore.currentMillis()) {
        markerJobId = "checkpoint-service-startup-\(UUID().uuidString.lowercased())"
        startedAt = now
        self.jobEventPartitions = jobEventPartitions
        let (stream, continuation) = AsyncStream.makeStream(of: Batch.self)
        batches = stream
        self.continuation = continuation
    }

    /// One marker per partition of `lazarus.job-events`, with the partition set explicitly.
    func markers() throws -> [KafkaRecord] {
        try (0..<jobEventPartitions).map { partition in
            let event = JobEvent(jobId: markerJobId, type: .log, time: startedAt,
                                 detail: "checkpoint-service started: replaying jobs of partition \(partition) once caught up")
            var record = try KafkaRecord(topic: LazarusTopics.jobEvents, message: event)
            record.partition = Int32(partition)
            return record
        }
    }

    /// Jobs of `partition` to replay, with whether their `accepted` event must be sent again.
    /// Runs on the store queue.
    func jobsToReplay(in partition: Int, store: CheckpointStore) throws -> [(job: JobRecord, announce: Bool)] {
        var found: [(job: JobRecord, announce: Bool)] = []
        for jobId in try store.acceptedButNeverStarted() {
            guard let job = try store.jobRecord(jobId), job.partition == partition, job.createdAt < startedAt else { continue }
            // The registration writes one `accepted` history row; the published event, once
            // consumed back, writes a second.
            let accepted = try store.job(jobId)?.history.filter { $0.type == JobEvent.Kind.accepted.rawValue }.count ?? 0
            found.append((job: job, announce: accepted < 2))
        }
        return found
    }

    /// Hands the replay of a partition whose marker came back to the scheduler (once per partition).
    func caughtUp(_ batch: Batch) {
        guard seen.withLock({ $0.insert(batch.partition).inserted }) else { return }
        continuation.yield(batch)
        if seen.withLock({ $0.count }) >= jobEventPartitions { continuation.finish() }
    }
}
