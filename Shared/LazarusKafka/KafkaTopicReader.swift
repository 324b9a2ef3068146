import CRdKafka
import Foundation
import Logging
import Synchronization

/// Reads topics without joining a consumer group: every partition is assigned directly,
/// nothing is committed. For tools (the CLI's `jobs`, `status`, `watch`, `inspect`) that
/// look at what a topic holds rather than take a share of its work.
public final class KafkaTopicReader: Sendable {
    /// Where `follow` starts in each partition.
    public enum Start: Sendable {
        /// The oldest message the broker still keeps.
        case beginning
        /// Only messages produced from now on.
        case end
    }

    private let config: KafkaConfig
    private let logger: Logger

    public init(config: KafkaConfig, logger: Logger = .kafkaDefault) {
        self.config = config
        self.logger = logger
    }

    /// Every message of `topics` from the oldest kept up to the end as of this call, in
    /// partition order (messages of one partition in offset order).
    public func readAll(topics: [String], timeoutMs: Int = 15_000) async throws(KafkaError) -> [KafkaMessage] {
        try await readAll(try await partitions(of: topics, timeoutMs: timeoutMs), timeoutMs: timeoutMs)
    }

    /// Every message of one partition of `topic` — the one `choose` picks given the
    /// topic's partition count (e.g. the partition a key hashes to) — from the oldest kept
    /// up to the end as of this call, in offset order.
    public func readAll(topic: String, partition choose: (_ partitionCount: Int) -> Int,
                        timeoutMs: Int = 15_000) async throws(KafkaError) -> [KafkaMessage] {
        let all = try await partitions(of: [topic], timeoutMs: timeoutMs)
        let chosen = choose(all.count)
        guard all.indices.contains(chosen) else {
            throw KafkaError(.invalidArgument, "topic \(topic) has no partition \(chosen) (it has \(all.count))")
        }
        return try await readAll([all[chosen]], timeoutMs: timeoutMs)
    }

    private func readAll(_ partitions: [TopicPartition], timeoutMs: Int) async throws(KafkaError) -> [KafkaMessage] {
        let config = self.config
        return try await DedicatedThread.run(name: "kafka-read-all") { () throws(KafkaError) in
            let handle = try ReaderHandle(config: config)
            return try handle.readToEnd(partitions, timeoutMs: timeoutMs)
        }
    }

    /// Messages of `topics` as they arrive, from `start`, until the consuming task is
    /// cancelled or stops iterating.
    public func follow(topics: [String], from start: Start) async throws(KafkaError) -> AsyncStream<KafkaMessage> {
        let offset = start == .beginning ? Int64(RD_KAFKA_OFFSET_BEGINNING) : Int64(RD_KAFKA_OFFSET_END)
        let positions = try await partitions(of: topics, timeoutMs: 15_000).map { ($0, offset) }
        return try follow(positions)
    }

    /// Messages of the given partitions from the given offsets on (e.g. the end offsets
    /// taken before producing a request, so that no answer to it can be missed).
    public func follow(from positions: [TopicPartition: Int64]) throws(KafkaError) -> AsyncStream<KafkaMessage> {
        try follow(positions.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// The offset the next message of each partition of `topic` will get.
    public func endOffsets(of topic: String, timeoutMs: Int = 15_000) async throws(KafkaError) -> [TopicPartition: Int64] {
        let partitions = try await partitions(of: [topic], timeoutMs: timeoutMs)
        let config = self.config
        return try await DedicatedThread.run(name: "kafka-end-offsets") { () throws(KafkaError) in
            let handle = try ReaderHandle(config: config)
            var ends: [TopicPartition: Int64] = [:]
            for tp in partitions { ends[tp] = try handle.watermarks(tp, timeoutMs: timeoutMs).high }
            return ends
        }
    }

    private func follow(_ positions: [(TopicPartition, Int64)]) throws(KafkaError) -> AsyncStream<KafkaMessage> {
        let handle = try ReaderHandle(config: config)
        try handle.assign(positions)
        let (stream, continuation) = AsyncStream.makeStream(of: KafkaMessage.self, bufferingPolicy: .bufferingNewest(10_000))
        let stopFlag = StopFlag()
        continuation.onTermination = { _ in stopFlag.stop() }
        DedicatedThread.start(name: "kafka-follow") {
            while !stopFlag.isStopped {
                if let message = handle.poll(timeoutMs: 100) { continuation.yield(message) }
            }
            continuation.finish()
        }
        return stream
    }

    private func partitions(of topics: [String], timeoutMs: Int) async throws(KafkaError) -> [TopicPartition] {
        let admin = try KafkaAdmin(config: config, logger: logger)
        let known = try await admin.topics(timeoutMs: timeoutMs)
        var result: [TopicPartition] = []
        for topic in topics {
            guard let info = known.first(where: { $0.name == topic }) else {
                throw KafkaError(.unknownTopic, "topic \(topic) does not exist on \(config.brokers)")
            }
            result += (0..<info.partitionCount).map { TopicPartition(topic: topic, partition: Int32($0)) }
        }
        return result
    }
}

private final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func stop() { flag.store(true, ordering: .releasing) }
    var isStopped: Bool { flag.load(ordering: .acquiring) }
}

/// One `rd_kafka_t` consumer used by assignment only. Used from one thread at a time.
private final class ReaderHandle: @unchecked Sendable {
    // @unchecked: `rk` is only touched by the single thread that polls it, and destroyed in deinit.
    private let rk: OpaquePointer

    init(config: KafkaConfig) throws(KafkaError) {
        let conf = try NativeConf.make([
            NativeConf.base(config),
            ["group.id": "lazarus-reader-\(UUID().uuidString.prefix(8))", "enable.auto.commit": "false",
             "enable.partition.eof": "false", "fetch.wait.max.ms": "10"],
            config.properties,
        ])
        rk = try NativeConf.newClient(RD_KAFKA_CONSUMER, conf, what: "topic reader")
        rd_kafka_poll_set_consumer(rk)
    }

    deinit {
        rd_kafka_consumer_close(rk)
        rd_kafka_destroy(rk)
    }

    func assign(_ positions: [(TopicPartition, Int64)]) throws(KafkaError) {
        let list = rd_kafka_topic_partition_list_new(Int32(positions.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (tp, offset) in positions {
            rd_kafka_topic_partition_list_add(list, tp.topic, tp.partition).pointee.offset = offset
        }
        let err = rd_kafka_assign(rk, list)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(rd: err, "cannot assign partitions") }
    }

    func poll(timeoutMs: Int32) -> KafkaMessage? {
        guard let pointer = rd_kafka_consumer_poll(rk, timeoutMs) else { return nil }
        defer { rd_kafka_message_destroy(pointer) }
        guard pointer.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return ConsumerCore.copy(pointer)
    }

    /// The oldest kept offset and the next offset of `tp`.
    func watermarks(_ tp: TopicPartition, timeoutMs: Int) throws(KafkaError) -> (low: Int64, high: Int64) {
        var low: Int64 = 0
        var high: Int64 = 0
        let err = rd_kafka_query_watermark_offsets(rk, tp.topic, tp.partition, &low, &high, Int32(timeoutMs))
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(rd: err, "cannot read the offsets of \(tp)") }
        return (low, high)
    }

    /// Reads each partition from its low to its high watermark as of now.
    func readToEnd(_ partitions: [TopicPartition], timeoutMs: Int) throws(KafkaError) -> [KafkaMessage] {
        var remaining: [TopicPartition: Int64] = [:]  // partition → high watermark still to reach
        var positions: [(TopicPartition, Int64)] = []
        for tp in partitions {
            let (low, high) = try watermarks(tp, timeoutMs: timeoutMs)
            if high > low {
                remaining[tp] = high
                positions.append((tp, low))
            }
        }
        guard !positions.isEmpty else { return [] }
        try assign(positions)
        var messages: [TopicPartition: [KafkaMessage]] = [:]
        let deadline = ContinuousClock.now + .milliseconds(timeoutMs)
        while !remaining.isEmpty {
            guard ContinuousClock.now < deadline else {
                throw KafkaError(.timedOut, "reading \(remaining.keys.sorted().map(\.description).joined(separator: ", ")) did not reach the end within \(timeoutMs) ms")
            }
            guard let message = poll(timeoutMs: 100) else { continue }
            let tp = message.topicPartition
            guard let high = remaining[tp] else { continue }
            if message.offset < high { messages[tp, default: []].append(message) }
            if message.offset + 1 >= high { remaining[tp] = nil }
        }
        return partitions.flatMap { messages[$0] ?? [] }
    }
}
