import LazarusKafka
import Logging

/// Sends each processed message's output and stores the message's offset once that output
/// is acknowledged — in consumption order per partition, so a stored offset never skips
/// a message whose output is still in flight. At most `capacity` messages are in flight;
/// `submit` waits for room (backpressure instead of unbounded piles).
actor OutputWindow {
    private struct Entry {
        let message: KafkaMessage
        var done = false
    }

    private let producer: KafkaProducer
    private let consumer: KafkaConsumer
    private let capacity: Int
    private let logger: Logger
    private var entries: [UInt64: Entry] = [:]
    private var order: [UInt64] = []
    private var head = 0
    private var nextId: UInt64 = 0
    private var producerClosed = false
    private var drainAbandoned = false
    private var roomWaiters: [CheckedContinuation<Void, Never>] = []
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []

    init(producer: KafkaProducer, consumer: KafkaConsumer, capacity: Int, logger: Logger) {
        self.producer = producer
        self.consumer = consumer
        self.capacity = capacity
        self.logger = logger
    }

    var inFlight: Int { order.count - head }

    /// Starts sending the output of a processed batch: each message's `stages` one after the
    /// other — a stage is sent only once every record of the previous one is acknowledged
    /// (e.g. a snapshot before the call it describes is routed) — and the same stage of every
    /// message of the batch in one send. One send, one wait for delivery reports and one
    /// completion for the whole batch instead of one per message: that bookkeeping cost more
    /// than the records. Returns once the window has room for the batch (or is empty).
    func submit(_ batch: [(message: KafkaMessage, stages: [[KafkaRecord]])]) async {
        guard !batch.isEmpty else { return }
        while inFlight > 0 && inFlight + batch.count > capacity {
            await withCheckedContinuation { roomWaiters.append($0) }
        }
        let ids = batch.map { entry in
            let id = nextId
            nextId += 1
            entries[id] = Entry(message: entry.message)
            order.append(id)
            return id
        }
        let producer = self.producer
        let logger = self.logger
        let stageCount = batch.map(\.stages.count).max() ?? 0
        Task {
            var acknowledged = true
            for stage in 0..<stageCount where acknowledged {
                let records = batch.flatMap { $0.stages.count > stage ? $0.stages[stage] : [] }
                if !records.isEmpty {
                    acknowledged = await Self.sendUntilAcknowledged(records, producer: producer, logger: logger)
                }
            }
            self.completed(ids, acknowledged: acknowledged)
        }
    }

    /// Waits until every submitted message's output is acknowledged (or `abandonDrain`).
    func drain() async {
        while inFlight > 0 && !drainAbandoned {
            await withCheckedContinuation { drainWaiters.append($0) }
        }
    }

    /// Makes `drain` return now, with output still unacknowledged (whose offsets are then
    /// not stored): for a shutdown that ran out of time, e.g. while the broker is away.
    func abandonDrain() {
        drainAbandoned = true
        for waiter in drainWaiters { waiter.resume() }
        drainWaiters.removeAll()
    }

    /// `acknowledged` is false when the producer closed first: the offsets are then not
    /// stored (nor any later one of the window), so the messages are processed again.
    private func completed(_ ids: [UInt64], acknowledged: Bool) {
        for id in ids { entries[id]?.done = true }
        if !acknowledged { producerClosed = true }
        while head < order.count, let entry = entries[order[head]], entry.done {
            if !producerClosed { store(entry.message) }
            entries[order[head]] = nil
            head += 1
        }
        if head > 1024 {
            order.removeFirst(head)
            head = 0
        }
        for waiter in roomWaiters { waiter.resume() }
        roomWaiters.removeAll()
        if inFlight == 0 {
            for waiter in drainWaiters { waiter.resume() }
            drainWaiters.removeAll()
        }
    }

    private func store(_ message: KafkaMessage) {
        do {
            try consumer.storeOffset(for: message)
        } catch {
            // Revoked or closed meanwhile: the partition's next owner processes it again,
            // which every Lazarus consumer tolerates.
            logger.debug("offset not stored", metadata: [
                "kafka.topic": "\(message.topic)", "kafka.partition": "\(message.partition)",
                "kafka.offset": "\(message.offset)", "error": "\(error)",
            ])
        }
    }

    /// Never gives up on output it has not handed on: failed records are sent again with
    /// backoff until the broker takes them or the producer is closed (then: false).
    private static func sendUntilAcknowledged(_ records: [KafkaRecord], producer: KafkaProducer, logger: Logger) async -> Bool {
        var pending = records
        var backoff = Backoff()
        while !pending.isEmpty {
            let results: [Result<KafkaDeliveryReport, KafkaError>]
            do {
                results = try await producer.sendBatch(pending)
            } catch {
                if error.code == .closed { return false }
                results = pending.map { _ in .failure(error) }
            }
            var failed: [KafkaRecord] = []
            for (record, result) in zip(pending, results) {
                if case .failure(let error) = result {
                    if error.code == .closed { return false }
                    logger.warning("send failed; retrying", metadata: ["kafka.topic": "\(record.topic)", "error": "\(error)"])
                    failed.append(record)
                }
            }
            pending = failed
            if !pending.isEmpty { await backoff.wait() }
        }
        return true
    }
}

/// Exponential backoff from 50 ms to 5 s.
struct Backoff {
    private var delayMs = 50

    mutating func wait() async {
        try? await Task.sleep(for: .milliseconds(delayMs))
        delayMs = min(delayMs * 2, 5_000)
    }
}
