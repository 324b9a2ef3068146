import Foundation
import LazarusSQLite

/// How a `CheckpointStore` opens its database and what it accepts.
public struct CheckpointStoreOptions: Sendable {
    /// SQLite's `synchronous` setting, which decides what a crash can take back.
    public typealias Durability = SQLiteDurability

    public var durability: Durability = .full
    public var busyTimeout: TimeInterval = 5
    /// Snapshots kept per job (the newest by arrival, plus the one the next run would use).
    public var snapshotsKept: Int = 5
    /// The largest continuation accepted, in bytes. On the wire it travels as base64 (4/3
    /// larger) inside a Kafka message, so the default stays under a 1 MiB message limit.
    public var maxSnapshotBytes: Int = 768 * 1024
    /// The largest script source accepted at registration (UTF-8 bytes).
    public var maxScriptBytes: Int = 256 * 1024
    /// The largest `args` accepted at registration (compact JSON, bytes).
    public var maxArgsBytes: Int = 64 * 1024
    /// `log` events and other free text are cut to this length in the history.
    public var maxHistoryDetail: Int = 2048

    public init() {}
}
