import Foundation
import LazarusKafka
import Testing

@Suite("lazarus-broker")
struct BrokerProcessTests {
    @Test func startsListsTopicsAnswersCommandsAndExitsCleanly() async throws {
        let broker = try await BrokerFixture.privateBroker(brokers: 3, partitions: 5)
        #expect(broker.bootstrapServers.split(separator: ",").count == 3)
        #expect(broker.bootstrapServers.hasPrefix("127.0.0.1:"))

        let admin = try KafkaAdmin(config: KafkaConfig(brokers: broker.bootstrapServers))
        let topics = try await admin.topics()
        for name in LazarusTopics.all {
            #expect(topics.first { $0.name == name }?.partitionCount == 5, "\(name) with 5 partitions")
        }

        #expect(try await broker.command("ping") == "pong")
        #expect(try await broker.command("brokers") == "brokers 1 2 3")
        #expect(try await broker.command("rtt all 0") == "rtt all 0")
        #expect(try await broker.command("down 2") == "down 2")
        #expect(try await broker.command("up 2") == "up 2")
        #expect(try await broker.command("error 0 6 2") == "error 0 NOT_LEADER_FOR_PARTITION x2")
        let extra = uniqueName("extra")
        #expect(try await broker.command("topic \(extra) 7") == "topic \(extra) 7")
        try await waitUntil("the new topic shows in metadata") { try await admin.partitionCount(of: extra) == 7 }
        await #expect(throws: KafkaError.self) { try await broker.command("down 9") }
        await #expect(throws: KafkaError.self) { try await broker.command("launch rockets") }

        // The mock cannot CreateTopics: existing topics are fine, missing ones a clear error.
        let outcome = try await admin.createTopics([LazarusTopics.runs], partitions: 5)
        #expect(outcome[LazarusTopics.runs] == .alreadyExisted)
        do {
            _ = try await admin.createTopics([uniqueName("missing")], partitions: 1, timeoutMs: 2_000)
            Issue.record("the dev broker cannot create topics")
        } catch {
            #expect(error.code == .unsupported)
        }

        #expect(await broker.terminate() == 0)
    }
}
