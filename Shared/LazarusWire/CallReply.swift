/// The answer to a host call: `lazarus.object-replies` (object service → proxy) and
/// `lazarus.call-results` (proxy → executor) carry the same shape.
public struct CallReply: WireMessage, Equatable {
    public var jobId: String
    public var epoch: Int
    public var seq: Int
    public var outcome: CallOutcome
    /// True when the object service answered from its journal (a replayed call).
    public var replayed: Bool

    public init(jobId: String, epoch: Int, seq: Int, outcome: CallOutcome, replayed: Bool = false) {
        self.jobId = jobId
        self.epoch = epoch
        self.seq = seq
        self.outcome = outcome
        self.replayed = replayed
    }

    enum CodingKeys: String, CodingKey { case jobId, epoch, seq, replayed }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        jobId = try c.decode(String.self, forKey: .jobId)
        epoch = try c.decode(Int.self, forKey: .epoch)
        seq = try c.decode(Int.self, forKey: .seq)
        replayed = try c.decodeIfPresent(Bool.self, forKey: .replayed) ?? false
        outcome = try CallOutcome(from: decoder.container(keyedBy: CallOutcomeKeys.self))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(jobId, forKey: .jobId)
        try c.encode(epoch, forKey: .epoch)
        try c.encode(seq, forKey: .seq)
        if replayed { try c.encode(replayed, forKey: .replayed) }
        var outcomeContainer = encoder.container(keyedBy: CallOutcomeKeys.self)
        try outcome.encode(to: &outcomeContainer)
    }
}
