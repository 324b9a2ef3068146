import Foundation
import LazarusKafka
import Testing

@Suite("Consumer groups and offsets")
struct ConsumerGroupTests {
    @Test func twoMembersSplitPartitionsAndTheSurvivorTakesAllWhenOneLeaves() async throws {
        let broker = try await BrokerFixture.shared()
        let topic = uniqueName("split")
        try await broker.command("topic \(topic) 4")
        let config = KafkaConfig(brokers: broker.bootstrapServers)
        let group = uniqueName("group")
        let a = EventCollector(try KafkaConsumer(config: config, options: testConsumerOptions(group: group, topics: [topic])))
        let b = EventCollector(try KafkaConsumer(config: config, options: testConsumerOptions(group: group, topics: [topic])))
        let all = (0..<4).map { TopicPartition(topic: topic, partition: Int32($0)) }

        try await waitUntil("the two members split the 4 partitions") {
            let (pa, pb) = (a.currentAssignment, b.currentAssignment)
            return !pa.isEmpty && !pb.isEmpty && Set(pa).isDisjoint(with: pb) && (pa + pb).sorted() == all
        }
        #expect(a.consumer.assignment.count == 2)

        await a.close()
        try await waitUntil("the survivor is assigned every partition") { b.currentAssignment == all }
        #expect(b.events.contains { $0 == .revoked(b.events.compactMap { if case .assigned(let l) = $0, l.count == 2 { l } else { nil } }.first ?? []) })
        #expect(b.consumer.assignment == all)
        await b.close()
    }

    @Test func unstoredMessageIsRedeliveredAfterRestartStoredOneIsNot() async throws {
        let broker = try await BrokerFixture.shared()
        let topic = uniqueName("restart")
        try await broker.command("topic \(topic) 1")
        let config = KafkaConfig(brokers: broker.bootstrapServers)
        let group = uniqueName("group")
        let producer = try KafkaProducer(config: config)
        let first = try await producer.send(topic: topic, value: Array("first".utf8))

        // 1. Reads it, does not store its offset, stops.
        let c1 = EventCollector(try KafkaConsumer(config: config, options: testConsumerOptions(group: group, topics: [topic])))
        try await waitUntil("first consumer gets the message") { !c1.messages.isEmpty }
        await c1.close()

        // 2. Gets it again; stores it; stops.
        let c2 = EventCollector(try KafkaConsumer(config: config, options: testConsumerOptions(group: group, topics: [topic])))
        try await waitUntil("second consumer gets the message again") { !c2.messages.isEmpty }
        let again = c2.messages[0]
        #expect(again.offset == first.offset)
        #expect(again.value == Array("first".utf8))
        try c2.consumer.storeOffset(for: again)
        await c2.close()

        // 3. Starts after it: the next message it sees is the one produced now.
        try await producer.send(topic: topic, value: Array("second".utf8))
        let c3 = EventCollector(try KafkaConsumer(config: config, options: testConsumerOptions(group: group, topics: [topic])))
        try await waitUntil("third consumer gets the new message") { !c3.messages.isEmpty }
        #expect(c3.messages.map { String(decoding: $0.value, as: UTF8.self) } == ["second"])
        await c3.close()
        await producer.close()
    }

    @Test func storeOffsetAfterCloseIsATypedError() async throws {
        let broker = try await BrokerFixture.shared()
        let consumer = try KafkaConsumer(
            config: KafkaConfig(brokers: broker.bootstrapServers),
            options: testConsumerOptions(group: uniqueName("group"), topics: [uniqueName("none")]))
        await consumer.close()
        await consumer.close()  // idempotent
        let message = KafkaMessage(topic: "x", partition: 0, offset: 0, value: [])
        #expect(throws: KafkaError.self) { try consumer.storeOffset(for: message) }
    }
}
