import CRdKafka
import Logging
import Synchronization

/// Callback state of a consumer.
final class ConsumerContext: ClientContext, @unchecked Sendable {
    // @unchecked: `buffer` is thread-safe and `assignment` is a Mutex.
    let buffer: ConsumerEventBuffer
    /// The current assignment, as last set by the rebalance callback.
    let assignment = Mutex<Set<TopicPartition>>([])

    init(logger: Logger, buffer: ConsumerEventBuffer) {
        self.buffer = buffer
        super.init(logger: logger)
    }
}

// MARK: - Rebalance callback

/// Runs on the poll thread, inside `rd_kafka_consumer_poll` or `rd_kafka_consumer_close`.
/// Eager (range) protocol: an assignment is always the member's full new set.
let lazarusRebalanceCallback: @convention(c) (
    OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, UnsafeMutableRawPointer?
) -> Void = { rk, err, partitions, opaque in
    guard let rk, let opaque else { return }
    let context = Unmanaged<ConsumerContext>.fromOpaque(opaque).takeUnretainedValue()
    let list = partitions.map(topicPartitions) ?? []
    switch err {
    case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
        if let partitions { startNewPartitionsAtBeginning(rk, partitions, context.logger) }
        let assignErr = rd_kafka_assign(rk, partitions)
        if assignErr != RD_KAFKA_RESP_ERR_NO_ERROR {
            context.buffer.push(.error(KafkaError(rd: assignErr, "cannot take the assigned partitions")))
        }
        context.assignment.withLock { $0 = Set(list) }
        context.logger.info("partitions assigned", metadata: ["kafka.partitions": "\(list)"])
        context.buffer.push(.assigned(list))
    default:
        // REVOKE_PARTITIONS, or an error that forces us to drop the assignment.
        // librdkafka commits the stored offsets of these partitions during unassign.
        context.buffer.discardMessages(of: Set(list))
        context.assignment.withLock { $0 = [] }
        rd_kafka_assign(rk, nil)
        if err != RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS {
            context.buffer.push(.error(KafkaError(rd: err, "rebalance failed; partitions dropped")))
        }
        context.logger.info("partitions revoked", metadata: ["kafka.partitions": "\(list)"])
        context.buffer.push(.revoked(list))
    }
}

/// With `auto.offset.reset=error`, a partition without a committed offset would raise the
/// same error as a truncated one. So before assigning we fetch the committed offsets and
/// start partitions that have none at the beginning: a new group reads everything, while a
/// committed position that fell out of the log still fails loudly (`.offsetOutOfRange`).
private func startNewPartitionsAtBeginning(
    _ rk: OpaquePointer, _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>, _ logger: Logger
) {
    guard let committed = rd_kafka_topic_partition_list_copy(partitions) else { return }
    defer { rd_kafka_topic_partition_list_destroy(committed) }
    var err = RD_KAFKA_RESP_ERR_NO_ERROR
    for attempt in 1...5 {
        err = rd_kafka_committed(rk, committed, 5_000)
        if err == RD_KAFKA_RESP_ERR_NO_ERROR { break }
        logger.info("fetching committed offsets failed (attempt \(attempt))", metadata: ["kafka.error": "\(KafkaError(rd: err, ""))"])
    }
    guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
        // Leave offsets INVALID: librdkafka fetches them itself; a partition without one
        // then reports AUTO_OFFSET_RESET with offset -1001, handled as "new" by the poller.
        return
    }
    for i in 0..<Int(committed.pointee.cnt) {
        let entry = committed.pointee.elems[i]
        let target = partitions.pointee.elems[i]
        guard String(cString: entry.topic) == String(cString: target.topic), entry.partition == target.partition else { continue }
        partitions.pointee.elems[i].offset =
            entry.err == RD_KAFKA_RESP_ERR_NO_ERROR && entry.offset >= 0 ? entry.offset : Int64(RD_KAFKA_OFFSET_BEGINNING)
    }
}

func topicPartitions(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> [TopicPartition] {
    (0..<Int(list.pointee.cnt)).map { i in
        let e = list.pointee.elems[i]
        return TopicPartition(topic: String(cString: e.topic), partition: e.partition)
    }.sorted()
}
