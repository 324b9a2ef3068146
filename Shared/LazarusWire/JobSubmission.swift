/// `lazarus.jobs`: a request to run a script, from the CLI or any Kafka producer.
public struct JobSubmission: WireMessage, Equatable {
    public var jobId: String
    public var tenant: String
    /// The script's JavaScript source.
    public var script: String
    /// Passed to the script's `main(args)`; an object.
    public var args: JSONValue
    public var policy: SaveStatePolicy

    public init(jobId: String, tenant: String, script: String, args: JSONValue = .object([]), policy: SaveStatePolicy = .default) {
        self.jobId = jobId
        self.tenant = tenant
        self.script = script
        self.args = args
        self.policy = policy
    }

    enum CodingKeys: String, CodingKey { case jobId, tenant, script, args, policy }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        jobId = try c.decode(String.self, forKey: .jobId)
        tenant = try c.decode(String.self, forKey: .tenant)
        script = try c.decode(String.self, forKey: .script)
        args = try c.decodeIfPresent(JSONValue.self, forKey: .args) ?? .object([])
        policy = try c.decodeIfPresent(SaveStatePolicy.self, forKey: .policy) ?? .default
    }
}
