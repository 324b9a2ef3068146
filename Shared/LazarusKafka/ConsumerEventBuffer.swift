import Foundation

/// The bounded hand-off between a consumer's poll thread and its event sequence.
///
/// Messages count against `capacity`: while it is reached the poll thread waits in
/// ``waitForSpace(timeout:)`` instead of polling (backpressure, no unbounded pile).
/// Control events (assignment, revocation, errors) are always accepted so a rebalance
/// callback never blocks. One reader at a time.
final class ConsumerEventBuffer: @unchecked Sendable {
    // @unchecked: all mutable state is guarded by `condition`'s lock.
    private let condition = NSCondition()
    private var events: [KafkaConsumerEvent] = []
    private var head = 0
    private var messageCount = 0
    private var reader: CheckedContinuation<KafkaConsumerEvent?, Never>?
    private var finished = false
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    // MARK: - Poll thread side

    /// Delivers an event to a waiting reader or buffers it.
    func push(_ event: KafkaConsumerEvent) {
        condition.lock()
        if finished {
            condition.unlock()
            return
        }
        if let waiting = reader {
            reader = nil
            condition.unlock()
            waiting.resume(returning: event)
            return
        }
        events.append(event)
        if case .message = event { messageCount += 1 }
        condition.unlock()
    }

    /// Blocks while the buffer holds `capacity` messages; returns whether there is room.
    func waitForSpace(timeout: TimeInterval) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while messageCount >= capacity && !finished {
            if !condition.wait(until: deadline) { break }
        }
        return messageCount < capacity
    }

    /// Drops buffered messages of revoked partitions: their offsets could no longer be
    /// stored, and the new owner will deliver them again.
    func discardMessages(of partitions: Set<TopicPartition>) {
        guard !partitions.isEmpty else { return }
        condition.lock()
        compact()
        events.removeAll { event in
            if case .message(let m) = event, partitions.contains(m.topicPartition) {
                messageCount -= 1
                return true
            }
            return false
        }
        condition.broadcast()
        condition.unlock()
    }

    /// Ends the sequence: buffered events are dropped, the reader gets `nil`.
    func finish() {
        condition.lock()
        finished = true
        events.removeAll()
        head = 0
        messageCount = 0
        let waiting = reader
        reader = nil
        condition.broadcast()
        condition.unlock()
        waiting?.resume(returning: nil)
    }

    // MARK: - Reader side

    /// The next event, or `nil` once finished (or when the reading task is cancelled).
    func next() async -> KafkaConsumerEvent? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<KafkaConsumerEvent?, Never>) in
                condition.lock()
                if let event = popLocked() {
                    condition.unlock()
                    continuation.resume(returning: event)
                } else if finished || Task.isCancelled {
                    condition.unlock()
                    continuation.resume(returning: nil)
                } else {
                    precondition(reader == nil, "a KafkaConsumer's events can be iterated by one task at a time")
                    reader = continuation
                    condition.unlock()
                }
            }
        } onCancel: {
            condition.lock()
            let waiting = reader
            reader = nil
            condition.unlock()
            waiting?.resume(returning: nil)
        }
    }

    /// The next event; if it is a message, together with the messages right behind it
    /// (at most `maxMessages` in all). `nil` once finished.
    func nextBatch(maxMessages: Int) async -> KafkaConsumerBatch? {
        guard let first = await next() else { return nil }
        guard case .message(let message) = first else { return .control(first) }
        return .messages(takeMessages(after: message, upTo: maxMessages))
    }

    /// `first` and the messages waiting right behind it, at most `limit` in all.
    private func takeMessages(after first: KafkaMessage, upTo limit: Int) -> [KafkaMessage] {
        var batch = [first]
        condition.lock()
        defer { condition.unlock() }
        while batch.count < limit, head < events.count, case .message(let next) = events[head] {
            batch.append(next)
            _ = popLocked()
        }
        return batch
    }

    private func popLocked() -> KafkaConsumerEvent? {
        guard head < events.count else { return nil }
        let event = events[head]
        head += 1
        if head == events.count {
            events.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024 {
            compact()
        }
        if case .message = event {
            messageCount -= 1
            condition.signal()
        }
        return event
    }

    private func compact() {
        if head > 0 {
            events.removeFirst(head)
            head = 0
        }
    }
}
