import LazarusKafka
import Logging

/// Sends each processed message's output and stores the message's offset once that output
/// is acknowledged — in consumption order per partition, so a stored offset never skips
/// a message whose output is still in flight. At most `capacity` messages are in flight;
/// `submit` waits for room (backpressure instead of unbounded piles).
///
/// Output the producer can never send (a record over its `message.max.bytes`) is not
/// retried: the message that produced it is dead-lettered instead, with that reason, and
/// its later stages are dropped — retrying would hold up its partition's offsets forever.
actor OutputWindow {
    private struct Entry {
        let message: KafkaMessage
        var done = false
    }

    private let producer: KafkaProducer
    private let deadLetters: DeadLetterWriter
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

    init(producer: KafkaProducer, deadLetters: DeadLetterWriter, consumer: KafkaConsumer, capacity: Int, logger: Logger) {
        self.producer = producer
        self.deadLetters = deadLetters
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
        let deadLetters = self.deadLetters
        let logger = self.logger
        Task {
            let acknowledged = await Self.send(batch, producer: producer, deadLetters: deadLetters, logger: logger)
            self.completed(ids, acknowledged: acknowledged)
        }
    }

    /// Sends the batch's output stage by stage; false if the producer closed first. A
    /// message whose record can never be sent is dead-lettered and sends nothing more.
    private static func send(_ batch: [(message: KafkaMessage, stages: [[KafkaRecord]])], producer: KafkaProducer,
                             deadLetters: DeadLetterWriter, logger: Logger) async -> Bool {
        var deadLettered = Set<Int>()  // batch indices whose output was replaced
        for stage in 0..<(batch.map(\.stages.count).max() ?? 0) {
            var records: [KafkaRecord] = []
            var owners: [Int] = []
            for (index, entry) in batch.enumerated() where entry.stages.count > stage && !deadLettered.contains(index) {
                records += entry.stages[stage]
                owners += repeatElement(index, count: entry.stages[stage].count)
            }
            guard !records.isEmpty else { continue }
            guard let unsendable = await producer.sendUntilAcknowledged(records, logger: logger) else { return false }
            let letters = unsendable.compactMap { lost -> KafkaRecord? in
                guard deadLettered.insert(owners[lost.index]).inserted else { return nil }
                return deadLetter(batch[owners[lost.index]].message, unsendable: records[lost.index], lost.error,
                                  deadLetters: deadLetters, logger: logger)
            }
            guard !letters.isEmpty else { continue }
            guard let lost = await producer.sendUntilAcknowledged(letters, logger: logger) else { return false }
            for letter in lost {  // only with a message.max.bytes below the dead letters' bound
                logger.critical("dead letter cannot be sent either; input skipped", metadata: [
                    "kafka.topic": "\(letters[letter.index].topic)", "error": "\(letter.error)"])
            }
        }
        return true
    }

    /// The dead letter of `message`, whose output `record` the producer refused for good.
    private static func deadLetter(_ message: KafkaMessage, unsendable record: KafkaRecord, _ error: KafkaError,
                                   deadLetters: DeadLetterWriter, logger: Logger) -> KafkaRecord {
        let reason = "its output to \(record.topic) (\(record.value.count) bytes) can never be sent: \(error.message)"
        logger.error("output cannot be sent; input dead-lettered", metadata: [
            "kafka.topic": "\(message.topic)", "kafka.partition": "\(message.partition)",
            "kafka.offset": "\(message.offset)", "reason": "\(reason)",
        ])
        return deadLetters.boundedRecord(for: message, reason: reason)
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
}
