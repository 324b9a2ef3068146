import CRdKafka
import Logging

/// Topic administration and metadata. Blocking librdkafka calls run on dedicated threads.
public final class KafkaAdmin: Sendable {
    /// A topic as the cluster describes it.
    public struct TopicInfo: Sendable, Hashable {
        /// Topic name.
        public var name: String
        /// Number of partitions.
        public var partitionCount: Int
    }

    /// What ``createTopics(_:partitions:replicationFactor:timeoutMs:)`` did per topic.
    public enum CreateOutcome: String, Sendable, Hashable {
        /// The topic was created now.
        case created
        /// The topic existed already (its partition count is left as it is).
        case alreadyExisted
    }

    private let handle: AdminHandle

    /// Creates an admin client (a producer handle that never produces).
    public init(config: KafkaConfig, logger: Logger = .kafkaDefault) throws(KafkaError) {
        handle = try AdminHandle(config: config, logger: logger)
    }

    /// Every topic on the cluster with its partition count, sorted by name.
    /// - Throws: ``KafkaError`` `.timedOut` / `.brokerDown` if the cluster does not answer.
    public func topics(timeoutMs: Int = 10_000) async throws(KafkaError) -> [TopicInfo] {
        let handle = self.handle
        return try await DedicatedThread.run(name: "kafka-metadata") { () throws(KafkaError) in try handle.metadata(timeoutMs: timeoutMs) }
    }

    /// The partition count of `topic`, or `nil` if it does not exist.
    public func partitionCount(of topic: String, timeoutMs: Int = 10_000) async throws(KafkaError) -> Int? {
        try await topics(timeoutMs: timeoutMs).first { $0.name == topic }?.partitionCount
    }

    /// Creates the topics that do not exist yet.
    ///
    /// Existing topics are left alone (checked through metadata first). The dev broker
    /// (librdkafka 2.0.2's mock cluster) does not implement CreateTopics: there this succeeds
    /// if every topic already exists (`lazarus-broker` creates the `lazarus.*` topics
    /// itself) and throws `.unsupported` after `timeoutMs` otherwise.
    public func createTopics(
        _ names: [String], partitions: Int, replicationFactor: Int = 1, timeoutMs: Int = 10_000
    ) async throws(KafkaError) -> [String: CreateOutcome] {
        let existing = Set(try await topics(timeoutMs: timeoutMs).map(\.name))
        var outcome = Dictionary(uniqueKeysWithValues: names.filter(existing.contains).map { ($0, CreateOutcome.alreadyExisted) })
        let missing = names.filter { !existing.contains($0) }
        guard !missing.isEmpty else { return outcome }
        let handle = self.handle
        let created = try await DedicatedThread.run(name: "kafka-create-topics") { () throws(KafkaError) in
            try handle.createTopics(missing, partitions: partitions, replication: replicationFactor, timeoutMs: timeoutMs)
        }
        outcome.merge(created) { _, new in new }
        return outcome
    }
}

/// The admin client's `rd_kafka_t`.
final class AdminHandle: @unchecked Sendable {
    // @unchecked: `rk` is a thread-safe librdkafka handle; nothing else is mutable.
    private let rk: OpaquePointer
    private let opaque: UnsafeMutableRawPointer

    init(config: KafkaConfig, logger: Logger) throws(KafkaError) {
        let conf = try NativeConf.make([NativeConf.base(config), config.properties])
        opaque = ClientContext(logger: logger).install(on: conf)
        do {
            rk = try NativeConf.newClient(RD_KAFKA_PRODUCER, conf, what: "admin client")
        } catch {
            ClientContext.release(opaque)
            throw error
        }
    }

    deinit {
        rd_kafka_destroy(rk)
        ClientContext.release(opaque)
    }

    func metadata(timeoutMs: Int) throws(KafkaError) -> [KafkaAdmin.TopicInfo] {
        var metadata: UnsafePointer<rd_kafka_metadata>? = nil
        let err = rd_kafka_metadata(rk, 1, nil, &metadata, Int32(clamping: timeoutMs))
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw KafkaError(rd: err, "cannot read cluster metadata")
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        return (0..<Int(metadata.pointee.topic_cnt)).compactMap { i in
            let topic = metadata.pointee.topics[i]
            guard topic.err == RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
            return KafkaAdmin.TopicInfo(name: String(cString: topic.topic), partitionCount: Int(topic.partition_cnt))
        }.sorted { $0.name < $1.name }
    }

    func createTopics(_ names: [String], partitions: Int, replication: Int, timeoutMs: Int) throws(KafkaError) -> [String: KafkaAdmin.CreateOutcome] {
        var errstr = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
        for name in names {
            guard let topic = rd_kafka_NewTopic_new(name, Int32(partitions), Int32(replication), &errstr, errstr.count) else {
                throw KafkaError(.invalidArgument, "cannot describe topic \(name): \(NativeConf.text(of: errstr))")
            }
            newTopics.append(topic)
        }
        let queue = rd_kafka_queue_new(rk)
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_request_timeout(options, Int32(clamping: timeoutMs), &errstr, errstr.count)
        newTopics.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_CreateTopics(rk, buffer.baseAddress, buffer.count, options, queue)
        }
        guard let event = rd_kafka_queue_poll(queue, Int32(clamping: timeoutMs + 1_000)) else {
            throw KafkaError(.timedOut, "CreateTopics got no answer within \(timeoutMs) ms", isRetriable: true)
        }
        defer { rd_kafka_event_destroy(event) }
        let requestErr = rd_kafka_event_error(event)
        if requestErr != RD_KAFKA_RESP_ERR_NO_ERROR {
            let text = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
            if requestErr == RD_KAFKA_RESP_ERR__TIMED_OUT && text.contains("controller") {
                // What the mock cluster does: it has no controller that serves CreateTopics.
                throw KafkaError(.unsupported, "no controller accepted CreateTopics within \(timeoutMs) ms (\(text)); the dev broker "
                    + "cannot create topics. Missing: \(names.joined(separator: ", ")). Create them on the cluster, or with "
                    + "lazarus-broker's `topic NAME PARTITIONS` command", isRetriable: true, librdkafkaCode: requestErr.rawValue)
            }
            throw KafkaError(rd: requestErr, "CreateTopics failed: \(text)")
        }
        guard let result = rd_kafka_event_CreateTopics_result(event) else {
            throw KafkaError(.other, "CreateTopics returned an unexpected event")
        }
        var count = 0
        guard let topics = rd_kafka_CreateTopics_result_topics(result, &count) else { return [:] }
        var outcome: [String: KafkaAdmin.CreateOutcome] = [:]
        for i in 0..<count {
            let name = String(cString: rd_kafka_topic_result_name(topics[i]))
            let err = rd_kafka_topic_result_error(topics[i])
            switch err {
            case RD_KAFKA_RESP_ERR_NO_ERROR: outcome[name] = .created
            case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS: outcome[name] = .alreadyExisted
            default:
                let text = rd_kafka_topic_result_error_string(topics[i]).map { String(cString: $0) } ?? ""
                throw KafkaError(rd: err, "cannot create topic \(name): \(text)")
            }
        }
        return outcome
    }
}
