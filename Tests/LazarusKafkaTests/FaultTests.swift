import Foundation
import LazarusKafka
import Testing

@Suite("Broker faults and data loss")
struct FaultTests {
    @Test func sendWhileEveryBrokerIsDownFailsAfterTheMessageTimeoutOrSucceedsWhenItComesBack() async throws {
        let broker = try await BrokerFixture.privateBroker(brokers: 2)
        defer { Task { await broker.terminate() } }
        let topic = uniqueName("down")
        try await broker.command("topic \(topic) 2")
        let config = KafkaConfig(brokers: broker.bootstrapServers)

        var short = KafkaProducerOptions()
        short.messageTimeoutMs = 1_500
        let failing = try KafkaProducer(config: config, options: short)
        try await failing.send(topic: topic, value: Array("warm-up".utf8))
        try await broker.command("down all")
        do {
            _ = try await withDeadline("send with a 1.5 s message timeout", .seconds(30)) {
                try await failing.send(topic: topic, value: Array("lost".utf8))
            }
            Issue.record("a send with every broker down must fail")
        } catch let error as KafkaError {
            #expect(error.code == .timedOut)
            #expect(error.isRetriable)
        }

        var patient = KafkaProducerOptions()
        patient.messageTimeoutMs = 0  // retry until the broker is back
        let waiting = try KafkaProducer(config: config, options: patient)
        let send = Task { try await waiting.send(topic: topic, key: Array("k".utf8), value: Array("kept".utf8)) }
        // Give the send time to meet the dead broker; the outcome does not depend on it.
        try await Task.sleep(for: .milliseconds(500))
        try await broker.command("up all")
        let report = try await withDeadline("send after the broker came back", .seconds(60)) { try await send.value }
        #expect(report.topic == topic)
        await failing.close()
        await waiting.close()
    }

    @Test func committedPositionTruncatedAwayIsReportedAsDataLoss() async throws {
        let broker = try await BrokerFixture.shared()
        let topic = uniqueName("truncated")
        try await broker.command("topic \(topic) 1")
        let config = KafkaConfig(brokers: broker.bootstrapServers)
        let group = uniqueName("group")
        var options = KafkaProducerOptions()
        options.compression = .none
        let producer = try KafkaProducer(config: config, options: options)

        // Commit a position near the start of the log.
        try await producer.send(topic: topic, value: Array("first".utf8))
        let c1 = EventCollector(try KafkaConsumer(config: config, options: testConsumerOptions(group: group, topics: [topic])))
        try await waitUntil("first message consumed") { !c1.messages.isEmpty }
        try c1.consumer.storeOffset(for: c1.messages[0])
        await c1.close()

        // > 5 MiB of incompressible data: the dev broker drops the oldest message sets.
        var generator = SystemRandomNumberGenerator()
        let chunk = (0..<(100 * 1024)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for _ in 0..<8 {
            let batch = (0..<10).map { _ in KafkaRecord(topic: topic, value: chunk) }
            for result in try await producer.sendBatch(batch) { _ = try result.get() }
        }
        try await producer.send(topic: topic, value: Array("after".utf8))

        let c2 = EventCollector(try KafkaConsumer(config: config, options: testConsumerOptions(group: group, topics: [topic])))
        try await waitUntil("the consumer reports the lost position") { c2.errors.contains { $0.code == .offsetOutOfRange } }
        let error = try #require(c2.errors.first { $0.code == .offsetOutOfRange })
        #expect(error.topicPartition == TopicPartition(topic: topic, partition: 0))
        #expect(error.offset == 1)
        #expect(error.message.contains("DATA LOST"))
        #expect(!error.isRetriable)
        // Default policy: go on from the earliest message still there.
        try await waitUntil("consumption resumes after the loss") { c2.messages.contains { $0.value == Array("after".utf8) } }
        #expect(c2.messages.allSatisfy { $0.offset > 1 })
        await c2.close()
        await producer.close()
    }
}
