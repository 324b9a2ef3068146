import Foundation

/// `lazarus.calls`: a host call a suspended script is waiting on.
public struct HostCallRequest: WireMessage, Equatable {
    public var jobId: String
    public var tenant: String
    public var epoch: Int
    /// Counts the job's host calls from 1; with `jobId` it is the journal key.
    public var seq: Int
    /// `records.create`, `records.load`, …, `checkpoint`, `yieldScript`, `sleep`, `now`, `random`, `log`.
    public var op: String
    public var args: [JSONValue]
    public var policy: SaveStatePolicy
    /// The VM state awaiting this call's result; attached when the policy may snapshot here.
    public var continuation: Data?
    /// Milliseconds since the epoch of the job's last snapshot, for `everyMillis` (the proxy keeps no state).
    public var lastSnapshotAt: Int64?

    public init(jobId: String, tenant: String, epoch: Int, seq: Int, op: String, args: [JSONValue],
                policy: SaveStatePolicy = .default, continuation: Data? = nil, lastSnapshotAt: Int64? = nil) {
        self.jobId = jobId
        self.tenant = tenant
        self.epoch = epoch
        self.seq = seq
        self.op = op
        self.args = args
        self.policy = policy
        self.continuation = continuation
        self.lastSnapshotAt = lastSnapshotAt
    }
}

/// The host operations of DESIGN.md and what the proxy needs to know about each.
public enum HostOperation: String, Sendable, CaseIterable {
    case create = "records.create"
    case load = "records.load"
    case update = "records.update"
    case remove = "records.remove"
    case query = "records.query"
    case checkpoint
    case yieldScript
    case sleep
    case now
    case random
    case log

    /// Writes change business objects; `afterWrite` saves state before routing them.
    public var isWrite: Bool {
        switch self {
        case .create, .update, .remove: true
        default: false
        }
    }

    /// Calls that save state whatever the policy.
    public var isSaveStatePoint: Bool {
        switch self {
        case .checkpoint, .yieldScript, .sleep: true
        default: false
        }
    }
}
