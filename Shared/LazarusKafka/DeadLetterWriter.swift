import Foundation

/// The JSON value written to `lazarus.dead-letters` (see `docs/KAFKA.md`). Readable with
/// `kcat`; the original bytes are base64 so nothing is lost whatever they were.
public struct DeadLetterEnvelope: Codable, Sendable, Hashable {
    /// Wire format version (always 1).
    public var v: Int = 1
    /// Why the message could not be processed (the consumer's words).
    public var reason: String
    /// Topic the message was read from.
    public var sourceTopic: String
    /// Partition it was read from.
    public var sourcePartition: Int32
    /// Its offset there.
    public var sourceOffset: Int64
    /// Original key, base64 (absent if the message had no key).
    public var keyBase64: String?
    /// Original value, base64.
    public var valueBase64: String
    /// The value as text when it was valid UTF-8, for humans reading the topic.
    public var valueText: String?
    /// Original headers; values base64 (null for null headers).
    public var headers: [Header]
    /// When the dead letter was written (milliseconds since 1970).
    public var deadLetteredAtMs: Int64

    /// One original header.
    public struct Header: Codable, Sendable, Hashable {
        /// Header name.
        public var name: String
        /// Header value, base64.
        public var valueBase64: String?

        /// Creates a header entry.
        public init(name: String, valueBase64: String?) {
            self.name = name
            self.valueBase64 = valueBase64
        }
    }

    /// Builds the envelope of `message`.
    public init(message: KafkaMessage, reason: String, at date: Date = Date()) {
        self.reason = reason
        sourceTopic = message.topic
        sourcePartition = message.partition
        sourceOffset = message.offset
        keyBase64 = message.key.map { Data($0).base64EncodedString() }
        valueBase64 = Data(message.value).base64EncodedString()
        valueText = String(validating: message.value, as: UTF8.self)
        headers = message.headers.map { Header(name: $0.name, valueBase64: $0.value.map { Data($0).base64EncodedString() }) }
        deadLetteredAtMs = Int64(date.timeIntervalSince1970 * 1000)
    }

    /// The original value bytes.
    public var value: [UInt8] { Data(base64Encoded: valueBase64).map { [UInt8]($0) } ?? [] }
}

/// Diverts messages a consumer cannot process to `lazarus.dead-letters`, so the service
/// answers bad input instead of dying on it or stalling its partition.
///
/// The dead letter keeps the original key (same partitioning), carries the JSON
/// ``DeadLetterEnvelope`` as value, and repeats the essentials as headers
/// (`lazarus.dlq.reason`, `lazarus.dlq.source` = `topic/partition/offset`) for tools that
/// only look at headers. Deciding what is malformed, and the reason text, is the caller's.
public struct DeadLetterWriter: Sendable {
    /// The producer used to write dead letters.
    public let producer: KafkaProducer
    /// The dead-letter topic.
    public let topic: String

    /// Creates a writer producing to `topic` (default `lazarus.dead-letters`).
    public init(producer: KafkaProducer, topic: String = LazarusTopics.deadLetters) {
        self.producer = producer
        self.topic = topic
    }

    /// The dead letter for `message`, to send along with other output.
    public func record(for message: KafkaMessage, reason: String) -> KafkaRecord {
        let envelope = DeadLetterEnvelope(message: message, reason: reason)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // The envelope holds only strings and integers: encoding cannot fail.
        let value = (try? encoder.encode(envelope)) ?? Data()
        return KafkaRecord(
            topic: topic, key: message.key, value: [UInt8](value),
            headers: [
                KafkaHeader(name: "lazarus.dlq.reason", string: reason),
                KafkaHeader(name: "lazarus.dlq.source", string: "\(message.topic)/\(message.partition)/\(message.offset)"),
            ])
    }

    /// Writes the dead letter and waits for the broker's acknowledgement.
    @discardableResult
    public func write(_ message: KafkaMessage, reason: String) async throws(KafkaError) -> KafkaDeliveryReport {
        try await producer.send(record(for: message, reason: reason))
    }

    /// Writes the dead letter, then stores the message's offset on `consumer` so the
    /// consumer moves past it. If the write fails nothing is stored (the message will be
    /// seen again), and the error is thrown.
    public func divert(_ message: KafkaMessage, reason: String, consumer: KafkaConsumer) async throws(KafkaError) {
        try await write(message, reason: reason)
        try consumer.storeOffset(for: message)
    }
}
