/// Producer settings with Lazarus defaults. Anything here can still be overridden by
/// `KafkaConfig.properties` (e.g. from `LAZARUS_KAFKA_LINGER_MS`).
public struct KafkaProducerOptions: Sendable, Hashable {
    /// Batch compression codec (`compression.codec`).
    public enum Compression: String, Sendable, Hashable {
        case none, lz4, zstd, gzip, snappy
    }

    /// Idempotent delivery (`enable.idempotence`): retries never duplicate or reorder.
    public var idempotent: Bool = true
    /// How long to wait for more messages before sending a batch (`linger.ms`). 0: an idle
    /// producer sends at once, and under load messages still batch while earlier ones
    /// are in flight (measured: 1 ms of linger costs ~1 ms per hop, see docs/BENCHMARKS.md).
    public var lingerMs: Int = 0
    /// Batch compression.
    public var compression: Compression = .lz4
    /// How long a message may wait for delivery, retries included, before `send` fails with
    /// `.timedOut` (`message.timeout.ms`). `0` means *retry forever*: `send` only returns
    /// once the broker has the message (or the producer is closed).
    public var messageTimeoutMs: Int = 60_000
    /// How long `close()` / `deinit` waits for in-flight messages.
    public var flushTimeoutMs: Int = 10_000

    /// Creates options with the defaults above.
    public init() {}

    var properties: [String: String] {
        [
            "enable.idempotence": idempotent ? "true" : "false",
            "linger.ms": String(lingerMs),
            "compression.codec": compression.rawValue,
            "message.timeout.ms": String(messageTimeoutMs),
            // Kafka's Java default: any client keying by job id lands on the job's partition
            // (JobPartitioner computes the same), so runs, calls and results co-locate.
            "partitioner": "murmur2_random",
        ]
    }
}
