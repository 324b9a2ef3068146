/// `lazarus.job-events`: what happened to a job, for the checkpoint service, the CLI and
/// any operator watching with kcat.
public struct JobEvent: WireMessage, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case accepted, started, resumed, checkpointed, yielded, sleeping
        case completed, failed, cancelled, rejected, log
    }

    public var jobId: String
    public var tenant: String?
    public var epoch: Int?
    public var type: Kind
    /// Milliseconds since the epoch.
    public var time: Int64
    /// The host-call sequence number the event refers to, if any.
    public var seq: Int?
    /// `completed`: the script's return value; `log`: the logged values.
    public var result: JSONValue?
    /// `failed` / `rejected`: why.
    public var error: JobFailure?
    /// Free-form detail: checkpoint label, snapshot reason, wake-up time…
    public var detail: String?

    public init(jobId: String, tenant: String? = nil, epoch: Int? = nil, type: Kind, time: Int64,
                seq: Int? = nil, result: JSONValue? = nil, error: JobFailure? = nil, detail: String? = nil) {
        self.jobId = jobId
        self.tenant = tenant
        self.epoch = epoch
        self.type = type
        self.time = time
        self.seq = seq
        self.result = result
        self.error = error
        self.detail = detail
    }

    /// `completed`, `failed`, `cancelled` and `rejected` end a job.
    public var isTerminal: Bool {
        switch type {
        case .completed, .failed, .cancelled, .rejected: true
        default: false
        }
    }
}

/// Why a job failed: a script error (with its stack) or a platform refusal.
public struct JobFailure: Codable, Sendable, Equatable {
    /// `TypeError`, `SyntaxError`, …, or a platform code such as `governance-exceeded`.
    public var name: String
    public var message: String
    /// The script stack, one frame a line, innermost first.
    public var stack: String?

    public init(name: String, message: String, stack: String? = nil) {
        self.name = name
        self.message = message
        self.stack = stack
    }
}
