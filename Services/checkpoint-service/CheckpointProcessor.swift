import Foundation
import LazarusCheckpointStore
import LazarusKafka
import LazarusService
import LazarusWire
import Logging

/// Handles the four input topics. Every decision is committed by the store before the
/// records that announce it are returned (the pipeline produces them, then stores the
/// input offset), so a crash anywhere re-processes at most a tail, which the store's
/// idempotence makes harmless.
///
/// A consumed batch is handled in one store transaction — one commit, one fsync, for all
/// its snapshots and events — on the store queue. If anything but a `Rejection` fails, the
/// whole transaction is rolled back and the pipeline retries the batch: no message's
/// output is ever produced for a decision that was not committed.
struct CheckpointProcessor: BatchMessageProcessor {
    let store: StoreQueue
    /// Partition count of `lazarus.runs`, for `JobPartitioner`.
    let partitionCount: Int
    let startup: StartupReplay
    let deadLetters: DeadLetterWriter
    let logger: Logger

    /// Values larger than this are dead-lettered unread. Generous: the store applies the
    /// real limits (script, args, snapshot) and says which one was exceeded.
    static let maxMessageBytes = 4 << 20

    /// One message's output, and what may happen only after the batch is committed.
    struct Handled: Sendable {
        var output: MessageOutput
        var afterCommit: (@Sendable () -> Void)?

        init(_ records: [KafkaRecord], afterCommit: (@Sendable () -> Void)? = nil) {
            output = .records(records)
            self.afterCommit = afterCommit
        }

        init(rejected rejection: Rejection) {
            output = .rejected(rejection)
        }
    }

    func process(batch messages: [KafkaMessage]) async throws -> [MessageOutput] {
        let handled = try await store.run { store in
            try store.inOneTransaction { try messages.map { try self.handle($0, store: store) } }
        }
        for effect in handled.compactMap(\.afterCommit) { effect() }
        return handled.map(\.output)
    }

    /// Handles one message on the store queue, inside the batch's transaction.
    func handle(_ message: KafkaMessage, store: CheckpointStore) throws -> Handled {
        do {
            switch message.topic {
            case LazarusTopics.jobs: return Handled(try submission(message, store))
            case LazarusTopics.snapshots: return Handled(try snapshot(message, store))
            case LazarusTopics.jobEvents: return try jobEvent(message, store)
            case LazarusTopics.control: return Handled(try control(message, store))
            default: throw Rejection("checkpoint-service does not consume \(message.topic)")
            }
        } catch let rejection as Rejection {
            return Handled(rejected: rejection)
        }
    }

    // MARK: - lazarus.jobs

    private func submission(_ message: KafkaMessage, _ store: CheckpointStore) throws -> [KafkaRecord] {
        let submission: JobSubmission
        do {
            submission = try message.decode(JobSubmission.self, maxBytes: Self.maxMessageBytes)
        } catch {
            return try undecodableSubmission(message, reason: error.reason, store)
        }
        let partition = JobPartitioner.partition(for: submission.jobId, partitionCount: partitionCount)
        let outcome = try store.register(submission, partition: partition)
        let now = CheckpointStore.currentMillis()
        switch outcome {
        case .registered(let job, let run):
            logger.info("job registered; run issued", metadata: [
                "job.id": "\(job.jobId)", "job.tenant": "\(job.tenant)", "job.partition": "\(partition)",
                "run.epoch": "\(run.epoch)", "run.reason": "\(run.reason)",
            ])
            return [try Self.acceptedEvent(job, time: now), try KafkaRecord(topic: LazarusTopics.runs, message: run)]
        case .duplicate(let job, let same):
            guard !same else {
                logger.info("duplicate submission ignored", metadata: ["job.id": "\(job.jobId)", "job.status": "\(job.status.rawValue)"])
                return []
            }
            logger.warning("a different submission reuses a registered job id; ignored", metadata: ["job.id": "\(job.jobId)"])
            let failure = JobFailure(name: "duplicate-job-id", message: "job \(job.jobId) is already registered with another "
                + "script, args, tenant or policy; this submission was ignored: submit it under a new job id")
            return [try Self.event(.log, jobId: job.jobId, tenant: submission.tenant, time: now, error: failure,
                                   detail: "submission refused: duplicate job id")]
        case .rejected(let failure, let job):
            logger.info("job rejected", metadata: ["job.id": "\(submission.jobId)", "reason": "\(failure.message)"])
            var records = [try Self.event(.rejected, jobId: submission.jobId, tenant: submission.tenant, time: now, error: failure)]
            if job == nil {
                // An unusable id is not stored: the dead letter keeps the submission.
                records.append(deadLetters.boundedRecord(for: message, reason: failure.message))
            }
            return records
        }
    }

    /// A submission that cannot be read: dead-lettered, and — when it names a job id that
    /// is not registered — answered with a `rejected` event so a waiting submitter learns why.
    private func undecodableSubmission(_ message: KafkaMessage, reason: String, _ store: CheckpointStore) throws -> [KafkaRecord] {
        // Bounded: the dead letter of a big submission must still fit one message, or it
        // would be retried forever and hold up every later submission of the partition.
        var records = [deadLetters.boundedRecord(for: message, reason: reason)]
        guard let jobId = Self.claimedJobId(message) else { return records }
        // Never for a registered job: our own `rejected` event would end it when consumed back.
        guard try store.jobRecord(jobId) == nil else { return records }
        let failure = JobFailure(name: "invalid-submission", message: "job \(jobId): the submission could not be read: \(reason)")
        records.append(try Self.event(.rejected, jobId: jobId, time: CheckpointStore.currentMillis(), error: failure))
        logger.info("undecodable submission rejected", metadata: ["job.id": "\(jobId)", "reason": "\(reason)"])
        return records
    }

    /// The job id a bad submission meant: its `jobId` member if it is JSON, else its key.
    static func claimedJobId(_ message: KafkaMessage) -> String? {
        var candidate: String?
        if message.value.count <= maxMessageBytes, let tree = try? JSONParser.parse(message.value) {
            candidate = tree["jobId"]?.stringValue
        }
        if candidate == nil { candidate = message.keyString }
        guard let id = candidate, !id.isEmpty, id.utf8.count <= 200 else { return nil }
        return id
    }

    // MARK: - lazarus.snapshots

    private func snapshot(_ message: KafkaMessage, _ store: CheckpointStore) throws -> [KafkaRecord] {
        let snapshot = try message.decode(SnapshotEvent.self, maxBytes: Self.maxMessageBytes)
        let outcome = try store.saveSnapshot(snapshot)
        var run: RunCommand?
        switch outcome {
        case .stored(_, _, let status) where status == .yielded || snapshot.reason == "yield":
            run = try Self.yieldRunIfDue(store, jobId: snapshot.jobId)
        case .duplicate where snapshot.reason == "yield":
            // Redelivered after a crash: the run may never have been produced.
            run = try Self.yieldRunIfDue(store, jobId: snapshot.jobId)
        default:
            break
        }
        logger.debug("snapshot", metadata: [
            "job.id": "\(snapshot.jobId)", "snapshot.seq": "\(snapshot.seq)", "snapshot.epoch": "\(snapshot.epoch)",
            "snapshot.reason": "\(snapshot.reason)", "snapshot.bytes": "\(snapshot.continuation.count)", "outcome": "\(outcome)",
        ])
        switch outcome {
        case .unknownJob:
            throw Rejection("snapshot of unknown job '\(snapshot.jobId)' (seq \(snapshot.seq), epoch \(snapshot.epoch)): no such job is registered")
        case .refused(let reason):
            throw Rejection("snapshot refused: \(reason)")
        default:
            return try run.map { [try issued($0)] } ?? []
        }
    }

    /// Issues the `yield` run of `jobId` if both halves of the yield are in: the job is
    /// `yielded` (its executor's event) and its resume point is a `yield` snapshot of the
    /// current epoch (the proxy's snapshot). Either may arrive first (docs/STORES.md); once
    /// the run is issued the epoch moves on, so this never issues it twice. On the store queue.
    static func yieldRunIfDue(_ store: CheckpointStore, jobId: String) throws -> RunCommand? {
        guard let job = try store.jobRecord(jobId), job.status == .yielded,
              let seq = job.lastSnapshotSeq, let epoch = job.lastSnapshotEpoch, epoch == job.epoch,
              try store.snapshots(jobId: jobId).contains(where: { $0.seq == seq && $0.epoch == epoch && $0.reason == "yield" })
        else { return nil }
        return try store.startRun(jobId: jobId, reason: .yield)
    }

    // MARK: - lazarus.job-events

    private func jobEvent(_ message: KafkaMessage, _ store: CheckpointStore) throws -> Handled {
        let event = try message.decode(JobEvent.self, maxBytes: Self.maxMessageBytes)
        if event.jobId == startup.markerJobId {
            return try replay(partition: Int(message.partition), store)
        }
        // The snapshot a `checkpointed` event announces is already the store's record of it
        // (and changes no status): recording the event too cost as much as storing the
        // snapshot, and under policy `always` added a history row per host call.
        if event.type == .checkpointed { return Handled([]) }
        let outcome = try store.record(event)
        var run: RunCommand?
        if event.type == .yielded, outcome.disposition == .applied || outcome.disposition == .duplicate {
            run = try Self.yieldRunIfDue(store, jobId: event.jobId)
        }
        switch outcome.disposition {
        case .unknownJob:
            logger.debug("event of an unknown job ignored", metadata: ["job.id": "\(event.jobId)", "event.type": "\(event.type.rawValue)"])
        case .applied where event.isTerminal:
            logger.info("job ended", metadata: ["job.id": "\(event.jobId)", "job.status": "\(outcome.status?.rawValue ?? "?")"])
        case .ignored(let why):
            logger.debug("event ignored", metadata: ["job.id": "\(event.jobId)", "event.type": "\(event.type.rawValue)", "why": "\(why)"])
        default:
            break
        }
        return Handled(try run.map { [try issued($0)] } ?? [])
    }

    /// This process's marker came back on `partition`: every earlier event there is
    /// recorded, so the replay of that partition can be decided (`StartupReplay`).
    private func replay(partition: Int, _ store: CheckpointStore) throws -> Handled {
        let replayed = try startup.jobsToReplay(in: partition, store: store).compactMap { job, announce in
            try store.startRun(jobId: job.jobId, reason: .start).map { (job, announce, $0) }
        }
        var records: [KafkaRecord] = []
        let now = CheckpointStore.currentMillis()
        for (job, announce, run) in replayed {
            if announce { records.append(try Self.acceptedEvent(job, time: now)) }
            records.append(try issued(run))
        }
        let batch = StartupReplay.Batch(partition: partition, records: records, jobs: replayed.count,
                                        announced: replayed.filter(\.1).count)
        // The scheduler sends the replay: only once the runs it announces are committed.
        return Handled([], afterCommit: { [startup] in startup.caughtUp(batch) })
    }

    // MARK: - lazarus.control

    private func control(_ message: KafkaMessage, _ store: CheckpointStore) throws -> [KafkaRecord] {
        let request = try message.decode(ControlMessage.self, maxBytes: Self.maxMessageBytes)
        switch request.command {
        case .recover: return try recover(request, store)
        case .cancel: return try cancel(request, store)
        case .restore: return try restore(request, store)
        }
    }

    private func recover(_ request: ControlMessage, _ store: CheckpointStore) throws -> [KafkaRecord] {
        guard let partitions = request.partitions, !partitions.isEmpty else {
            throw Rejection("recover needs a non-empty 'partitions' list (partitions of lazarus.runs)")
        }
        if let bad = partitions.first(where: { !(0..<partitionCount).contains($0) }) {
            throw Rejection("recover: partition \(bad) does not exist; lazarus.runs has partitions 0...\(partitionCount - 1)")
        }
        let runs = try store.jobsToRecover(partitions: partitions).compactMap { try store.startRun(jobId: $0, reason: .recover) }
        logger.info("recover", metadata: [
            "requested.by": "\(request.requestedBy ?? request.jobId)", "kafka.partitions": "\(partitions.sorted())",
            "runs": "\(runs.count)",
        ])
        return try runs.map { try issued($0) }
    }

    private func cancel(_ request: ControlMessage, _ store: CheckpointStore) throws -> [KafkaRecord] {
        let jobId = request.jobId
        let now = CheckpointStore.currentMillis()
        let outcome: CancelOutcome
        do {
            outcome = try store.cancel(jobId: jobId, requestedBy: request.requestedBy)
        } catch {
            guard error.code == .unknownJob else { throw error }
            return [try refusal("cancel-refused", jobId: jobId, tenant: nil, message: error.message, time: now)]
        }
        switch outcome {
        case .cancelled(let job):
            logger.info("job cancelled", metadata: ["job.id": "\(jobId)", "requested.by": "\(request.requestedBy ?? "?")"])
            // The executor running the job learns of the cancel through a stop order at a
            // newer epoch: it drops the VM (which would otherwise go on until its next yield,
            // or its end). Never stored: no run of the job follows a cancel.
            let stop = RunCommand(jobId: jobId, tenant: job.tenant, epoch: job.epoch + 1, program: "", args: .object([]),
                                  policy: job.policy, reason: RunCommand.cancelReason)
            return [try Self.event(.cancelled, jobId: jobId, tenant: job.tenant, epoch: job.epoch, time: now,
                                   detail: "cancelled" + (request.requestedBy.map { " by \($0)" } ?? "")),
                    try issued(stop)]
        case .alreadyTerminal(let status):
            return [try refusal("cancel-refused", jobId: jobId, tenant: nil,
                                message: "job \(jobId) already ended \(status.rawValue): there is nothing to cancel", time: now)]
        }
    }

    private func restore(_ request: ControlMessage, _ store: CheckpointStore) throws -> [KafkaRecord] {
        guard let seq = request.seq else { throw Rejection("restore needs 'seq', the snapshot to resume from") }
        let jobId = request.jobId
        let run: RunCommand?
        do {
            _ = try store.restorePoint(jobId: jobId, seq: seq)
            run = try store.startRun(jobId: jobId, reason: .restore(seq: seq))
        } catch {
            guard [.unknownJob, .snapshotNotFound, .jobTerminal].contains(error.code) else { throw error }
            logger.info("restore refused", metadata: ["job.id": "\(jobId)", "snapshot.seq": "\(seq)", "reason": "\(error.message)"])
            let tenant = try? store.jobRecord(jobId)?.tenant
            return [try refusal("restore-refused", jobId: jobId, tenant: tenant ?? nil, message: error.message,
                                time: CheckpointStore.currentMillis())]
        }
        guard let run else {
            return [try refusal("restore-refused", jobId: jobId, tenant: nil, message: "job \(jobId) has ended: only a live job can be restored",
                                time: CheckpointStore.currentMillis())]
        }
        logger.info("restore", metadata: ["job.id": "\(jobId)", "snapshot.seq": "\(seq)", "requested.by": "\(request.requestedBy ?? "?")"])
        return [try issued(run)]
    }

    /// An operator request that cannot be carried out: a `log` event on the job's stream
    /// whose `error` says why (never `rejected`, which would end a live job).
    private func refusal(_ name: String, jobId: String, tenant: String?, message: String, time: Int64) throws -> KafkaRecord {
        logger.info("operator request refused", metadata: ["job.id": "\(jobId)", "refusal": "\(name)", "reason": "\(message)"])
        return try Self.event(.log, jobId: jobId, tenant: tenant, time: time, error: JobFailure(name: name, message: message),
                              detail: "\(name): \(message)")
    }

    // MARK: - Records

    private func issued(_ run: RunCommand) throws -> KafkaRecord {
        logger.info("run issued", metadata: [
            "job.id": "\(run.jobId)", "run.epoch": "\(run.epoch)", "run.reason": "\(run.reason)",
            "snapshot.seq": "\(run.snapshotSeq.map(String.init) ?? "none")",
        ])
        return try KafkaRecord(topic: LazarusTopics.runs, message: run)
    }

    static func acceptedEvent(_ job: JobRecord, time: Int64) throws -> KafkaRecord {
        try event(.accepted, jobId: job.jobId, tenant: job.tenant, epoch: 1, time: time,
                  detail: "accepted on partition \(job.partition), policy \(job.policy)")
    }

    static func event(_ type: JobEvent.Kind, jobId: String, tenant: String? = nil, epoch: Int? = nil, time: Int64,
                      error: JobFailure? = nil, detail: String? = nil) throws -> KafkaRecord {
        try KafkaRecord(topic: LazarusTopics.jobEvents,
                        message: JobEvent(jobId: jobId, tenant: tenant, epoch: epoch, type: type, time: time, error: error, detail: detail))
    }
}
