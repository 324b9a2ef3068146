import Foundation
import LazarusKafka
import LazarusService
import LazarusWire
import Synchronization

/// A test's eyes and hands on the broker: sends wire messages (or raw bytes) to topics
/// and records everything that appears on the topics it watches, from the beginning.
final class TopicProbe: Sendable {
    let producer: KafkaProducer
    private let consumer: KafkaConsumer
    private let seen = SeenMessages()
    private let reader: Task<Void, Never>

    init(brokers: String, watching topics: [String]) throws {
        let config = KafkaConfig(brokers: brokers, clientId: "test-probe")
        // Big enough for the oversize messages the bad-input tests send.
        var producerConfig = config
        producerConfig.properties["message.max.bytes"] = String(16 << 20)
        producer = try KafkaProducer(config: producerConfig)
        var options = KafkaConsumerOptions(groupId: "test-probe-\(UUID().uuidString.prefix(8))", topics: topics)
        options.sessionTimeoutMs = 6_000
        consumer = try KafkaConsumer(config: config, options: options)
        let consumer = self.consumer
        let seen = self.seen
        reader = Task {
            for await event in consumer.events {
                if case .message(let message) = event { seen.messages.withLock { $0.append(message) } }
            }
        }
    }

    func close() async {
        await consumer.close()
        await producer.close()
        reader.cancel()
    }

    func send<M: WireMessage>(_ message: M, to topic: String) async throws {
        _ = try await producer.send(KafkaRecord(topic: topic, message: message))
    }

    /// Sends `bytes` as they are; returns the offset the broker gave them.
    @discardableResult
    func sendRaw(_ bytes: [UInt8], to topic: String, key: String = "raw") async throws -> Int64 {
        try await producer.send(topic: topic, key: Array(key.utf8), value: bytes).offset
    }

    /// Every message seen on `topic` so far.
    func messages(on topic: String) -> [KafkaMessage] {
        seen.messages.withLock { $0.filter { $0.topic == topic } }
    }

    /// Every message on `topic` that decodes as `M` (others are ignored).
    func decoded<M: WireMessage>(_ type: M.Type, on topic: String) -> [M] {
        messages(on: topic).compactMap { try? WireCodec.decode(M.self, from: $0.value) }
    }

    /// Waits for the first `M` on `topic` satisfying `predicate`.
    func waitFor<M: WireMessage>(_ type: M.Type, on topic: String, timeout: Duration = .seconds(60),
                                 where predicate: @escaping (M) -> Bool = { _ in true }) async throws -> M {
        var found: M?
        try await waitUntil("a matching \(M.self) on \(topic)", timeout: timeout) {
            found = decoded(M.self, on: topic).first(where: predicate)
            return found != nil
        }
        return found!
    }

    /// The dead letters seen so far, decoded.
    func deadLetters() -> [DeadLetterEnvelope] {
        messages(on: LazarusTopics.deadLetters).compactMap { try? JSONDecoder().decode(DeadLetterEnvelope.self, from: Data($0.value)) }
    }
}

private final class SeenMessages: Sendable {
    let messages = Mutex<[KafkaMessage]>([])
}
