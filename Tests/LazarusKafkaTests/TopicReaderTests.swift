import Foundation
import Synchronization
import LazarusKafka
import Testing

@Suite("Topic reader")
struct TopicReaderTests {
    @Test func readAllReturnsEveryMessageUpToTheEnd() async throws {
        let broker = try await BrokerFixture.shared()
        let topic = uniqueName("reader")
        try await broker.command("topic \(topic) 3")
        let config = KafkaConfig(brokers: broker.bootstrapServers)
        let producer = try KafkaProducer(config: config)
        let sent = (0..<30).map { KafkaRecord(topic: topic, key: Array("k\($0)".utf8), value: Array("v\($0)".utf8)) }
        for result in try await producer.sendBatch(sent) { _ = try result.get() }

        let reader = KafkaTopicReader(config: config)
        let read = try await reader.readAll(topics: [topic])
        #expect(Set(read.map { String(decoding: $0.value, as: UTF8.self) }) == Set((0..<30).map { "v\($0)" }))
        #expect(read.count == 30)
        for partition in Set(read.map(\.partition)) {
            let offsets = read.filter { $0.partition == partition }.map(\.offset)
            #expect(offsets == offsets.sorted(), "a partition's messages come in offset order")
        }
        await producer.close()
    }

    @Test func readAllOfOnePartitionReadsOnlyThatOne() async throws {
        let broker = try await BrokerFixture.shared()
        let topic = uniqueName("reader-one")
        try await broker.command("topic \(topic) 3")
        let config = KafkaConfig(brokers: broker.bootstrapServers)
        let producer = try KafkaProducer(config: config)
        let sent = (0..<12).map { KafkaRecord(topic: topic, partition: Int32($0 % 3), value: Array("v\($0)".utf8)) }
        for result in try await producer.sendBatch(sent) { _ = try result.get() }

        let reader = KafkaTopicReader(config: config)
        var counts: [Int] = []
        let read = try await reader.readAll(topic: topic) { count in
            counts.append(count)
            return 1
        }
        #expect(counts == [3], "the chooser is told the partition count once")
        #expect(read.map { String(decoding: $0.value, as: UTF8.self) } == ["v1", "v4", "v7", "v10"], "partition 1 only, in offset order")
        await #expect(throws: KafkaError.self) { try await reader.readAll(topic: topic) { _ in 3 } }
        await producer.close()
    }

    @Test func readAllOfAnEmptyTopicIsEmpty() async throws {
        let broker = try await BrokerFixture.shared()
        let topic = uniqueName("reader-empty")
        try await broker.command("topic \(topic) 2")
        let read = try await KafkaTopicReader(config: KafkaConfig(brokers: broker.bootstrapServers)).readAll(topics: [topic])
        #expect(read.isEmpty)
    }

    @Test func followFromTheEndSeesOnlyNewMessages() async throws {
        let broker = try await BrokerFixture.shared()
        let topic = uniqueName("reader-follow")
        try await broker.command("topic \(topic) 2")
        let config = KafkaConfig(brokers: broker.bootstrapServers)
        let producer = try KafkaProducer(config: config)
        _ = try await producer.send(topic: topic, key: Array("old".utf8), value: Array("old".utf8))

        let stream = try await KafkaTopicReader(config: config).follow(topics: [topic], from: .end)
        let seen = SeenValues()
        let collector = Task {
            for await message in stream {
                seen.add(String(decoding: message.value, as: UTF8.self))
                if seen.contains(where: { $0.hasPrefix("new") }) { return }
            }
        }
        // "end" is resolved when the reader first fetches: keep producing until it sees one.
        var n = 0
        try await waitUntil("the follower saw a new message") {
            n += 1
            _ = try await producer.send(topic: topic, key: Array("new".utf8), value: Array("new-\(n)".utf8))
            return seen.contains { $0.hasPrefix("new") }
        }
        collector.cancel()
        #expect(!seen.contains { $0 == "old" })
        await producer.close()
    }
}

private final class SeenValues: Sendable {
    private let values = Mutex<[String]>([])
    func add(_ value: String) { values.withLock { $0.append(value) } }
    func contains(where predicate: (String) -> Bool) -> Bool { values.withLock { $0.contains(where: predicate) } }
}
