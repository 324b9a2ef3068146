import CRdKafka
import Foundation
import Logging
import Synchronization

/// A consumer-group member. A dedicated thread polls librdkafka and feeds a bounded
/// buffer read through ``events``; rebalances surface as `.assigned` / `.revoked` events.
///
/// Offsets are stored only when you say so (``storeOffset(for:)``, after the message is
/// fully processed and its outputs acknowledged) and committed every
/// `autoCommitIntervalMs`, on revocation and on close. Call ``close()`` to leave the group
/// promptly; `deinit` closes too, blocking until the member has left.
public final class KafkaConsumer: Sendable {
    private let core: ConsumerCore

    /// Creates the consumer, subscribes to `options.topics` and starts polling.
    /// - Throws: ``KafkaError`` `.invalidConfig` for a bad property or empty topic list.
    public init(config: KafkaConfig, options: KafkaConsumerOptions, logger: Logger = .kafkaDefault) throws(KafkaError) {
        core = try ConsumerCore(config: config, options: options, logger: logger)
        core.start()
    }

    deinit {
        core.requestClose()
        core.closed.waitBlocking()
    }

    /// The events of this consumer, in order. Iterate from one task at a time; the
    /// sequence ends after ``close()``.
    public var events: KafkaConsumerEvents { KafkaConsumerEvents(buffer: core.buffer) }

    /// The next non-message event, or the messages already waiting at the head of the
    /// buffer (at most `maxMessages`, at least one); waits while there is none. `nil` once
    /// the consumer is closed. An alternative to ``events`` that hands a busy reader
    /// everything waiting at once, with one wake-up instead of one per message. One task
    /// at a time reads, by either means.
    public func nextBatch(maxMessages: Int) async -> KafkaConsumerBatch? {
        await core.buffer.nextBatch(maxMessages: maxMessages)
    }

    /// Whether the consumer has left the group and its events have ended.
    public var isClosed: Bool { core.isClosed.load(ordering: .acquiring) }

    /// Marks `message` as processed: its offset + 1 is committed with the next commit.
    /// - Throws: ``KafkaError`` `.notAssigned` if its partition was revoked meanwhile (the
    ///   new owner will process it again), `.closed` after close.
    public func storeOffset(for message: KafkaMessage) throws(KafkaError) {
        try core.storeOffset(topic: message.topic, partition: message.partition, next: message.offset + 1)
    }

    /// The partitions currently assigned to this member.
    public var assignment: [TopicPartition] { core.context.assignment.withLock { $0 }.sorted() }

    /// Commits stored offsets, leaves the group (so partitions move to other members at
    /// once) and ends ``events``. Idempotent; safe to call from any task.
    public func close() async {
        core.requestClose()
        await core.closed.wait()
    }
}

/// The `AsyncSequence` of a consumer's events.
public struct KafkaConsumerEvents: AsyncSequence, Sendable {
    public typealias Element = KafkaConsumerEvent
    let buffer: ConsumerEventBuffer

    /// Iterator over consumer events.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let buffer: ConsumerEventBuffer
        /// The next event, or `nil` once the consumer is closed.
        public mutating func next() async -> KafkaConsumerEvent? { await buffer.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(buffer: buffer) }
}

// MARK: - Core

/// Owns the `rd_kafka_t`; the poll thread is the only thread that polls it.
final class ConsumerCore: @unchecked Sendable {
    // @unchecked: `rk` is a thread-safe librdkafka handle (polled only by our thread;
    // offsets_store may be called from any thread); the rest is immutable, atomic or a Mutex.
    let rk: OpaquePointer
    let buffer: ConsumerEventBuffer
    let closed = Latch()
    let options: KafkaConsumerOptions
    let logger: Logger
    let context: ConsumerContext
    private let opaque: UnsafeMutableRawPointer
    private let closeRequested = Atomic<Bool>(false)
    let isClosed = Atomic<Bool>(false)

    init(config: KafkaConfig, options: KafkaConsumerOptions, logger: Logger) throws(KafkaError) {
        guard !options.topics.isEmpty else { throw KafkaError(.invalidConfig, "a consumer needs at least one topic") }
        let conf = try NativeConf.make([
            NativeConf.base(config), options.properties, config.properties, KafkaConsumerOptions.enforced,
        ])
        self.options = options
        self.logger = logger.withMetadata(["kafka.group": "\(options.groupId)"])
        buffer = ConsumerEventBuffer(capacity: options.bufferCapacity)
        context = ConsumerContext(logger: self.logger, buffer: buffer)
        opaque = context.install(on: conf)
        rd_kafka_conf_set_rebalance_cb(conf, lazarusRebalanceCallback)
        do {
            rk = try NativeConf.newClient(RD_KAFKA_CONSUMER, conf, what: "consumer")
        } catch {
            ClientContext.release(opaque)
            throw error
        }
        // Errors and rebalances of the main queue arrive through rd_kafka_consumer_poll.
        rd_kafka_poll_set_consumer(rk)
        let list = rd_kafka_topic_partition_list_new(Int32(options.topics.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in options.topics { rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA) }
        let err = rd_kafka_subscribe(rk, list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let error = KafkaError(rd: err, "cannot subscribe to \(options.topics)")
            rd_kafka_consumer_close(rk)
            rd_kafka_destroy(rk)
            ClientContext.release(opaque)
            throw error
        }
    }

    deinit {
        rd_kafka_destroy(rk)
        ClientContext.release(opaque)
    }

    func requestClose() { closeRequested.store(true, ordering: .releasing) }

    func start() {
        DedicatedThread.start(name: "kafka-consumer-poll") { [self] in
            pollLoop()
            // Leaves the group; serves the final revocation through the rebalance callback
            // and commits stored offsets (enable.auto.commit).
            let err = rd_kafka_consumer_close(rk)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                logger.info("consumer close reported an error", metadata: ["kafka.error": "\(KafkaError(rd: err, "close"))"])
            }
            isClosed.store(true, ordering: .releasing)
            buffer.finish()
            closed.open()
        }
    }

    private func pollLoop() {
        while !closeRequested.load(ordering: .acquiring) {
            guard buffer.waitForSpace(timeout: 0.1) else { continue }
            guard let message = rd_kafka_consumer_poll(rk, 100) else { continue }
            defer { rd_kafka_message_destroy(message) }
            if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                buffer.push(.message(Self.copy(message)))
            } else {
                handleError(message)
            }
        }
    }

    /// Turns an error "message" into an event, right on the polling thread.
    private func handleError(_ pointer: UnsafeMutablePointer<rd_kafka_message_t>) {
        let m = pointer.pointee
        let topic = m.rkt.map { String(cString: rd_kafka_topic_name($0)) }
        let tp = topic.map { TopicPartition(topic: $0, partition: m.partition) }
        let text = String(cString: rd_kafka_message_errstr(pointer))
        switch m.err {
        case RD_KAFKA_RESP_ERR__PARTITION_EOF:
            return
        case RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET where m.offset < 0:
            // No committed offset at all (the rebalance callback could not look it up):
            // a new group, not lost data. Start at the beginning like auto.offset.reset=earliest.
            logger.info("no committed offset; starting at the beginning", metadata: ["kafka.partition": "\(tp?.description ?? "?")"])
            if let tp { restartAtBeginning(tp) }
        case RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET:
            handleOutOfRange(tp, offset: m.offset, text: text)
        default:
            var error = KafkaError(rd: m.err, text, topicPartition: tp)
            if m.err == RD_KAFKA_RESP_ERR__FATAL {
                var detail = [CChar](repeating: 0, count: 512)
                let original = rd_kafka_fatal_error(rk, &detail, detail.count)
                error = KafkaError(.fatal, "fatal consumer error: \(KafkaError(rd: original, "").message); recreate the consumer",
                                   librdkafkaCode: original.rawValue)
            }
            logger.info("consumer error", metadata: ["kafka.error": "\(error)"])
            buffer.push(.error(error))
        }
    }

    private func handleOutOfRange(_ tp: TopicPartition?, offset: Int64, text: String) {
        let error = KafkaError(
            .offsetOutOfRange,
            "committed position \(offset) of \(tp?.description ?? "a partition") is no longer in the log: "
                + "messages were deleted before this group consumed them (DATA LOST). \(text)",
            librdkafkaCode: RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET.rawValue, topicPartition: tp, offset: offset)
        logger.error("Kafka consumer position out of range: data lost", metadata: [
            "kafka.partition": "\(tp?.description ?? "?")", "kafka.offset": "\(offset)",
            "kafka.policy": "\(options.onOffsetOutOfRange.rawValue)",
        ])
        buffer.push(.error(error))
        guard let tp, options.onOffsetOutOfRange == .resumeFromEarliest else { return }
        restartAtBeginning(tp)
    }

    /// Restarts one partition at its earliest offset.
    ///
    /// A partition that failed with AUTO_OFFSET_RESET has stopped fetching, and librdkafka
    /// rejects a seek on it; so the whole assignment is re-applied (eager protocol:
    /// `rd_kafka_assign`), every other partition at its current position (the offset after
    /// the last message handed to us), so nothing is skipped or delivered twice.
    /// Runs on the poll thread, like the rebalance callback, so the two never interleave.
    private func restartAtBeginning(_ tp: TopicPartition) {
        var current: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>? = nil
        guard rd_kafka_assignment(rk, &current) == RD_KAFKA_RESP_ERR_NO_ERROR, let current else { return }
        defer { rd_kafka_topic_partition_list_destroy(current) }
        _ = rd_kafka_position(rk, current)
        var found = false
        for i in 0..<Int(current.pointee.cnt) {
            let entry = current.pointee.elems[i]
            if String(cString: entry.topic) == tp.topic && entry.partition == tp.partition {
                current.pointee.elems[i].offset = Int64(RD_KAFKA_OFFSET_BEGINNING)
                found = true
            }
        }
        guard found else { return }
        let err = rd_kafka_assign(rk, current)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning("cannot restart \(tp) from its earliest offset", metadata: ["kafka.error": "\(KafkaError(rd: err, ""))"])
        }
    }

    func storeOffset(topic: String, partition: Int32, next: Int64) throws(KafkaError) {
        guard !isClosed.load(ordering: .acquiring) else { throw .closed("the Kafka consumer") }
        let list = rd_kafka_topic_partition_list_new(1)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        rd_kafka_topic_partition_list_add(list, topic, partition).pointee.offset = next
        let err = rd_kafka_offsets_store(rk, list)
        let perPartition = list!.pointee.elems[0].err
        let failure = err != RD_KAFKA_RESP_ERR_NO_ERROR ? err : perPartition
        if failure != RD_KAFKA_RESP_ERR_NO_ERROR {
            var error = KafkaError(rd: failure, "cannot store offset \(next) for \(topic)[\(partition)]",
                                   topicPartition: TopicPartition(topic: topic, partition: partition))
            if failure == RD_KAFKA_RESP_ERR__STATE || failure == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION {
                error.code = .notAssigned
                error.message += " (partition not assigned to this consumer any more)"
            }
            throw error
        }
    }

    // MARK: - Conversions

    /// Copies a message out of librdkafka. Takes librdkafka's own pointer: header and
    /// timestamp accessors find the enclosing internal message from it.
    static func copy(_ pointer: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaMessage {
        let m = pointer.pointee
        let topic = String(cString: rd_kafka_topic_name(m.rkt))
        let value = m.payload.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: m.len)) } ?? []
        let key = m.key.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: m.key_len)) }
        var headers: [KafkaHeader] = []
        var hdrs: OpaquePointer? = nil
        if rd_kafka_message_headers(pointer, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR, let hdrs {
            var index = 0
            var name: UnsafePointer<CChar>? = nil
            var val: UnsafeRawPointer? = nil
            var size = 0
            while rd_kafka_header_get_all(hdrs, index, &name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                let bytes = val.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: size)) }
                headers.append(KafkaHeader(name: name.map { String(cString: $0) } ?? "", value: bytes))
                index += 1
            }
        }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(pointer, &timestampType)
        return KafkaMessage(topic: topic, partition: m.partition, offset: m.offset, key: key, value: value,
                            headers: headers, timestampMs: timestamp)
    }
}

extension Logger {
    func withMetadata(_ metadata: Logger.Metadata) -> Logger {
        var copy = self
        for (key, value) in metadata { copy[metadataKey: key] = value }
        return copy
    }
}
