import Foundation
import GRDB
import LazarusSQLite
import LazarusWire

/// Business objects and the call journal of the object service, in one SQLite file.
///
/// Every host call goes through `execute(_:now:)`, which runs in one write transaction:
/// fencing by epoch, the journal lookup, the operation itself and the journal row commit
/// together or not at all. The caller sends its reply only after `execute` returned, so a
/// reply always describes committed state (see docs/STORES.md, "Object store").
public final class ObjectStore: Sendable {
    let writer: any DatabaseWriter
    let options: ObjectStoreOptions

    /// Opens (creating if needed) the database at `path` in WAL mode and migrates it.
    public init(path: String, options: ObjectStoreOptions = .init()) throws(ObjectStoreError) {
        self.options = options
        do {
            writer = try SQLiteFile.open(path: path, Self.settings(options), migrator: Self.migrator)
        } catch {
            throw ObjectStoreError(.openFailed, "cannot open object store at \(path): \(error)")
        }
    }

    /// A private in-memory store (for `lazarus run` and tests): nothing survives the process.
    public init(inMemory options: ObjectStoreOptions = .init()) throws(ObjectStoreError) {
        self.options = options
        do {
            writer = try SQLiteFile.openInMemory(Self.settings(options), migrator: Self.migrator)
        } catch {
            throw ObjectStoreError(.openFailed, "cannot open in-memory object store: \(error)")
        }
    }

    private static func settings(_ options: ObjectStoreOptions) -> SQLiteFile.Settings {
        .init(label: "lazarus.object-store", durability: options.durability, busyTimeout: options.busyTimeout)
    }

    // MARK: - Executing a call

    /// What `execute` produced: the outcome to reply with, and whether it came from the journal.
    public struct ExecutionResult: Sendable, Equatable {
        public var outcome: CallOutcome
        /// True when `(jobId, seq)` was already journaled and nothing was applied.
        public var replayed: Bool

        public init(outcome: CallOutcome, replayed: Bool) {
            self.outcome = outcome
            self.replayed = replayed
        }
    }

    /// Executes one host call in one transaction (fencing, journal, operation, journal row).
    ///
    /// Operation errors (`not-found`, `version-conflict`, `invalid-argument`, `too-large`,
    /// `unknown-operation`) are outcomes: they are journaled and returned. `fenced` and
    /// `nondeterministic-replay` are returned without writing anything. Throws only when the
    /// database itself fails; then nothing was committed and the call may be retried.
    public func execute(_ request: ObjectRequest, now: Date = Date()) throws(ObjectStoreError) -> ExecutionResult {
        let nowMillis = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        let hash = RequestFingerprint.of(tenant: request.tenant, op: request.op, args: request.args)
        do {
            return try SQLiteFile.immediateTransaction(writer) { db in
                try self.executeInTransaction(db, request, hash: hash, now: nowMillis)
            }
        } catch {
            throw ObjectStoreError.wrap(error, doing: "executing \(request.op) for job \(request.jobId) seq \(request.seq)")
        }
    }

    func executeInTransaction(_ db: Database, _ request: ObjectRequest, hash: String, now: Int64) throws -> ExecutionResult {
        // 1. Fencing: a call from an older epoch than the newest seen for the job is a zombie's.
        let known = try Int.fetchOne(db.cachedStatement(sql: "SELECT epoch FROM job_epochs WHERE job_id = ?"),
                                     arguments: [request.jobId])
        if let known, request.epoch < known {
            return ExecutionResult(outcome: .error(CallError(
                code: "fenced",
                message: "job \(request.jobId) call \(request.seq) comes from epoch \(request.epoch), but the job is now at epoch \(known): this run was superseded and must stop")),
                replayed: false)
        }
        if known == nil {
            try db.cachedStatement(sql: "INSERT INTO job_epochs (job_id, epoch) VALUES (?, ?)")
                .execute(arguments: [request.jobId, request.epoch])
        } else if let known, request.epoch > known {
            try db.cachedStatement(sql: "UPDATE job_epochs SET epoch = ? WHERE job_id = ?")
                .execute(arguments: [request.epoch, request.jobId])
        }

        // 2. Journal: a journaled (jobId, seq) answers from the journal and applies nothing.
        if let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT request_hash, outcome FROM journal WHERE job_id = ? AND seq = ?"),
            arguments: [request.jobId, request.seq]) {
            let journaledHash: String = row["request_hash"]
            guard journaledHash == hash else {
                return ExecutionResult(outcome: .error(CallError(
                    code: "nondeterministic-replay",
                    message: "job \(request.jobId) call \(request.seq) (\(request.op)) differs from the call journaled under the same sequence number: the script did not replay the same history")),
                    replayed: false)
            }
            try db.cachedStatement(sql: "UPDATE journal SET replays = replays + 1 WHERE job_id = ? AND seq = ?")
                .execute(arguments: [request.jobId, request.seq])
            return ExecutionResult(outcome: try OutcomeCoding.decode(row["outcome"]), replayed: true)
        }

        // 3. Execute and journal the outcome, whatever it is.
        let outcome = try perform(db, request, now: now)
        try db.cachedStatement(sql: """
            INSERT INTO journal (job_id, seq, epoch, op, request_hash, outcome, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [request.jobId, request.seq, request.epoch, request.op, hash,
                                     OutcomeCoding.encode(outcome), now])
        return ExecutionResult(outcome: outcome, replayed: false)
    }
}
