import GRDB
import LazarusSQLite
import Testing

/// `SQLiteFile.immediateTransaction` nested in `inOneTransaction`: each nested call is a
/// savepoint that a throw takes back alone — at any depth — unless the caller opted out
/// (`savepointWhenNested: false`, for bodies that refuse before their first write).
@Suite struct SavepointTests {
    struct Refused: Error {}

    let writer: any DatabaseWriter

    init() throws {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in try db.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY)") }
        writer = try SQLiteFile.openInMemory(.init(label: "savepoint-tests", durability: .full, busyTimeout: 1), migrator: migrator)
    }

    private func insert(_ n: Int) throws {
        try SQLiteFile.immediateTransaction(writer) { db in try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [n]) }
    }

    private func rows() throws -> [Int] {
        try writer.read { db in try Int.fetchAll(db, sql: "SELECT n FROM t ORDER BY n") }
    }

    @Test func aThrowingNestedCallTakesBackOnlyItsOwnWrites() throws {
        try SQLiteFile.inOneTransaction(writer) {
            try insert(1)
            #expect(throws: Refused.self) {
                try SQLiteFile.immediateTransaction(writer) { db in
                    try db.execute(sql: "INSERT INTO t VALUES (2)")
                    throw Refused()
                }
            }
            try insert(3)
        }
        #expect(try rows() == [1, 3])
    }

    @Test func savepointsNestAndEachLevelRollsBackAlone() throws {
        try SQLiteFile.inOneTransaction(writer) {
            try SQLiteFile.immediateTransaction(writer) { db in
                try db.execute(sql: "INSERT INTO t VALUES (10)")
                #expect(throws: Refused.self) {
                    try SQLiteFile.immediateTransaction(writer) { db in
                        try db.execute(sql: "INSERT INTO t VALUES (11)")
                        throw Refused()
                    }
                }
                try db.execute(sql: "INSERT INTO t VALUES (12)")
            }
            // The connection is usable again after a rollback to a savepoint.
            try insert(13)
        }
        #expect(try rows() == [10, 12, 13])
    }

    @Test func withoutASavepointANestedWriteBelongsToTheEnclosingTransaction() throws {
        #expect(throws: Refused.self) {
            try SQLiteFile.inOneTransaction(writer) {
                try SQLiteFile.immediateTransaction(writer, savepointWhenNested: false) { db in
                    try db.execute(sql: "INSERT INTO t VALUES (20)")
                }
                throw Refused()
            }
        }
        try SQLiteFile.inOneTransaction(writer) {
            try SQLiteFile.immediateTransaction(writer, savepointWhenNested: false) { db in
                try db.execute(sql: "INSERT INTO t VALUES (21)")
            }
        }
        #expect(try rows() == [21])
    }

    @Test func outsideABatchEachCallIsItsOwnTransaction() throws {
        try insert(30)
        #expect(throws: Refused.self) {
            try SQLiteFile.immediateTransaction(writer, savepointWhenNested: false) { db in
                try db.execute(sql: "INSERT INTO t VALUES (31)")
                throw Refused()
            }
        }
        #expect(try rows() == [30])
    }
}
