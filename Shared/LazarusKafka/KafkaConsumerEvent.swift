/// What a consumer's event sequence yields.
public enum KafkaConsumerEvent: Sendable, Hashable {
    /// A message. Call `KafkaConsumer.storeOffset(for:)` once it is fully processed.
    case message(KafkaMessage)
    /// These partitions are now this member's (the full new assignment; range assignor).
    case assigned([TopicPartition])
    /// These partitions were taken away; buffered messages of them were discarded and
    /// their stored offsets committed.
    case revoked([TopicPartition])
    /// A consumer error. `.offsetOutOfRange` means data was lost; transport errors are
    /// informative (librdkafka reconnects by itself).
    case error(KafkaError)
}

/// What `KafkaConsumer.nextBatch(maxMessages:)` returns.
public enum KafkaConsumerBatch: Sendable {
    /// Consecutive messages, in order: every one already waiting, up to the maximum asked for.
    case messages([KafkaMessage])
    /// Any other event (never `.message`).
    case control(KafkaConsumerEvent)
}
