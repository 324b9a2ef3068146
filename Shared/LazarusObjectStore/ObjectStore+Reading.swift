import GRDB
import LazarusWire

// MARK: - Reading without a host call (tests, the CLI, benchmarks)

extension ObjectStore {
    /// The records of `tenant` and `type` in creation order, optionally filtered like `records.query`.
    public func records(tenant: String, type: String, filter: [(key: String, value: JSONValue)] = [],
                        limit: Int = .max) throws(ObjectStoreError) -> [StoredRecord] {
        try read("listing \(type) records of tenant \(tenant)") { db in
            try self.matchingRecords(db, tenant: tenant, type: type, filter: filter, limit: limit)
        }
    }

    /// One record, or nil.
    public func record(tenant: String, type: String, id: String) throws(ObjectStoreError) -> StoredRecord? {
        try read("loading \(type) \(id) of tenant \(tenant)") { db in try self.fetchRecord(db, tenant, type, id) }
    }

    /// How many records `tenant` has of `type`.
    public func count(tenant: String, type: String) throws(ObjectStoreError) -> Int {
        try read("counting \(type) records of tenant \(tenant)") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records WHERE tenant = ? AND type = ?", arguments: [tenant, type]) ?? 0
        }
    }

    /// The newest epoch the store has seen for `jobId` (nil if it never saw a call of it).
    public func epoch(jobId: String) throws(ObjectStoreError) -> Int? {
        try read("reading the epoch of job \(jobId)") { db in
            try Int.fetchOne(db, sql: "SELECT epoch FROM job_epochs WHERE job_id = ?", arguments: [jobId])
        }
    }

    /// What the journal knows about one job's calls.
    public struct JournalStats: Sendable, Equatable {
        public var jobId: String
        /// Distinct calls executed (journal rows).
        public var calls: Int
        /// How many times a journaled outcome was served again instead of executing.
        public var replaysServed: Int
        /// How many distinct calls were replayed at least once.
        public var callsReplayed: Int
        /// The highest journaled sequence number.
        public var lastSeq: Int?
        /// The newest epoch seen.
        public var epoch: Int?

        public init(jobId: String, calls: Int, replaysServed: Int, callsReplayed: Int, lastSeq: Int?, epoch: Int?) {
            self.jobId = jobId
            self.calls = calls
            self.replaysServed = replaysServed
            self.callsReplayed = callsReplayed
            self.lastSeq = lastSeq
            self.epoch = epoch
        }
    }

    /// Journal statistics for `jobId` (all zero for an unknown job).
    public func journalStats(jobId: String) throws(ObjectStoreError) -> JournalStats {
        try read("reading the journal of job \(jobId)") { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS calls, COALESCE(SUM(replays), 0) AS replays,
                       COALESCE(SUM(replays > 0), 0) AS replayed, MAX(seq) AS last_seq
                FROM journal WHERE job_id = ?
                """, arguments: [jobId])!
            let epoch = try Int.fetchOne(db, sql: "SELECT epoch FROM job_epochs WHERE job_id = ?", arguments: [jobId])
            return JournalStats(jobId: jobId, calls: row["calls"], replaysServed: row["replays"],
                                callsReplayed: row["replayed"], lastSeq: row["last_seq"], epoch: epoch)
        }
    }

    /// Journal statistics for every job the journal holds, by job id.
    public func allJournalStats() throws(ObjectStoreError) -> [JournalStats] {
        try read("reading the journal") { db in
            try Row.fetchAll(db, sql: """
                SELECT j.job_id, COUNT(*) AS calls, SUM(j.replays) AS replays, SUM(j.replays > 0) AS replayed,
                       MAX(j.seq) AS last_seq, e.epoch
                FROM journal j LEFT JOIN job_epochs e ON e.job_id = j.job_id
                GROUP BY j.job_id ORDER BY j.job_id
                """).map { row in
                JournalStats(jobId: row["job_id"], calls: row["calls"], replaysServed: row["replays"],
                             callsReplayed: row["replayed"], lastSeq: row["last_seq"], epoch: row["epoch"])
            }
        }
    }

    /// The journaled outcome of one call, if any (for diagnosis).
    public func journaledOutcome(jobId: String, seq: Int) throws(ObjectStoreError) -> CallOutcome? {
        try read("reading journal row \(jobId)/\(seq)") { db in
            guard let text = try String.fetchOne(db, sql: "SELECT outcome FROM journal WHERE job_id = ? AND seq = ?",
                                                 arguments: [jobId, seq]) else { return nil }
            return try OutcomeCoding.decode(text)
        }
    }

    private func read<T>(_ what: String, _ body: (Database) throws -> T) throws(ObjectStoreError) -> T {
        do {
            return try writer.unsafeReentrantRead(body)
        } catch {
            throw ObjectStoreError.wrap(error, doing: what)
        }
    }
}
