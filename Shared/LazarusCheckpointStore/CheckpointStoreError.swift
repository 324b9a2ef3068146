import LazarusSQLite

/// Why a checkpoint-store operation could not be carried out. Messages name the job and say
/// what to do; they are fit for a CLI or a dead letter.
public struct CheckpointStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The database file could not be opened or migrated.
        case openFailed
        /// SQLite failed; the transaction was rolled back.
        case database
        /// A stored row could not be decoded.
        case corrupt
        /// No job has this id.
        case unknownJob
        /// The job has no snapshot with the requested sequence number.
        case snapshotNotFound
        /// The job has ended; the action needs a live job.
        case jobTerminal
    }

    public let code: Code
    public let message: String
    /// Whether retrying the same operation may succeed.
    public let retriable: Bool

    public init(_ code: Code, _ message: String, retriable: Bool = false) {
        self.code = code
        self.message = message
        self.retriable = retriable
    }

    public var description: String { "\(code.rawValue): \(message)" }

    static func wrap(_ error: any Error, doing what: String) -> CheckpointStoreError {
        if let error = error as? CheckpointStoreError { return error }
        let failure = SQLiteFailure(error, doing: what)
        return CheckpointStoreError(.database, failure.message, retriable: failure.retriable)
    }
}
