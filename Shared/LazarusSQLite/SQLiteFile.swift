import Foundation
import GRDB

/// What a crash may take back: SQLite's `synchronous` setting.
public enum SQLiteDurability: String, Sendable {
    /// `synchronous=FULL`: the WAL is fsync'ed at every commit, so an answer sent after a
    /// commit is never contradicted by the database, even after power loss or a kernel crash.
    case full
    /// `synchronous=NORMAL`: commits survive a killed process (the WAL is in the OS page
    /// cache) but the last ones may be lost if the machine itself goes down.
    case normal
}

/// How a store opens its one SQLite file and writes to it; shared by the object store and
/// the checkpoint store so that both get WAL mode, the same busy handling and the same
/// transaction discipline.
public enum SQLiteFile {
    public struct Settings: Sendable {
        /// Names the connection in GRDB's diagnostics.
        public var label: String
        public var durability: SQLiteDurability
        /// How long a transaction waits for another process holding the write lock.
        public var busyTimeout: TimeInterval

        public init(label: String, durability: SQLiteDurability, busyTimeout: TimeInterval) {
            self.label = label
            self.durability = durability
            self.busyTimeout = busyTimeout
        }
    }

    /// Opens (creating the file and its directory if needed) the database at `path` in WAL
    /// mode and migrates it.
    public static func open(path: String, _ settings: Settings, migrator: DatabaseMigrator) throws -> any DatabaseWriter {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: path, configuration: configuration(settings))
        try migrator.migrate(pool)
        return pool
    }

    /// A private in-memory database (tests, local runs): nothing survives the process.
    public static func openInMemory(_ settings: Settings, migrator: DatabaseMigrator) throws -> any DatabaseWriter {
        let queue = try DatabaseQueue(configuration: configuration(settings))
        try migrator.migrate(queue)
        return queue
    }

    /// Runs `body` in one IMMEDIATE transaction: the write lock is taken up front, so two
    /// processes sharing the file never deadlock upgrading a read lock.
    ///
    /// Called inside another transaction on the same connection (see `inOneTransaction`),
    /// `body` runs in a savepoint instead: if it throws, only its own changes are taken
    /// back, and everything commits (or not) with the enclosing transaction. With
    /// `savepointWhenNested: false` it runs in the enclosing transaction directly: only for a
    /// body that throws nothing after its first write but failures that must abort the
    /// whole enclosing transaction anyway (it saves two statements per call).
    public static func immediateTransaction<T>(_ writer: any DatabaseWriter, savepointWhenNested: Bool = true,
                                               _ body: (Database) throws -> T) throws -> T {
        try writer.unsafeReentrantWrite { db in
            var result: T?
            if db.isInsideTransaction {
                result = savepointWhenNested ? try inSavepoint(db, body) : try body(db)
            } else {
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
            }
            return result!
        }
    }

    /// `body` in a savepoint of the open transaction. GRDB's `inSavepoint` prepares its
    /// SAVEPOINT and RELEASE statements anew each time; on the checkpoint service's hot path
    /// (a savepoint per snapshot) that parsing was about a tenth of the service's CPU.
    private static func inSavepoint<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        try db.cachedStatement(sql: "SAVEPOINT lazarus").execute()
        let result: T
        do {
            result = try body(db)
        } catch {
            // Undo this savepoint's changes only; the enclosing transaction decides the rest.
            try? db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT lazarus").execute()
            try? db.cachedStatement(sql: "RELEASE SAVEPOINT lazarus").execute()
            throw error
        }
        try db.cachedStatement(sql: "RELEASE SAVEPOINT lazarus").execute()
        return result
    }

    /// Runs `body` in one IMMEDIATE transaction; every `immediateTransaction` it makes on
    /// `writer` becomes a savepoint of it. One commit — one fsync — for many operations.
    /// If `body` throws, nothing of it is kept.
    public static func inOneTransaction<T>(_ writer: any DatabaseWriter, _ body: () throws -> T) throws -> T {
        try immediateTransaction(writer) { _ in try body() }
    }

    private static func configuration(_ settings: Settings) -> Configuration {
        var config = Configuration()
        config.label = settings.label
        config.busyMode = .timeout(settings.busyTimeout)
        let synchronous = settings.durability == .full ? "FULL" : "NORMAL"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
        }
        return config
    }
}

/// A database failure described for a store's error: what was being done, SQLite's own
/// message, and whether trying again may succeed (busy, locked, I/O hiccups, full disk).
public struct SQLiteFailure: Sendable {
    public let message: String
    public let retriable: Bool

    public init(_ error: any Error, doing what: String) {
        guard let db = error as? DatabaseError else {
            message = "\(what): \(error)"
            retriable = false
            return
        }
        let transient: [ResultCode] = [.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_IOERR, .SQLITE_FULL, .SQLITE_PROTOCOL]
        message = "\(what): \(db.message ?? "\(db.resultCode)") (\(db.resultCode))"
        retriable = transient.contains(db.resultCode.primaryResultCode)
    }
}
