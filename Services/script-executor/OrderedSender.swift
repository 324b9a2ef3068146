import LazarusKafka
import LazarusService
import Logging
import Synchronization

/// Output the executor produces outside a `PipelineService` reply: a job's records after
/// its first run quantum, re-sent calls after a timeout, `recover` requests.
///
/// Records are handed to the producer in submission order (one sender task, batches
/// drained in order), so one job's records keep their order on the wire. A batch is sent
/// again with backoff until the broker acknowledges it (`sendUntilAcknowledged`); then its
/// completions run.
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
                    let records = items.flatMap(\.records)
                    for lost in await producer.sendUntilAcknowledged(records, logger: logger) ?? [] {
                        // The runner bounds what it sends; this is the last line of defence.
                        logger.error("output can never be sent; dropped", metadata: [
                            "kafka.topic": "\(records[lost.index].topic)", "job.id": "\(records[lost.index].key.map { String(decoding: $0, as: UTF8.self) } ?? "")",
                            "error": "\(lost.error)"])
                    }
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
}
