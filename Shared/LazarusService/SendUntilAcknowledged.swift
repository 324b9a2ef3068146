import LazarusKafka
import Logging

/// A record the broker will never take, and why.
public struct UnsendableRecord: Sendable {
    /// Its index in the records that were sent.
    public let index: Int
    public let error: KafkaError
}

extension KafkaProducer {
    /// Sends `records`, and the ones that fail again with backoff (50 ms doubling to 5 s),
    /// until the broker has every record it can ever take: output is never given up for
    /// a passing failure. Returns the records it can never take (over `message.max.bytes`),
    /// for the caller to account for; `nil` if the producer closed or the task was
    /// cancelled first (then some records may not have been sent).
    public func sendUntilAcknowledged(_ records: [KafkaRecord], logger: Logger) async -> [UnsendableRecord]? {
        var pending = Array(records.indices)
        var unsendable: [UnsendableRecord] = []
        var backoff = Backoff()
        while !pending.isEmpty {
            if Task.isCancelled { return nil }
            let results: [Result<KafkaDeliveryReport, KafkaError>]
            do {
                results = try await sendBatch(pending.map { records[$0] })
            } catch {
                if error.code == .closed { return nil }
                results = pending.map { _ in .failure(error) }
            }
            var failed: [Int] = []
            for (index, result) in zip(pending, results) {
                guard case .failure(let error) = result else { continue }
                switch error.code {
                case .closed:
                    return nil
                case .messageTooLarge:
                    unsendable.append(UnsendableRecord(index: index, error: error))
                default:
                    logger.warning("send failed; retrying", metadata: ["kafka.topic": "\(records[index].topic)", "error": "\(error)"])
                    failed.append(index)
                }
            }
            pending = failed
            if !pending.isEmpty { await backoff.wait() }
        }
        return unsendable
    }
}

/// Exponential backoff from 50 ms to 5 s.
public struct Backoff: Sendable {
    private var delayMs = 50

    public init() {}

    public mutating func wait() async {
        try? await Task.sleep(for: .milliseconds(delayMs))
        delayMs = min(delayMs * 2, 5_000)
    }
}
