import LazarusKafka

/// Message sizes the services agree on.
///
/// A snapshot carries up to 768 KiB of VM state (the checkpoint store's limit): about 1 MiB
/// as base64, above librdkafka's default `message.max.bytes` (1,000,000). Every producer of
/// a message that carries a continuation — the executor (calls), the proxy (snapshots) and
/// the checkpoint service (run commands) — therefore raises its `message.max.bytes`.
public enum MessageSizes {
    /// The largest continuation (serialized VM state) a snapshot may carry.
    public static let maxContinuationBytes = 768 * 1024
    /// `message.max.bytes` of the producers of run commands and calls: a run command holds
    /// the snapshot (≤ 1 MiB as base64), the script (≤ 256 KiB, more once JSON-escaped) and
    /// the args; the executor's consumer accepts run commands up to this size.
    public static let largeMessageBytes = 4 << 20

    /// `config` with `message.max.bytes` = `bytes`, unless the operator set it (e.g. with
    /// `LAZARUS_KAFKA_MESSAGE_MAX_BYTES`), and the limit in effect.
    public static func allowingLargeMessages(_ config: KafkaConfig, upTo bytes: Int = largeMessageBytes) -> (config: KafkaConfig, limit: Int) {
        var config = config
        if config.properties["message.max.bytes"] == nil {
            config.properties["message.max.bytes"] = String(bytes)
        }
        return (config, Int(config.properties["message.max.bytes"] ?? "") ?? bytes)
    }
}
