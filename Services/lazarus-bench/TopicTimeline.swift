import Foundation
import LazarusKafka
import Synchronization

/// Messages of some partitions as they arrive, each with the moment this process received
/// it (`ContinuousClock`, microsecond resolution) beside the producer's `CreateTime`
/// (milliseconds). The services' benchmarks measure on these arrival times: the bench is a
/// passive reader (no consumer group, so no join delay and no effect on the services'
/// groups) and each topic is followed only on the partitions that matter.
final class TopicTimeline: Sendable {
    struct Entry: Sendable {
        let arrival: ContinuousClock.Instant
        let message: KafkaMessage
    }

    private let store = EntryStore()
    private let reader: Task<Void, Never>

    /// Starts recording `stream`; messages `keep` rejects are not stored (cheap filters,
    /// such as on the key, keep the recording small).
    init(_ stream: AsyncStream<KafkaMessage>, keep: @escaping @Sendable (KafkaMessage) -> Bool = { _ in true }) {
        let store = self.store
        reader = Task {
            for await message in stream {
                let arrival = ContinuousClock.now
                if keep(message) { store.entries.withLock { $0.append(Entry(arrival: arrival, message: message)) } }
            }
        }
    }

    /// Everything recorded so far, in arrival order.
    var recorded: [Entry] { store.entries.withLock { $0 } }

    /// Stops following (the underlying reader thread ends with the stream).
    func stop() { reader.cancel() }

    deinit { reader.cancel() }

    private final class EntryStore: Sendable {
        let entries = Mutex<[Entry]>([])
    }
}

/// Waits until `condition` holds, polling every 5 ms; fails with `what` after `timeout`.
func waitUntil(_ what: String, timeout: Duration, _ condition: () throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try !condition() {
        guard ContinuousClock.now < deadline else { throw BenchError("timed out after \(timeout) waiting until \(what)") }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// A benchmark that could not produce its numbers, and why.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    /// The duration in milliseconds, as a `Double`.
    var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}
