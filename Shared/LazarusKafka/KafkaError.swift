import CRdKafka

/// The one error type of LazarusKafka: what went wrong, in words an operator can act on,
/// and whether trying again later can help.
public struct KafkaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure, stable across librdkafka versions.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A delivery or request did not complete within its timeout (`message.timeout.ms`, …).
        case timedOut
        /// No broker could be reached, or a connection broke (`transport`, "all brokers down").
        case brokerDown
        /// The topic or partition does not exist on the cluster.
        case unknownTopic
        /// The message exceeds `message.max.bytes` of the client or the broker.
        case messageTooLarge
        /// A committed consumer position points before the log start: **data was lost**.
        case offsetOutOfRange
        /// A configuration property is unknown or has an invalid value.
        case invalidConfig
        /// The local producer queue is full (`queue.buffering.max.messages`).
        case queueFull
        /// Authentication or authorization failed.
        case authentication
        /// The broker does not support the operation (e.g. CreateTopics on the dev broker).
        case unsupported
        /// The partition is not assigned to this consumer (any more).
        case notAssigned
        /// The client hit an unrecoverable error (e.g. idempotence broken); recreate it.
        case fatal
        /// The client was closed.
        case closed
        /// An invalid argument was passed to librdkafka.
        case invalidArgument
        /// Any other broker or client error; see `message` and `librdkafkaCode`.
        case other
    }

    /// The kind of failure.
    public var code: Code
    /// What happened, with the librdkafka description and context (topic, partition…).
    public var message: String
    /// Whether the same operation may succeed if retried later.
    public var isRetriable: Bool
    /// The librdkafka `rd_kafka_resp_err_t` value, for diagnostics (0 if none).
    public var librdkafkaCode: Int32
    /// The partition the error is about, when there is one (consumer errors).
    public var topicPartition: TopicPartition?
    /// The offset the error is about, when there is one (e.g. the lost committed position).
    public var offset: Int64?

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, isRetriable: Bool = false, librdkafkaCode: Int32 = 0,
        topicPartition: TopicPartition? = nil, offset: Int64? = nil
    ) {
        self.code = code
        self.message = message
        self.isRetriable = isRetriable
        self.librdkafkaCode = librdkafkaCode
        self.topicPartition = topicPartition
        self.offset = offset
    }

    public var description: String { "KafkaError.\(code.rawValue): \(message)" }
}

// MARK: - Translation from librdkafka

extension KafkaError {
    /// Translates a librdkafka error code right where it was returned.
    init(rd err: rd_kafka_resp_err_t, _ context: String, topicPartition: TopicPartition? = nil, offset: Int64? = nil) {
        let text = String(cString: rd_kafka_err2str(err))
        let (code, retriable) = Self.classify(err.rawValue)
        self.init(
            code, context.isEmpty ? text : "\(context): \(text)", isRetriable: retriable,
            librdkafkaCode: err.rawValue, topicPartition: topicPartition, offset: offset)
    }

    /// Maps a raw `rd_kafka_resp_err_t` to a code and retriability.
    static func classify(_ raw: Int32) -> (Code, Bool) {
        switch raw {
        case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT.rawValue, RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue,
            RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT.rawValue, RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE.rawValue:
            return (.timedOut, true)
        case RD_KAFKA_RESP_ERR__TRANSPORT.rawValue, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN.rawValue,
            RD_KAFKA_RESP_ERR__RESOLVE.rawValue, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE.rawValue,
            RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION.rawValue, RD_KAFKA_RESP_ERR__WAIT_COORD.rawValue,
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS.rawValue,
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND.rawValue:
            return (.brokerDown, true)
        case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC.rawValue, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART.rawValue,
            RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION.rawValue:
            return (.unknownTopic, true)
        case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE.rawValue:
            return (.messageTooLarge, false)
        case RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE.rawValue, RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET.rawValue:
            return (.offsetOutOfRange, false)
        case RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue:
            return (.queueFull, true)
        case RD_KAFKA_RESP_ERR__AUTHENTICATION.rawValue, RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED.rawValue,
            RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED.rawValue, RD_KAFKA_RESP_ERR__SSL.rawValue:
            return (.authentication, false)
        case RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE.rawValue, RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION.rawValue,
            RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED.rawValue:
            return (.unsupported, false)
        case RD_KAFKA_RESP_ERR__STATE.rawValue, RD_KAFKA_RESP_ERR__ASSIGNMENT_LOST.rawValue:
            return (.notAssigned, false)
        case RD_KAFKA_RESP_ERR__FATAL.rawValue, RD_KAFKA_RESP_ERR__FENCED.rawValue:
            return (.fatal, false)
        case RD_KAFKA_RESP_ERR__DESTROY.rawValue:
            return (.closed, false)
        case RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue:
            return (.invalidArgument, false)
        default:
            return (.other, false)
        }
    }

    static func closed(_ what: String) -> KafkaError {
        KafkaError(.closed, "\(what) was closed; create a new one")
    }
}
