/// `lazarus.control`: requests to the checkpoint service from executors and operators.
public struct ControlMessage: WireMessage, Equatable {
    public enum Command: String, Codable, Sendable {
        /// An executor was assigned `partitions` of `lazarus.runs`: re-issue their live jobs.
        case recover
        /// Stop a job; it ends `cancelled`.
        case cancel
        /// Resume a job from its snapshot `seq` (an earlier one than the latest).
        case restore
    }

    /// The job concerned; for `recover`, the requesting executor's id (the message key).
    public var jobId: String
    public var command: Command
    public var partitions: [Int]?
    public var seq: Int?
    /// Who asked, for the audit trail.
    public var requestedBy: String?

    public init(jobId: String, command: Command, partitions: [Int]? = nil, seq: Int? = nil, requestedBy: String? = nil) {
        self.jobId = jobId
        self.command = command
        self.partitions = partitions
        self.seq = seq
        self.requestedBy = requestedBy
    }
}
