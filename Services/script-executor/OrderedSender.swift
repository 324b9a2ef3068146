import LazarusKafka
import Logging
import Synchronization

/// Output the executor produces outside a `PipelineService` reply: a job's records after
/// its first run quantum, re-sent calls after a timeout, `recover` requests.
///
/// Records are handed to the producer in submission order (one sender task, batches
/// drained in order), so one job's records keep their order on the wire. A batch is sent
/// again with backoff until the broker acknowledges it; then its completions run.
final class OrderedSender: Sendable {
    private struct Item {
        var records: [KafkaRecord]
        var completion: (@Sendable () -> Void)?
    }

    /// Queued batches (a class, so the sender task can share it).
    private final class Queue: Sendable {
        let items = Mutex<[Item]>([])
    }

    private let pending = Queue()
    private let wake: AsyncStream<Void>.Continuation
    private let loop: Task<Void, Never>

    init(producer: KafkaProducer, logger: Logger) {
        let (stream, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.wake = wake
        let pending = self.pending
        loop = Task {
            for await _ in stream {
                while true {
                    let items = pending.items.withLock { items in
                        defer { items.removeAll() }
                        return items
                    }
                    if items.isEmpty { break }
                    await Self.sendUntilAcknowledged(items.flatMap(\.records), producer: producer, logger: logger)
                    for item in items { item.completion?() }
                }
            }
        }
    }

    /// Queues `records`; `completion` runs once they are acknowledged (or the producer closed).
    func send(_ records: [KafkaRecord], then completion: (@Sendable () -> Void)? = nil) {
        guard !records.isEmpty || completion != nil else { return }
        pending.items.withLock { $0.append(Item(records: records, completion: completion)) }
        wake.yield()
    }

    /// Sends `records` and returns when the broker has them.
    func sendAndWait(_ records: [KafkaRecord]) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            send(records) { done.resume() }
        }
    }

    /// Sends what is queued, then stops.
    func close() async {
        wake.finish()
        await loop.value
    }

    /// Never gives up on output not yet handed on: failed records are sent again with
    /// backoff (50 ms doubling to 5 s) until the broker takes them or the producer is closed.
    static func sendUntilAcknowledged(_ records: [KafkaRecord], producer: KafkaProducer, logger: Logger) async {
        var pendingRecords = records
        var delayMs = 50
        while !pendingRecords.isEmpty {
            let results: [Result<KafkaDeliveryReport, KafkaError>]
            do {
                results = try await producer.sendBatch(pendingRecords)
            } catch {
                if error.code == .closed { return }
                results = pendingRecords.map { _ in .failure(error) }
            }
            var failed: [KafkaRecord] = []
            for (record, result) in zip(pendingRecords, results) {
                if case .failure(let error) = result {
                    if error.code == .closed { return }
                    logger.warning("send failed; retrying", metadata: ["kafka.topic": "\(record.topic)", "error": "\(error)"])
                    failed.append(record)
                }
            }
            pendingRecords = failed
            if !pendingRecords.isEmpty {
                try? await Task.sleep(for: .milliseconds(delayMs))
                delayMs = min(delayMs * 2, 5_000)
            }
        }
    }
}
