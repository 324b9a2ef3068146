import Foundation
import GRDB
import LazarusWire

// MARK: - Registering jobs and issuing runs

extension CheckpointStore {
    /// Registers a submission. Idempotent: a job id seen before returns the stored job
    /// unchanged (a resent submission never restarts a job). A new valid job is stored
    /// `accepted` at epoch 1 and its first run command is returned; an invalid one is
    /// stored `rejected` with the reason.
    public func register(_ submission: JobSubmission, partition: Int,
                         now: Int64 = CheckpointStore.currentMillis()) throws(CheckpointStoreError) -> RegisterOutcome {
        let jobId = submission.jobId
        if jobId.isEmpty || jobId.utf8.count > 200 {
            return .rejected(JobFailure(name: "invalid-submission",
                                        message: "a job id must be 1 to 200 bytes long; got \(jobId.utf8.count)"), job: nil)
        }
        let argsText = Self.jsonText(submission.args)
        return try transaction("registering job \(jobId)") { db in
            if let existing = try self.fetchJob(db, jobId) {
                let same = existing.tenant == submission.tenant && existing.script == submission.script
                    && existing.args == submission.args && existing.policy == submission.policy
                return .duplicate(existing, sameSubmission: same)
            }
            let refusal = self.refusal(of: submission, argsBytes: argsText.utf8.count)
            try db.cachedStatement(sql: """
                INSERT INTO jobs (job_id, tenant, script, args, policy, status, epoch, runs_issued, kafka_partition,
                                  created_at, updated_at, error)
                VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    jobId, submission.tenant,
                    // A refused script is not kept: it may be huge, and it will never run.
                    refusal == nil ? submission.script : "", refusal == nil ? argsText : "{}",
                    submission.policy.description, (refusal == nil ? JobStatus.accepted : .rejected).rawValue,
                    refusal == nil ? 1 : 0, partition, now, now, refusal.map(Self.jsonText),
                ])
            let job = try self.requireJob(db, jobId)
            if let refusal {
                try self.addHistory(db, jobId: jobId, time: now, type: "rejected", detail: refusal.message)
                return .rejected(refusal, job: job)
            }
            try self.addHistory(db, jobId: jobId, time: now, type: "accepted", epoch: 1,
                                detail: "tenant \(submission.tenant), policy \(submission.policy), partition \(partition)")
            try self.addHistory(db, jobId: jobId, time: now, type: "run", epoch: 1, detail: "start")
            return .registered(job, run: Self.runCommand(job, reason: .start, snapshot: nil))
        }
    }

    private func refusal(of submission: JobSubmission, argsBytes: Int) -> JobFailure? {
        if submission.tenant.isEmpty || submission.tenant.utf8.count > 200 {
            return JobFailure(name: "invalid-submission", message: "job \(submission.jobId): the tenant must be 1 to 200 bytes long")
        }
        if submission.script.utf8.count > options.maxScriptBytes {
            return JobFailure(name: "too-large", message: "job \(submission.jobId): the script is \(submission.script.utf8.count) bytes; the limit is \(options.maxScriptBytes): split it or move data into records")
        }
        guard case .object = submission.args else {
            return JobFailure(name: "invalid-submission", message: "job \(submission.jobId): args must be a JSON object")
        }
        if argsBytes > options.maxArgsBytes {
            return JobFailure(name: "too-large", message: "job \(submission.jobId): the args are \(argsBytes) bytes of JSON; the limit is \(options.maxArgsBytes): pass record ids instead of data")
        }
        return nil
    }

    /// Issues a run of `jobId`: commits the new epoch (the first run keeps epoch 1, every
    /// later one is the previous + 1) and returns the command to produce, with the snapshot
    /// to resume from — the latest one, or for `.restore(seq)` that one. Nil for a terminal job.
    /// Throws `unknownJob`, or `snapshotNotFound` for a restore to a seq that is not kept.
    public func startRun(jobId: String, reason: RunReason,
                         now: Int64 = CheckpointStore.currentMillis()) throws(CheckpointStoreError) -> RunCommand? {
        try transaction("issuing a \(reason.name) run of job \(jobId)") { db -> RunCommand? in
            var job = try self.requireJob(db, jobId)
            guard !job.status.isTerminal else { return nil }

            var snapshot: StoredSnapshot?
            if case .restore(let seq) = reason {
                snapshot = try self.requireSnapshot(db, job: job, seq: seq)
                job.lastSnapshotSeq = snapshot?.info.seq
                job.lastSnapshotEpoch = snapshot?.info.epoch
                // The restored run replaces any pending sleep.
                try db.execute(sql: "DELETE FROM timers WHERE job_id = ?", arguments: [jobId])
            } else if let seq = job.lastSnapshotSeq, let epoch = job.lastSnapshotEpoch {
                snapshot = try self.fetchSnapshot(db, jobId: jobId, seq: seq, epoch: epoch)
            }
            if job.runsIssued > 0 { job.epoch += 1 }
            job.runsIssued += 1
            if reason == .recover { job.resumptions += 1 }
            job.updatedAt = now
            try db.cachedStatement(sql: """
                UPDATE jobs SET epoch = ?, runs_issued = ?, resumptions = ?, last_snapshot_seq = ?, last_snapshot_epoch = ?,
                                updated_at = ?
                WHERE job_id = ?
                """).execute(arguments: [job.epoch, job.runsIssued, job.resumptions, job.lastSnapshotSeq,
                                         job.lastSnapshotEpoch, now, jobId])
            let from = snapshot.map { "from snapshot seq \($0.info.seq) (epoch \($0.info.epoch))" } ?? "from the start"
            try self.addHistory(db, jobId: jobId, time: now, type: "run", epoch: job.epoch, seq: snapshot?.info.seq,
                                detail: "\(reason.name) \(from)")
            return Self.runCommand(job, reason: reason, snapshot: snapshot)
        }
    }

    static func runCommand(_ job: JobRecord, reason: RunReason, snapshot: StoredSnapshot?) -> RunCommand {
        RunCommand(jobId: job.jobId, tenant: job.tenant, epoch: job.epoch, program: job.script, args: job.args,
                   policy: job.policy, snapshot: snapshot?.continuation, snapshotSeq: snapshot?.info.seq, reason: reason.name)
    }

    /// Checks that `jobId` can be restored to snapshot `seq` and returns that snapshot's
    /// description; then issue `startRun(jobId:reason: .restore(seq:))`.
    public func restorePoint(jobId: String, seq: Int) throws(CheckpointStoreError) -> SnapshotInfo {
        try read("checking restore point \(seq) of job \(jobId)") { db in
            let job = try self.requireJob(db, jobId)
            guard !job.status.isTerminal else {
                throw CheckpointStoreError(.jobTerminal, "job \(jobId) is \(job.status.rawValue): only a live job can be restored")
            }
            return try self.requireSnapshot(db, job: job, seq: seq).info
        }
    }

    private func requireSnapshot(_ db: Database, job: JobRecord, seq: Int) throws -> StoredSnapshot {
        if let found = try fetchSnapshot(db, jobId: job.jobId, seq: seq, epoch: nil) { return found }
        let kept = try Int.fetchAll(db, sql: "SELECT DISTINCT seq FROM snapshots WHERE job_id = ? ORDER BY seq", arguments: [job.jobId])
        let available = kept.isEmpty ? "it has no snapshots" : "kept snapshots are at seq " + kept.map(String.init).joined(separator: ", ")
        throw CheckpointStoreError(.snapshotNotFound,
                                   "job \(job.jobId) has no snapshot at seq \(seq): \(available) (see `lazarus status \(job.jobId)`)")
    }

    /// Marks a live job `cancelled` (terminal) and drops its timer. The service then tells
    /// executors with a `cancelled` event; the job's epoch is left alone.
    public func cancel(jobId: String, requestedBy: String? = nil,
                       now: Int64 = CheckpointStore.currentMillis()) throws(CheckpointStoreError) -> CancelOutcome {
        try transaction("cancelling job \(jobId)") { db in
            let job = try self.requireJob(db, jobId)
            guard !job.status.isTerminal else { return .alreadyTerminal(job.status) }
            try db.execute(sql: "UPDATE jobs SET status = ?, updated_at = ? WHERE job_id = ?",
                           arguments: [JobStatus.cancelled.rawValue, now, jobId])
            try db.execute(sql: "DELETE FROM timers WHERE job_id = ?", arguments: [jobId])
            try self.addHistory(db, jobId: jobId, time: now, type: "cancel-requested", epoch: job.epoch,
                                detail: requestedBy.map { "by \($0)" })
            return .cancelled(try self.requireJob(db, jobId))
        }
    }

    /// Jobs whose run must be re-issued when `partitions` get a new executor: every live job
    /// there except those a pending `sleep` timer will wake (the timer owns them).
    public func jobsToRecover(partitions: [Int]) throws(CheckpointStoreError) -> [String] {
        guard !partitions.isEmpty else { return [] }
        return try read("listing jobs to recover") { db in
            try String.fetchAll(db, sql: """
                SELECT job_id FROM jobs
                WHERE kafka_partition IN (\(partitions.map { _ in "?" }.joined(separator: ",")))
                  AND status IN ('accepted', 'running', 'yielded', 'sleeping')
                  AND job_id NOT IN (SELECT job_id FROM timers)
                ORDER BY created_at, job_id
                """, arguments: StatementArguments(partitions))
        }
    }

    /// Jobs no executor has reported `started` for: on its own restart the service re-issues
    /// their runs (the first may never have reached Kafka).
    public func acceptedButNeverStarted() throws(CheckpointStoreError) -> [String] {
        try read("listing accepted jobs") { db in
            try String.fetchAll(db, sql: "SELECT job_id FROM jobs WHERE status = 'accepted' ORDER BY created_at, job_id")
        }
    }
}
