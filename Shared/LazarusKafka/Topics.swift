/// The topic names of DESIGN.md. Every topic is keyed by job id and has the same
/// partition count, so partitions of co-partitioned topics are co-assigned (range assignor).
public enum LazarusTopics {
    /// Submissions: `{jobId, tenant, script, args, policy}` (CLI → checkpoint-service).
    public static let jobs = "lazarus.jobs"
    /// Run commands (checkpoint-service → script-executor).
    public static let runs = "lazarus.runs"
    /// Host calls with continuations (script-executor → object-proxy).
    public static let calls = "lazarus.calls"
    /// Call results (object-proxy → script-executor).
    public static let callResults = "lazarus.call-results"
    /// Object operations (object-proxy → object-service).
    public static let objectRequests = "lazarus.object-requests"
    /// Object operation replies (object-service → object-proxy).
    public static let objectReplies = "lazarus.object-replies"
    /// Snapshots of suspended scripts (object-proxy → checkpoint-service).
    public static let snapshots = "lazarus.snapshots"
    /// Job lifecycle events (many → checkpoint-service, CLI).
    public static let jobEvents = "lazarus.job-events"
    /// Control messages: recover, cancel, restore…
    public static let control = "lazarus.control"
    /// Messages nobody could decode, with the reason (see `DeadLetterWriter`).
    public static let deadLetters = "lazarus.dead-letters"

    /// Every Lazarus topic, in a stable order.
    public static let all: [String] = [
        jobs, runs, calls, callResults, objectRequests, objectReplies, snapshots, jobEvents, control, deadLetters,
    ]
}
