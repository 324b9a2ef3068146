import GRDB
import LazarusWire

// MARK: - Listing and inspecting jobs (`lazarus jobs`, `lazarus status`)

extension CheckpointStore {
    /// Jobs, newest first, optionally only those with `status`.
    public func jobs(limit: Int = 100, status: JobStatus? = nil) throws(CheckpointStoreError) -> [JobRecord] {
        try read("listing jobs") { db in
            if let status {
                return try Row.fetchAll(db, sql: "SELECT * FROM jobs WHERE status = ? ORDER BY created_at DESC, job_id LIMIT ?",
                                        arguments: [status.rawValue, limit]).map(Self.job(from:))
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM jobs ORDER BY created_at DESC, job_id LIMIT ?",
                                    arguments: [limit]).map(Self.job(from:))
        }
    }

    /// One job's registry row alone (no history, no snapshots); nil if unknown. Cheap: for
    /// decisions the service takes per message.
    public func jobRecord(_ jobId: String) throws(CheckpointStoreError) -> JobRecord? {
        try read("reading job \(jobId)") { db in try self.fetchJob(db, jobId) }
    }

    /// One job with its history, kept snapshots and pending timer; nil if unknown.
    public func job(_ jobId: String) throws(CheckpointStoreError) -> JobDetail? {
        try read("reading job \(jobId)") { db -> JobDetail? in
            guard let job = try self.fetchJob(db, jobId) else { return nil }
            let history = try Row.fetchAll(db, sql: """
                SELECT time, type, epoch, seq, detail FROM job_history WHERE job_id = ? ORDER BY id
                """, arguments: [jobId]).map {
                JobHistoryEntry(time: $0["time"], type: $0["type"], epoch: $0["epoch"], seq: $0["seq"], detail: $0["detail"])
            }
            let wakeAt = try Int64.fetchOne(db, sql: "SELECT wake_at FROM timers WHERE job_id = ?", arguments: [jobId])
            return JobDetail(job: job, history: history, snapshots: try self.snapshotInfos(db, jobId: jobId), wakeAt: wakeAt)
        }
    }

    /// How many jobs are in each status (for a summary line).
    public func statusCounts() throws(CheckpointStoreError) -> [JobStatus: Int] {
        try read("counting jobs") { db in
            var counts: [JobStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM jobs GROUP BY status") {
                if let status = JobStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }
}
