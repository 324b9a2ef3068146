import Foundation

/// A topic and partition number.
public struct TopicPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The topic name.
    public var topic: String
    /// The partition number within the topic.
    public var partition: Int32

    /// Creates a topic-partition.
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (a: TopicPartition, b: TopicPartition) -> Bool {
        (a.topic, a.partition) < (b.topic, b.partition)
    }

    public var description: String { "\(topic)[\(partition)]" }
}

/// A message header: a name and an optional byte value.
public struct KafkaHeader: Hashable, Sendable {
    /// Header name.
    public var name: String
    /// Header value; `nil` is a null header (distinct from empty).
    public var value: [UInt8]?

    /// Creates a header from bytes.
    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }

    /// Creates a header from a UTF-8 string.
    public init(name: String, string: String) {
        self.init(name: name, value: Array(string.utf8))
    }

    /// The value decoded as UTF-8, if it is valid UTF-8.
    public var stringValue: String? { value.flatMap { String(validating: $0, as: UTF8.self) } }
}

/// A consumed message. All bytes are copied out of librdkafka: the value is independent
/// of the consumer's lifetime.
public struct KafkaMessage: Sendable, Hashable {
    /// Source topic.
    public var topic: String
    /// Source partition.
    public var partition: Int32
    /// Offset of this message in its partition.
    public var offset: Int64
    /// Message key (`nil` if the message had none).
    public var key: [UInt8]?
    /// Message value (empty for a null value).
    public var value: [UInt8]
    /// Headers, in wire order.
    public var headers: [KafkaHeader]
    /// Message timestamp, milliseconds since 1970 (or -1 if unavailable).
    public var timestampMs: Int64

    /// Creates a message value (mostly for tests and dead-letter handling).
    public init(
        topic: String, partition: Int32, offset: Int64, key: [UInt8]? = nil, value: [UInt8],
        headers: [KafkaHeader] = [], timestampMs: Int64 = -1
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMs = timestampMs
    }

    /// The topic-partition the message came from.
    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }
    /// The key as UTF-8 text, when it is valid UTF-8.
    public var keyString: String? { key.flatMap { String(validating: $0, as: UTF8.self) } }
    /// The value as `Data` (for `JSONDecoder`).
    public var valueData: Data { Data(value) }
    /// The first header with this name.
    public func header(_ name: String) -> KafkaHeader? { headers.first { $0.name == name } }
}

/// A message to produce.
public struct KafkaRecord: Sendable, Hashable {
    /// Destination topic.
    public var topic: String
    /// Explicit partition, or `nil` to let the partitioner choose from the key.
    public var partition: Int32?
    /// Message key (`nil` for none). Lazarus keys every topic by job id.
    public var key: [UInt8]?
    /// Message value.
    public var value: [UInt8]
    /// Headers.
    public var headers: [KafkaHeader]

    /// Creates a record from bytes.
    public init(topic: String, partition: Int32? = nil, key: [UInt8]? = nil, value: [UInt8], headers: [KafkaHeader] = []) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// Creates a record with a text key and a `Data` value (typically encoded JSON).
    public init(topic: String, key: String?, value: Data, headers: [KafkaHeader] = []) {
        self.init(topic: topic, key: key.map { Array($0.utf8) }, value: [UInt8](value), headers: headers)
    }
}

/// Where a produced message landed, from the broker's acknowledgement.
public struct KafkaDeliveryReport: Sendable, Hashable {
    /// Topic written.
    public var topic: String
    /// Partition written.
    public var partition: Int32
    /// Offset assigned by the broker.
    public var offset: Int64
}
