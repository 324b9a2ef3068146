import Foundation
import LazarusSQLite

/// How an `ObjectStore` opens its database and what it accepts.
public struct ObjectStoreOptions: Sendable {
    /// SQLite's `synchronous` setting, which decides what a crash can take back.
    public typealias Durability = SQLiteDurability

    public var durability: Durability = .full
    /// How long a transaction waits for another process holding the write lock.
    public var busyTimeout: TimeInterval = 5
    /// The largest `fields` object a record may have, as compact JSON text (UTF-8 bytes).
    public var maxFieldsBytes: Int = 256 * 1024
    /// `records.query` without a limit returns at most this many records.
    public var defaultQueryLimit: Int = 100
    /// The largest limit `records.query` accepts.
    public var maxQueryLimit: Int = 1000
    /// Where `random()` comes from; replaceable for tests.
    public var random: @Sendable () -> Double = { Double.random(in: 0..<1) }

    public init() {}
}
