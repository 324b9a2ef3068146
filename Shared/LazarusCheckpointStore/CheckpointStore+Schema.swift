import GRDB

extension CheckpointStore {
    /// The schema, as GRDB migrations. Never edit a shipped migration: add a new one.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: jobs, snapshots, timers, history") { db in
            try db.execute(sql: """
                CREATE TABLE jobs (
                    job_id              TEXT    NOT NULL PRIMARY KEY,
                    tenant              TEXT    NOT NULL,
                    script              TEXT    NOT NULL,
                    args                TEXT    NOT NULL,   -- compact JSON, member order kept
                    policy              TEXT    NOT NULL,   -- SaveStatePolicy.description
                    status              TEXT    NOT NULL,   -- JobStatus raw value
                    epoch               INTEGER NOT NULL,
                    runs_issued         INTEGER NOT NULL,
                    kafka_partition     INTEGER NOT NULL,
                    created_at          INTEGER NOT NULL,   -- ms since the epoch
                    updated_at          INTEGER NOT NULL,
                    result              TEXT,               -- JSON
                    error               TEXT,               -- JSON {name, message, stack}
                    last_snapshot_seq   INTEGER,            -- the snapshot the next run uses
                    last_snapshot_epoch INTEGER,
                    resumptions         INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX jobs_by_partition ON jobs (kafka_partition, status);
                CREATE INDEX jobs_by_status ON jobs (status, created_at);

                -- `id` orders snapshots by arrival (pruning keeps the newest K).
                CREATE TABLE snapshots (
                    id           INTEGER PRIMARY KEY AUTOINCREMENT,
                    job_id       TEXT    NOT NULL,
                    seq          INTEGER NOT NULL,
                    epoch        INTEGER NOT NULL,
                    reason       TEXT    NOT NULL,
                    label        TEXT,
                    wake_at      INTEGER,
                    continuation BLOB    NOT NULL,
                    created_at   INTEGER NOT NULL,
                    UNIQUE (job_id, seq, epoch)
                );
                CREATE INDEX snapshots_by_job ON snapshots (job_id, id);

                CREATE TABLE timers (
                    job_id  TEXT    NOT NULL PRIMARY KEY,
                    wake_at INTEGER NOT NULL
                );
                CREATE INDEX timers_by_time ON timers (wake_at);

                -- `event_key` deduplicates redelivered job events (NULL for the store's own rows).
                CREATE TABLE job_history (
                    id        INTEGER PRIMARY KEY AUTOINCREMENT,
                    job_id    TEXT    NOT NULL,
                    time      INTEGER NOT NULL,
                    type      TEXT    NOT NULL,
                    epoch     INTEGER,
                    seq       INTEGER,
                    detail    TEXT,
                    event_key TEXT
                );
                CREATE INDEX job_history_by_job ON job_history (job_id, id);
                CREATE UNIQUE INDEX job_history_dedupe ON job_history (job_id, event_key);
                """)
        }
        // Snapshots are written once per host call under `always`: two b-trees instead of
        // three plus `sqlite_sequence` made saving one a fifth cheaper (docs/STORES.md).
        // Within a job, (epoch, seq) is arrival order for every stored snapshot — older
        // epochs are refused, seqs only grow within an epoch — so it replaces `id`.
        migrator.registerMigration("v2: snapshots keyed by (job, epoch, seq)") { db in
            try db.execute(sql: """
                CREATE TABLE snapshots_v2 (
                    job_id       TEXT    NOT NULL,
                    epoch        INTEGER NOT NULL,
                    seq          INTEGER NOT NULL,
                    reason       TEXT    NOT NULL,
                    label        TEXT,
                    wake_at      INTEGER,
                    continuation BLOB    NOT NULL,
                    created_at   INTEGER NOT NULL,
                    PRIMARY KEY (job_id, epoch, seq)
                );
                INSERT INTO snapshots_v2 (job_id, epoch, seq, reason, label, wake_at, continuation, created_at)
                    SELECT job_id, epoch, seq, reason, label, wake_at, continuation, created_at FROM snapshots ORDER BY id;
                DROP TABLE snapshots;
                ALTER TABLE snapshots_v2 RENAME TO snapshots;
                """)
        }
        return migrator
    }()
}
