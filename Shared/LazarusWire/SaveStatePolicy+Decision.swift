extension SaveStatePolicy {
    /// The reasons of the save points a script asks for itself (checkpoint, yieldScript,
    /// sleep), whatever the policy; every other reason is the policy's.
    public static let scriptRequestedReasons: Set<String> = ["checkpoint", "yield", "sleep"]

    /// Why a host call is a save-state point, or `nil` when it is not.
    ///
    /// A pure function of the call, so the proxy keeps no state and the executor can tell
    /// in advance whether to attach the continuation: both ask this.
    /// - Parameters:
    ///   - seq: the call's sequence number (from 1).
    ///   - millisSinceLastSnapshot: time since the job's last snapshot (or since it started).
    public func saveStateReason(op: String, seq: Int, millisSinceLastSnapshot: Int64) -> String? {
        let operation = HostOperation(rawValue: op)
        switch operation {
        case .checkpoint: return "checkpoint"
        case .yieldScript: return "yield"
        case .sleep: return "sleep"
        default: break
        }
        switch self {
        case .explicit:
            return nil
        case .afterWrite:
            return operation?.isWrite == true ? "afterWrite" : nil
        case .everyCalls(let n):
            return seq % n == 0 ? "everyCalls" : nil
        case .everyMillis(let t):
            return millisSinceLastSnapshot >= Int64(t) ? "everyMillis" : nil
        case .always:
            return "always"
        }
    }
}
