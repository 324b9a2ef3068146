import Foundation
import LazarusKafka
import LazarusService
import LazarusWire

/// The bench's hands and eyes on a running Lazarus stack: submits jobs and control
/// messages like the CLI does, and follows topics without joining any consumer group.
struct StackClient: Sendable {
    let config: KafkaConfig
    let producer: KafkaProducer
    let reader: KafkaTopicReader
    /// Partitions of every `lazarus.*` topic (they all have the same count).
    let partitionCount: Int

    /// `fetchWaitMaxMs`: how long the broker may hold the reader's empty fetch, which is
    /// how late an arrival may be timestamped. 1 ms by default, like the services' consumers.
    init(config: KafkaConfig, fetchWaitMaxMs: Int = 1) async throws {
        var config = config
        config.properties["fetch.wait.max.ms"] = config.properties["fetch.wait.max.ms"] ?? "\(fetchWaitMaxMs)"
        self.config = config
        producer = try KafkaProducer(config: config)
        reader = KafkaTopicReader(config: config)
        guard let count = try await KafkaAdmin(config: config).partitionCount(of: LazarusTopics.runs) else {
            throw BenchError("topic \(LazarusTopics.runs) does not exist on \(config.brokers): is the stack up?")
        }
        partitionCount = count
    }

    func close() async { await producer.close() }

    func partition(of jobId: String) -> Int { JobPartitioner.partition(for: jobId, partitionCount: partitionCount) }

    /// Sends every message in one batch and waits for all acknowledgements.
    func send<M: WireMessage>(_ messages: [M], to topic: String) async throws {
        let records = try messages.map { try KafkaRecord(topic: topic, message: $0) }
        for result in try await producer.sendBatch(records) { _ = try result.get() }
    }

    /// Follows `topic` from its current end, on `partitions` only (all when `nil`).
    func follow(_ topic: String, partitions: [Int]? = nil,
                keep: @escaping @Sendable (KafkaMessage) -> Bool = { _ in true }) async throws -> TopicTimeline {
        let ends = try await reader.endOffsets(of: topic)
        let wanted = partitions.map(Set.init)
        let positions = ends.filter { wanted?.contains(Int($0.key.partition)) ?? true }
        return TopicTimeline(try reader.follow(from: positions), keep: keep)
    }

    /// Every message `topic` holds now.
    func readAll(_ topic: String) async throws -> [KafkaMessage] {
        try await reader.readAll(topics: [topic])
    }
}

extension TopicTimeline {
    /// Recorded messages that decode as `M`, with their arrival times.
    func decoded<M: WireMessage>(_ type: M.Type) -> [(arrival: ContinuousClock.Instant, createdMs: Int64, message: M)] {
        recorded.compactMap { entry in
            (try? WireCodec.decode(M.self, from: entry.message.value)).map { (entry.arrival, entry.message.timestampMs, $0) }
        }
    }
}

extension JobEvent {
    /// The type of the event `message` holds, if it is one (decoded once, when recorded, so
    /// that waits re-read only the few events they care about).
    static func kind(of message: KafkaMessage) -> Kind? {
        (try? WireCodec.decode(JobEvent.self, from: message.value))?.type
    }
}

extension JobEvent.Kind {
    /// `completed`, `failed`, `cancelled` and `rejected` end a job.
    var isTerminal: Bool { JobEvent(jobId: "", type: self, time: 0).isTerminal }
}
