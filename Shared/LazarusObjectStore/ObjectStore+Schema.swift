import GRDB

extension ObjectStore {
    /// The schema, as GRDB migrations. Never edit a shipped migration: add a new one.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: records, journal, job epochs") { db in
            // Business objects. `fields` is the compact JSON text written by JSONWriter,
            // so member order survives. `created_seq` orders queries by creation (rowids
            // may be renumbered by VACUUM; this may not).
            try db.execute(sql: """
                CREATE TABLE records (
                    tenant      TEXT    NOT NULL,
                    type        TEXT    NOT NULL,
                    id          TEXT    NOT NULL,
                    version     INTEGER NOT NULL,
                    fields      TEXT    NOT NULL,
                    created_seq INTEGER NOT NULL,
                    created_at  INTEGER NOT NULL,
                    updated_at  INTEGER NOT NULL,
                    PRIMARY KEY (tenant, type, id)
                ) WITHOUT ROWID;
                CREATE INDEX records_by_creation ON records (tenant, type, created_seq);

                -- The next number of the readable id scheme "<type>-<n>", per tenant and type.
                CREATE TABLE id_counters (
                    tenant  TEXT    NOT NULL,
                    type    TEXT    NOT NULL,
                    last    INTEGER NOT NULL,
                    PRIMARY KEY (tenant, type)
                ) WITHOUT ROWID;

                -- One row per executed host call: the request's fingerprint and its outcome.
                CREATE TABLE journal (
                    job_id       TEXT    NOT NULL,
                    seq          INTEGER NOT NULL,
                    epoch        INTEGER NOT NULL,
                    op           TEXT    NOT NULL,
                    request_hash TEXT    NOT NULL,
                    outcome      TEXT    NOT NULL,
                    created_at   INTEGER NOT NULL,
                    replays      INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (job_id, seq)
                ) WITHOUT ROWID;

                -- The newest epoch seen per job: calls from older epochs are fenced.
                CREATE TABLE job_epochs (
                    job_id TEXT    NOT NULL PRIMARY KEY,
                    epoch  INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }()
}
