/// Consumer-group settings with Lazarus defaults.
public struct KafkaConsumerOptions: Sendable, Hashable {
    /// What to do after reporting a committed position that fell out of the log
    /// (the `.offsetOutOfRange` error event is always emitted first).
    public enum OutOfRangePolicy: String, Sendable, Hashable {
        /// Continue from the earliest message still in the log.
        case resumeFromEarliest
        /// Stop fetching that partition until it is reassigned (the operator decides).
        case stopPartition
    }

    /// Consumer group id (`group.id`).
    public var groupId: String
    /// Topics to subscribe to.
    public var topics: [String]
    /// Longest time the broker may hold a fetch with no data (`fetch.wait.max.ms`):
    /// small means low latency and more idle requests.
    public var fetchWaitMaxMs: Int = 1
    /// How often stored offsets are committed (`auto.commit.interval.ms`); they are also
    /// committed on rebalance and on close.
    public var autoCommitIntervalMs: Int = 1_000
    /// Group session timeout (`session.timeout.ms`). The dev broker waits about this long
    /// for members to rejoin when one leaves, so tests use a small value.
    public var sessionTimeoutMs: Int = 10_000
    /// Heartbeat interval (`heartbeat.interval.ms`), well below the session timeout.
    public var heartbeatIntervalMs: Int = 1_000
    /// Longest time between two polls before the member is evicted (`max.poll.interval.ms`).
    /// A full event buffer stops polling, so a consumer that stalls longer than this loses
    /// its partitions.
    public var maxPollIntervalMs: Int = 300_000
    /// Most messages buffered between the poll thread and the event sequence; when full,
    /// the poll thread waits (backpressure). Assignment, revocation and error events are
    /// never held back by this bound.
    public var bufferCapacity: Int = 512
    /// Behaviour after an out-of-range committed position.
    public var onOffsetOutOfRange: OutOfRangePolicy = .resumeFromEarliest

    /// Creates options for a group consuming `topics`.
    public init(groupId: String, topics: [String]) {
        self.groupId = groupId
        self.topics = topics
    }

    /// Tunables the caller may override through `KafkaConfig.properties`.
    var properties: [String: String] {
        [
            "group.id": groupId,
            "fetch.wait.max.ms": String(fetchWaitMaxMs),
            "fetch.error.backoff.ms": String(max(fetchWaitMaxMs, 1)),
            "auto.commit.interval.ms": String(autoCommitIntervalMs),
            "session.timeout.ms": String(sessionTimeoutMs),
            "heartbeat.interval.ms": String(heartbeatIntervalMs),
            "max.poll.interval.ms": String(maxPollIntervalMs),
        ]
    }

    /// Settings the consumer's correctness depends on; applied last, not overridable.
    static let enforced: [String: String] = [
        "enable.auto.commit": "true",
        "enable.auto.offset.store": "false",
        // Out-of-range positions must be loud; new groups start at the beginning through
        // the rebalance callback instead (see KafkaConsumer+Rebalance.swift).
        "auto.offset.reset": "error",
        "enable.partition.eof": "false",
        // Eager range assignment: co-partitioned topics are co-assigned, and the rebalance
        // callback uses rd_kafka_assign (not the incremental calls of cooperative protocols).
        "partition.assignment.strategy": "range",
    ]
}
