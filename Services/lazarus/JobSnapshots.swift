import LazarusKafka
import LazarusWire

/// One job's snapshots as the cluster keeps them (`lazarus.snapshots`), with the script
/// they were taken from (its submission on `lazarus.jobs`): what `lazarus inspect` reads.
struct JobSnapshots {
    struct Entry {
        let event: SnapshotEvent
        /// When the broker stored it (ms since 1970; -1 unknown).
        let time: Int64
        let partition: Int32
        let offset: Int64
    }

    let jobId: String
    /// Oldest first (the order they were written in: one partition, by offset).
    let entries: [Entry]
    let submission: JobSubmission?

    /// Reads the job's partition of `lazarus.snapshots` (the proxy keys snapshots by job
    /// id) and all of `lazarus.jobs` (a submission may come from any producer, kcat's
    /// partitioner included). Messages that do not decode are skipped (the services
    /// dead-letter them).
    static func read(_ jobId: String, session: KafkaSession) async throws -> JobSnapshots {
        let messages = try await session.readJobPartition(of: LazarusTopics.snapshots, jobId)
            + session.reader.readAll(topics: [LazarusTopics.jobs])
        var entries: [Entry] = []
        var submission: JobSubmission?
        for message in messages {
            if message.topic == LazarusTopics.snapshots {
                guard let event = try? WireCodec.decode(SnapshotEvent.self, from: message.value), event.jobId == jobId else { continue }
                entries.append(Entry(event: event, time: message.timestampMs, partition: message.partition, offset: message.offset))
            } else if submission == nil, let job = try? WireCodec.decode(JobSubmission.self, from: message.value), job.jobId == jobId {
                submission = job
            }
        }
        entries.sort { $0.offset < $1.offset }
        return JobSnapshots(jobId: jobId, entries: entries, submission: submission)
    }

    /// The distinct seqs, ascending.
    var seqs: [Int] { Array(Set(entries.map(\.event.seq))).sorted() }

    /// The latest snapshot (`seq` nil), or the latest one written at `seq` (a restored job
    /// can snapshot the same seq again in a later epoch). Errors say what exists instead.
    func select(seq: Int?) throws -> Entry {
        guard let latest = entries.last else {
            if submission != nil {
                throw CLIError("job \(jobId) has no snapshot yet: it saves one at checkpoint(), yieldScript(), sleep() and at the points its save-state policy names — try `lazarus status \(jobId)`")
            }
            throw CLIError("no job \(jobId) and no snapshots of it on the cluster: check the id with `lazarus jobs` (and that --brokers/LAZARUS_BROKERS names the right cluster)")
        }
        guard let seq else { return latest }
        guard let entry = entries.last(where: { $0.event.seq == seq }) else {
            throw CLIError("job \(jobId) has no snapshot seq \(seq); it has seqs \(Self.ranges(seqs)) — try `lazarus status \(jobId)`")
        }
        return entry
    }

    /// `0..3, 5, 8..9`
    static func ranges(_ sorted: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])..\(sorted[j])")
            i = j + 1
        }
        return parts.joined(separator: ", ")
    }
}
