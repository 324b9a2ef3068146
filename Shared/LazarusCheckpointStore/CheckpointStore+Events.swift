import Foundation
import GRDB
import LazarusWire

// MARK: - Job events and timers

extension CheckpointStore {
    /// Records a job event in the history and applies its status transition:
    /// `started`/`resumed` → running, `yielded` → yielded, `sleeping` → sleeping,
    /// `completed`/`failed`/`cancelled`/`rejected` → terminal with result or error.
    /// Ended jobs never change again; events from an epoch older than the job's (zombie
    /// runs) change nothing. A redelivered event (same type, epoch, seq, time, detail) is a
    /// `duplicate` and adds no row.
    public func record(_ event: JobEvent, now: Int64 = CheckpointStore.currentMillis()) throws(CheckpointStoreError) -> RecordOutcome {
        try transaction("recording \(event.type.rawValue) of job \(event.jobId)") { db -> RecordOutcome in
            guard let job = try self.fetchJobState(db, event.jobId) else {
                return RecordOutcome(disposition: .unknownJob, status: nil, latestSnapshotSeq: nil)
            }
            let key = "\(event.type.rawValue)|\(event.epoch ?? -1)|\(event.seq ?? -1)|\(event.time)|\((event.detail ?? "").prefix(200))"
            if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM job_history WHERE job_id = ? AND event_key = ?"),
                                 arguments: [event.jobId, key]) != nil {
                return RecordOutcome(disposition: .duplicate, status: job.status, latestSnapshotSeq: job.lastSnapshotSeq)
            }
            func outcome(_ disposition: RecordOutcome.Disposition, _ status: JobStatus) -> RecordOutcome {
                RecordOutcome(disposition: disposition, status: status, latestSnapshotSeq: job.lastSnapshotSeq)
            }
            func history(_ note: String? = nil) throws {
                let parts = [Self.describe(event), note].compactMap { $0 }
                try self.addHistory(db, jobId: event.jobId, time: event.time, type: event.type.rawValue, epoch: event.epoch,
                                    seq: event.seq, detail: parts.isEmpty ? nil : parts.joined(separator: "; "), eventKey: key)
            }

            if job.status.isTerminal {
                // The service's own `cancelled` event after `cancel` is expected: note nothing.
                if event.type.rawValue == job.status.rawValue { return outcome(.duplicate, job.status) }
                let why = "ignored: the job already ended \(job.status.rawValue)"
                try history(why)
                return outcome(.ignored(why), job.status)
            }
            if let epoch = event.epoch, epoch < job.epoch {
                let why = "ignored: epoch \(epoch) was superseded by epoch \(job.epoch)"
                try history(why)
                return outcome(.ignored(why), job.status)
            }

            let newStatus: JobStatus? = switch event.type {
            case .started, .resumed: .running
            case .yielded: .yielded
            case .sleeping: .sleeping
            case .completed: .completed
            case .failed: .failed
            case .cancelled: .cancelled
            case .rejected: .rejected
            case .accepted, .checkpointed, .log: nil
            }
            try history()
            guard let newStatus else { return outcome(.applied, job.status) }

            try db.cachedStatement(sql: """
                UPDATE jobs SET status = ?, updated_at = ?, result = COALESCE(?, result), error = COALESCE(?, error) WHERE job_id = ?
                """).execute(arguments: [newStatus.rawValue, now,
                                         event.type == .completed ? Self.jsonText(event.result ?? .null) : nil,
                                         event.error.map(Self.jsonText), event.jobId])
            if newStatus.isTerminal {
                try db.execute(sql: "DELETE FROM timers WHERE job_id = ?", arguments: [event.jobId])
            } else if newStatus == .sleeping, let detail = event.detail, let wakeAt = Int64(detail),
                      try Int64.fetchOne(db, sql: "SELECT wake_at FROM timers WHERE job_id = ?", arguments: [event.jobId]) == nil {
                // The sleep snapshot normally sets the timer; a `sleeping` event whose detail
                // is the wake-up time (ms) covers the case where it comes first.
                try self.setTimer(db, jobId: event.jobId, wakeAt: wakeAt)
            }
            return outcome(.applied, newStatus)
        }
    }

    private static func describe(_ event: JobEvent) -> String? {
        var parts: [String] = []
        if let detail = event.detail { parts.append(detail) }
        if let error = event.error { parts.append("\(error.name): \(error.message)") }
        if let result = event.result { parts.append(String(decoding: JSONWriter.write(result), as: UTF8.self)) }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    // MARK: Timers

    func setTimer(_ db: Database, jobId: String, wakeAt: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO timers (job_id, wake_at) VALUES (?, ?) ON CONFLICT (job_id) DO UPDATE SET wake_at = excluded.wake_at
            """).execute(arguments: [jobId, wakeAt])
    }

    /// Timers due at `now` (wake-up time ≤ now) of live jobs, earliest first. Issue
    /// `startRun(jobId:reason: .timer)`, produce the command, and only then `clearTimer`:
    /// a crash in between fires the timer again, which the epoch fence makes harmless.
    public func dueTimers(now: Int64 = CheckpointStore.currentMillis(), limit: Int = 1000) throws(CheckpointStoreError) -> [DueTimer] {
        try read("listing due timers") { db in
            try Row.fetchAll(db, sql: """
                SELECT t.job_id, t.wake_at FROM timers t JOIN jobs j ON j.job_id = t.job_id
                WHERE t.wake_at <= ? AND j.status IN ('accepted', 'running', 'yielded', 'sleeping')
                ORDER BY t.wake_at, t.job_id LIMIT ?
                """, arguments: [now, limit]).map { DueTimer(jobId: $0["job_id"], wakeAt: $0["wake_at"]) }
        }
    }

    /// The earliest pending wake-up time, to know how long the timer loop may sleep.
    public func nextTimer() throws(CheckpointStoreError) -> Int64? {
        try read("reading the next timer") { db in try Int64.fetchOne(db, sql: "SELECT MIN(wake_at) FROM timers") }
    }

    /// Drops `jobId`'s timer — only if it is still the one for `wakeAt` when given, so that
    /// a newer `sleep` set meanwhile is not lost. Returns whether a timer was removed.
    @discardableResult
    public func clearTimer(jobId: String, wakeAt: Int64? = nil) throws(CheckpointStoreError) -> Bool {
        try transaction("clearing the timer of job \(jobId)") { db in
            if let wakeAt {
                try db.execute(sql: "DELETE FROM timers WHERE job_id = ? AND wake_at = ?", arguments: [jobId, wakeAt])
            } else {
                try db.execute(sql: "DELETE FROM timers WHERE job_id = ?", arguments: [jobId])
            }
            return db.changesCount > 0
        }
    }
}
