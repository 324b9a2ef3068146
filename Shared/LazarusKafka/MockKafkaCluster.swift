import CRdKafka

/// librdkafka's in-process mock Kafka cluster on 127.0.0.1 (dev and tests only).
///
/// Limits of librdkafka 2.0.2's mock: each partition keeps at most 5 MiB / 100,000 message
/// sets (older ones are dropped), topics live in memory only, and CreateTopics is not
/// implemented (create topics with ``createTopic(_:partitions:replicationFactor:)``).
public final class MockKafkaCluster: @unchecked Sendable {
    // @unchecked: the mock functions post operations to the mock cluster's own thread and
    // are safe to call from any thread; the handles are immutable after init.
    private let rk: OpaquePointer
    private let cluster: OpaquePointer
    /// Number of brokers; their ids are `1...brokerCount`.
    public let brokerCount: Int

    /// Starts a mock cluster with `brokers` brokers on random loopback ports.
    public init(brokers: Int) throws(KafkaError) {
        guard brokers >= 1 else { throw KafkaError(.invalidArgument, "a mock cluster needs at least one broker") }
        let conf = try NativeConf.make([["log_level": "4"]])
        rk = try NativeConf.newClient(RD_KAFKA_PRODUCER, conf, what: "mock cluster handle")
        guard let cluster = rd_kafka_mock_cluster_new(rk, Int32(brokers)) else {
            rd_kafka_destroy(rk)
            throw KafkaError(.other, "cannot start the librdkafka mock cluster")
        }
        self.cluster = cluster
        brokerCount = brokers
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(rk)
    }

    /// The bootstrap address list, e.g. `127.0.0.1:39251`.
    public var bootstrapServers: String { String(cString: rd_kafka_mock_cluster_bootstraps(cluster)) }

    /// Creates a topic.
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws(KafkaError) {
        let err = rd_kafka_mock_topic_create(cluster, name, Int32(partitions), Int32(min(replicationFactor, brokerCount)))
        try check(err, "cannot create topic \(name)")
    }

    /// Takes a broker down: connections are closed and new ones refused.
    public func setBrokerDown(_ id: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_down(cluster, id), "cannot take broker \(id) down")
    }

    /// Brings a broker back up.
    public func setBrokerUp(_ id: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_up(cluster, id), "cannot bring broker \(id) up")
    }

    /// Adds `milliseconds` of round-trip time to every response of a broker.
    public func setRoundTripTime(broker id: Int32, milliseconds: Int) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_rtt(cluster, id, Int32(milliseconds)), "cannot set rtt of broker \(id)")
    }

    /// Makes the next `errors.count` requests with Kafka API key `apiKey` fail with these
    /// Kafka error codes (e.g. apiKey 0 = Produce, error 6 = NOT_LEADER_FOR_PARTITION).
    public func pushRequestErrors(apiKey: Int16, errors: [Int32]) {
        let codes = errors.map { rd_kafka_resp_err_t(rawValue: $0) }
        codes.withUnsafeBufferPointer { buffer in
            rd_kafka_mock_push_request_errors_array(cluster, apiKey, buffer.count, buffer.baseAddress)
        }
    }

    /// The name librdkafka gives an error code (for control-channel answers).
    public static func errorName(_ code: Int32) -> String {
        String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: code)))
    }

    private func check(_ err: rd_kafka_resp_err_t, _ what: String) throws(KafkaError) {
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(rd: err, what) }
    }
}
