import Foundation
import GRDB
import LazarusSQLite
import LazarusWire

/// The checkpoint service's durable state: the job registry, snapshots, `sleep` timers and
/// each job's history, in one SQLite file. Every public method is one transaction — or,
/// called within `inOneTransaction`, one savepoint of that transaction.
///
/// The store decides; the service produces. A method that returns a `RunCommand` has
/// already committed the new epoch (within `inOneTransaction`: once that commits, so the
/// service produces only after it), so a crash before the command reaches Kafka at worst
/// leaves a job that `acceptedButNeverStarted()`, `dueTimers(now:)` or
/// `jobsToRecover(partitions:)` hands out again (see docs/STORES.md).
public final class CheckpointStore: Sendable {
    let writer: any DatabaseWriter
    let options: CheckpointStoreOptions

    /// Opens (creating if needed) the database at `path` in WAL mode and migrates it.
    public init(path: String, options: CheckpointStoreOptions = .init()) throws(CheckpointStoreError) {
        self.options = options
        do {
            writer = try SQLiteFile.open(path: path, Self.settings(options), migrator: Self.migrator)
        } catch {
            throw CheckpointStoreError(.openFailed, "cannot open checkpoint store at \(path): \(error)")
        }
    }

    /// A private in-memory store (tests, local runs): nothing survives the process.
    public init(inMemory options: CheckpointStoreOptions = .init()) throws(CheckpointStoreError) {
        self.options = options
        do {
            writer = try SQLiteFile.openInMemory(Self.settings(options), migrator: Self.migrator)
        } catch {
            throw CheckpointStoreError(.openFailed, "cannot open in-memory checkpoint store: \(error)")
        }
    }

    private static func settings(_ options: CheckpointStoreOptions) -> SQLiteFile.Settings {
        .init(label: "lazarus.checkpoint-store", durability: options.durability, busyTimeout: options.busyTimeout)
    }

    /// Milliseconds since the epoch, the store's unit of time.
    public static func currentMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    // MARK: - Transactions

    /// Runs `body` in one IMMEDIATE transaction (see `SQLiteFile.immediateTransaction`).
    /// `checksBeforeWrites`: `body` makes every refusal (an outcome or a thrown store error)
    /// before its first write, so within `inOneTransaction` it needs no savepoint of its own.
    func transaction<T>(_ what: @autoclosure () -> String, checksBeforeWrites: Bool = false,
                        _ body: (Database) throws -> T) throws(CheckpointStoreError) -> T {
        do {
            return try SQLiteFile.immediateTransaction(writer, savepointWhenNested: !checksBeforeWrites, body)
        } catch {
            throw CheckpointStoreError.wrap(error, doing: what())
        }
    }

    /// Runs `body` as one transaction: the store methods it calls commit together, with
    /// one fsync, or — if `body` throws — not at all. A method that throws inside takes
    /// back only its own changes; `body` decides whether to go on.
    public func inOneTransaction<T>(_ body: () throws -> T) throws -> T {
        do {
            return try SQLiteFile.inOneTransaction(writer, body)
        } catch let error as DatabaseError {
            throw CheckpointStoreError.wrap(error, doing: "committing a batch")
        }
    }

    func read<T>(_ what: @autoclosure () -> String, _ body: (Database) throws -> T) throws(CheckpointStoreError) -> T {
        do {
            return try writer.unsafeReentrantRead(body)
        } catch {
            throw CheckpointStoreError.wrap(error, doing: what())
        }
    }

    // MARK: - Shared row access

    func fetchJob(_ db: Database, _ jobId: String) throws -> JobRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM jobs WHERE job_id = ?"), arguments: [jobId]).map(Self.job(from:))
    }

    /// What deciding on a snapshot or an event needs of a job, without reading its script,
    /// arguments and result (the hot path runs this once per snapshot and per event).
    func fetchJobState(_ db: Database, _ jobId: String) throws -> JobState? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT tenant, status, epoch, last_snapshot_seq, last_snapshot_epoch FROM jobs WHERE job_id = ?
            """), arguments: [jobId]) else { return nil }
        // By position: GRDB looks names up case-insensitively, which costs more than the query.
        let statusText: String = row[1]
        guard let status = JobStatus(rawValue: statusText) else {
            throw CheckpointStoreError(.corrupt, "job \(jobId): unknown status '\(statusText)'")
        }
        return JobState(tenant: row[0], status: status, epoch: row[2], lastSnapshotSeq: row[3], lastSnapshotEpoch: row[4])
    }

    func requireJob(_ db: Database, _ jobId: String) throws -> JobRecord {
        guard let job = try fetchJob(db, jobId) else {
            throw CheckpointStoreError(.unknownJob, "no job '\(jobId)' is registered: check the id with `lazarus jobs`")
        }
        return job
    }

    func addHistory(_ db: Database, jobId: String, time: Int64, type: String, epoch: Int? = nil, seq: Int? = nil,
                    detail: String? = nil, eventKey: String? = nil) throws {
        let detail = detail.map { $0.count > options.maxHistoryDetail ? String($0.prefix(options.maxHistoryDetail)) + "…" : $0 }
        try db.cachedStatement(sql: """
            INSERT INTO job_history (job_id, time, type, epoch, seq, detail, event_key) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [jobId, time, type, epoch, seq, detail, eventKey])
    }

    static func job(from row: Row) throws -> JobRecord {
        let jobId: String = row["job_id"]
        func json(_ column: String) throws -> JSONValue? {
            guard let text: String = row[column] else { return nil }
            do { return try JSONParser.parse(Array(text.utf8)) } catch {
                throw CheckpointStoreError(.corrupt, "job \(jobId): column \(column) is not valid JSON: \(error)")
            }
        }
        let statusText: String = row["status"]
        let policyText: String = row["policy"]
        guard let status = JobStatus(rawValue: statusText), let policy = SaveStatePolicy(parsing: policyText) else {
            throw CheckpointStoreError(.corrupt, "job \(jobId): unknown status '\(statusText)' or policy '\(policyText)'")
        }
        var failure: JobFailure?
        if let error = try json("error") {
            failure = JobFailure(name: error["name"]?.stringValue ?? "Error", message: error["message"]?.stringValue ?? "",
                                 stack: error["stack"]?.stringValue)
        }
        return JobRecord(jobId: jobId, tenant: row["tenant"], script: row["script"], args: try json("args") ?? .object([]),
                         policy: policy, status: status, epoch: row["epoch"], runsIssued: row["runs_issued"],
                         partition: row["kafka_partition"], createdAt: row["created_at"], updatedAt: row["updated_at"],
                         result: try json("result"), error: failure, lastSnapshotSeq: row["last_snapshot_seq"],
                         lastSnapshotEpoch: row["last_snapshot_epoch"], resumptions: row["resumptions"])
    }

    static func jsonText(_ value: JSONValue) -> String { String(decoding: JSONWriter.write(value), as: UTF8.self) }

    static func jsonText(_ failure: JobFailure) -> String {
        var members: [(key: String, value: JSONValue)] = [("name", .string(failure.name)), ("message", .string(failure.message))]
        if let stack = failure.stack { members.append(("stack", .string(stack))) }
        return jsonText(.object(members))
    }
}
