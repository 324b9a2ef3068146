import Foundation

/// `lazarus.snapshots`: a saved execution state, written by the proxy before it routes the
/// call that triggered it.
public struct SnapshotEvent: WireMessage, Equatable {
    public var jobId: String
    public var tenant: String
    public var epoch: Int
    /// The host call the snapshot is suspended in.
    public var seq: Int
    /// `checkpoint`, `yield`, `sleep`, `afterWrite`, `everyCalls`, `everyMillis`, `always`.
    public var reason: String
    /// For `checkpoint(label)`.
    public var label: String?
    /// For `sleep(ms)`: when the job is due again, ms since the epoch.
    public var wakeAt: Int64?
    public var continuation: Data

    public init(jobId: String, tenant: String, epoch: Int, seq: Int, reason: String, label: String? = nil,
                wakeAt: Int64? = nil, continuation: Data) {
        self.jobId = jobId
        self.tenant = tenant
        self.epoch = epoch
        self.seq = seq
        self.reason = reason
        self.label = label
        self.wakeAt = wakeAt
        self.continuation = continuation
    }
}
