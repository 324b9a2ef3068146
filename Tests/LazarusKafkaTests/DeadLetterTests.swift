import Foundation
import LazarusKafka
import Testing

@Suite("Dead letters")
struct DeadLetterTests {
    @Test func malformedMessageGoesToDeadLettersAndTheConsumerGoesOn() async throws {
        let broker = try await BrokerFixture.shared()
        let topic = uniqueName("input")
        try await broker.command("topic \(topic) 1")
        let config = KafkaConfig(brokers: broker.bootstrapServers)
        let producer = try KafkaProducer(config: config)
        let deadLetters = DeadLetterWriter(producer: producer)

        try await producer.send(topic: topic, key: Array("job-9".utf8), value: Array("{not json".utf8), headers: [KafkaHeader(name: "h", string: "1")])
        try await producer.send(topic: topic, key: Array("job-9".utf8), value: Array(#"{"v":1}"#.utf8))

        // A service loop: decode, dead-letter what does not decode, store, go on.
        let consumer = try KafkaConsumer(config: config, options: testConsumerOptions(group: uniqueName("group"), topics: [topic]))
        let processed = try await withDeadline("the service loop reaches the good message", .seconds(30)) {
            var processed: [KafkaMessage] = []
            for await event in consumer.events {
                guard case .message(let message) = event else { continue }
                do {
                    _ = try JSONSerialization.jsonObject(with: message.valueData)
                    processed.append(message)
                    try consumer.storeOffset(for: message)
                } catch {
                    try await deadLetters.divert(message, reason: "invalid JSON: \(error.localizedDescription)", consumer: consumer)
                }
                if !processed.isEmpty { break }
            }
            return processed
        }
        #expect(processed.map(\.offset) == [1])
        await consumer.close()

        let reader = EventCollector(try KafkaConsumer(
            config: config, options: testConsumerOptions(group: uniqueName("dlq-reader"), topics: [LazarusTopics.deadLetters])))
        try await waitUntil("the dead letter of \(topic) is on \(LazarusTopics.deadLetters)") {
            reader.messages.contains { $0.header("lazarus.dlq.source")?.stringValue == "\(topic)/0/0" }
        }
        let letter = try #require(reader.messages.first { $0.header("lazarus.dlq.source")?.stringValue == "\(topic)/0/0" })
        let envelope = try JSONDecoder().decode(DeadLetterEnvelope.self, from: letter.valueData)
        #expect(envelope.v == 1)
        #expect(envelope.reason.hasPrefix("invalid JSON"))
        #expect(envelope.sourceTopic == topic)
        #expect(envelope.sourcePartition == 0)
        #expect(envelope.sourceOffset == 0)
        #expect(envelope.value == Array("{not json".utf8))
        #expect(envelope.valueText == "{not json")
        #expect(envelope.headers == [DeadLetterEnvelope.Header(name: "h", valueBase64: Data("1".utf8).base64EncodedString())])
        #expect(letter.keyString == "job-9")
        #expect(letter.header("lazarus.dlq.reason")?.stringValue == envelope.reason)
        await reader.close()
        await producer.close()
    }

    @Test func envelopeRoundTripsThroughJSON() throws {
        let message = KafkaMessage(topic: "t", partition: 3, offset: 42, key: [1, 2], value: [0xFF, 0x00], headers: [KafkaHeader(name: "n", value: nil)])
        let envelope = DeadLetterEnvelope(message: message, reason: "bad", at: Date(timeIntervalSince1970: 1))
        let decoded = try JSONDecoder().decode(DeadLetterEnvelope.self, from: JSONEncoder().encode(envelope))
        #expect(decoded == envelope)
        #expect(decoded.value == [0xFF, 0x00])
        #expect(decoded.valueText == nil, "not UTF-8")
        #expect(decoded.deadLetteredAtMs == 1000)
    }
}
