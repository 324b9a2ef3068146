import Foundation

/// `lazarus.runs`: tells an executor to run (or continue) a job at a given epoch.
///
/// A new epoch is issued for every (re)start; the object service fences calls from older
/// epochs, so a zombie executor can apply nothing.
public struct RunCommand: WireMessage, Equatable {
    public var jobId: String
    public var tenant: String
    public var epoch: Int
    /// The script source; executors cache its compiled form by content hash.
    public var program: String
    public var args: JSONValue
    public var policy: SaveStatePolicy
    /// The continuation to resume from, or `nil` to start from the beginning.
    public var snapshot: Data?
    /// The host-call sequence number the snapshot was taken at, if any.
    public var snapshotSeq: Int?
    /// Why this run was issued: `start`, `recover`, `yield`, `timer`, `restore` — or
    /// `cancel` (`cancelReason`): not a run but a stop, the job was cancelled.
    public var reason: String

    /// The `reason` of a stop order: the checkpoint service issues one (at a new epoch) when
    /// a job is cancelled; the executor drops the job's VM, or its queued run, and starts nothing.
    public static let cancelReason = "cancel"

    /// Whether this command stops the job instead of running it.
    public var isCancellation: Bool { reason == Self.cancelReason }

    public init(jobId: String, tenant: String, epoch: Int, program: String, args: JSONValue = .object([]),
                policy: SaveStatePolicy = .default, snapshot: Data? = nil, snapshotSeq: Int? = nil, reason: String = "start") {
        self.jobId = jobId
        self.tenant = tenant
        self.epoch = epoch
        self.program = program
        self.args = args
        self.policy = policy
        self.snapshot = snapshot
        self.snapshotSeq = snapshotSeq
        self.reason = reason
    }
}
