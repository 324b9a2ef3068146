import Foundation
import LazarusKafka
import Testing

@Suite("Produce and consume")
struct RoundTripTests {
    @Test func keysValuesAndHeadersSurviveTheRoundTrip() async throws {
        let broker = try await BrokerFixture.shared()
        let topic = uniqueName("roundtrip")
        try await broker.command("topic \(topic) 3")
        let config = KafkaConfig(brokers: broker.bootstrapServers)
        let producer = try KafkaProducer(config: config)

        let headers = [KafkaHeader(name: "trace", string: "abc"), KafkaHeader(name: "null", value: nil), KafkaHeader(name: "bin", value: [0, 255, 7])]
        let report = try await producer.send(topic: topic, key: Array("job-1".utf8), value: Array("{\"v\":1}".utf8), headers: headers)
        #expect(report.topic == topic)
        #expect(report.offset >= 0)
        let second = try await producer.send(topic: topic, key: Array("job-1".utf8), value: [])
        #expect(second.partition == report.partition, "same key, same partition")

        let consumer = EventCollector(try KafkaConsumer(config: config, options: testConsumerOptions(group: uniqueName("g"), topics: [topic])))
        try await waitUntil("both messages consumed") { consumer.messages.count >= 2 }
        let first = consumer.messages[0]
        #expect(first.topic == topic)
        #expect(first.partition == report.partition)
        #expect(first.offset == report.offset)
        #expect(first.keyString == "job-1")
        #expect(first.value == Array("{\"v\":1}".utf8))
        #expect(first.headers == headers)
        #expect(consumer.messages[1].value.isEmpty)
        #expect(consumer.events.contains { if case .assigned(let tps) = $0 { tps.count == 3 } else { false } })
        await consumer.close()
        await producer.close()
    }

    @Test func sendBatchReportsEveryMessage() async throws {
        let broker = try await BrokerFixture.shared()
        let topic = uniqueName("batch")
        try await broker.command("topic \(topic) 2")
        let producer = try KafkaProducer(config: KafkaConfig(brokers: broker.bootstrapServers))
        let records = (0..<500).map { KafkaRecord(topic: topic, key: Array("k\($0 % 7)".utf8), value: Array("m\($0)".utf8)) }
        let results = try await producer.sendBatch(records)
        #expect(results.count == 500)
        let reports = try results.map { try $0.get() }
        #expect(Set(reports.map { "\($0.partition)/\($0.offset)" }).count == 500, "every message has its own position")
        await producer.close()
    }
}
