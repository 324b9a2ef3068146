import LazarusSQLite

/// A failure of the store itself (opening the file, SQLite I/O, a busy database), as opposed
/// to the outcome of an operation, which is a `CallOutcome` and is journaled.
///
/// When `execute` throws, nothing was committed: the caller may retry the same request.
public struct ObjectStoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The database file could not be opened or migrated.
        case openFailed
        /// SQLite reported an error while running a transaction; it was rolled back.
        case database
        /// A stored row could not be decoded (the file was written by something else).
        case corrupt
    }

    public let code: Code
    public let message: String
    /// Whether the same call may succeed if retried (busy or locked database, I/O hiccup).
    public let retriable: Bool

    public init(_ code: Code, _ message: String, retriable: Bool = false) {
        self.code = code
        self.message = message
        self.retriable = retriable
    }

    public var description: String { "\(code.rawValue): \(message)" }

    static func wrap(_ error: any Error, doing what: String) -> ObjectStoreError {
        if let error = error as? ObjectStoreError { return error }
        let failure = SQLiteFailure(error, doing: what)
        return ObjectStoreError(.database, failure.message, retriable: failure.retriable)
    }
}
