/// `lazarus.object-requests`: a host call routed by the proxy to the object service.
public struct ObjectRequest: WireMessage, Equatable {
    public var jobId: String
    public var tenant: String
    public var epoch: Int
    public var seq: Int
    public var op: String
    public var args: [JSONValue]

    public init(jobId: String, tenant: String, epoch: Int, seq: Int, op: String, args: [JSONValue]) {
        self.jobId = jobId
        self.tenant = tenant
        self.epoch = epoch
        self.seq = seq
        self.op = op
        self.args = args
    }
}
