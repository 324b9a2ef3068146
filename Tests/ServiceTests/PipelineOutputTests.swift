import Foundation
import LazarusKafka
import LazarusService
import LazarusWire
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// Output a producer can never send does not stall its input partition: the input is
/// dead-lettered with the reason, and the pipeline goes on (offsets included).
@Suite("Pipeline output", .serialized)
struct PipelineOutputTests {
    /// Echoes each input to `lazarus.runs`; for "big" it returns a 2 MB record (over the
    /// producer's default `message.max.bytes`) followed by a second stage.
    final class Echo: BatchMessageProcessor {
        let seen = Mutex<[String]>([])

        func process(batch messages: [KafkaMessage]) async throws -> [MessageOutput] {
            messages.map { message in
                let text = String(decoding: message.value, as: UTF8.self)
                seen.withLock { $0.append(text) }
                let key = message.key
                guard text == "big" else {
                    return .records([KafkaRecord(topic: LazarusTopics.runs, key: key, value: Array("echo:\(text)".utf8))])
                }
                return .stages([[KafkaRecord(topic: LazarusTopics.runs, key: key, value: [UInt8](repeating: 0x61, count: 2 << 20))],
                                [KafkaRecord(topic: LazarusTopics.runs, key: key, value: Array("after-big".utf8))]])
            }
        }
    }

    func pipeline(_ processor: Echo, brokers: String, group: String) throws -> (PipelineService, KafkaProducer) {
        let config = KafkaConfig(brokers: brokers, clientId: "pipeline-test")
        let producer = try KafkaProducer(config: config)
        var options = KafkaConsumerOptions(groupId: group, topics: [LazarusTopics.jobs])
        options.sessionTimeoutMs = 4_500
        return (PipelineService(name: "echo", config: config, consumerOptions: options, producer: producer,
                                processor: processor, logger: Logger(label: "pipeline-test")), producer)
    }

    /// Runs `pipeline` until `done` holds, then shuts it down gracefully (output drained,
    /// offsets committed, group left).
    func run(_ pipeline: PipelineService, until done: @escaping () -> Bool) async throws {
        let group = ServiceGroup(configuration: .init(services: [.init(service: pipeline)], logger: Logger(label: "pipeline-test")))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        try await waitUntil("the pipeline's work is seen", timeout: .seconds(60), done)
        await group.triggerGracefulShutdown()
        try await running.value
    }

    @Test func unsendableOutputDeadLettersItsInputAndTheOffsetsMoveOn() async throws {
        let broker = try await startBroker()
        let probe = try TopicProbe(brokers: broker.bootstrapServers, watching: [LazarusTopics.runs, LazarusTopics.deadLetters])
        let group = "echo-\(UUID().uuidString.prefix(8))"
        var offsets: [String: Int64] = [:]
        for text in ["a", "big", "b"] { offsets[text] = try await probe.sendRaw(Array(text.utf8), to: LazarusTopics.jobs, key: "one-key") }

        let first = Echo()
        let (service, producer) = try pipeline(first, brokers: broker.bootstrapServers, group: group)
        try await run(service) {
            let runs = probe.messages(on: LazarusTopics.runs).map { String(decoding: $0.value, as: UTF8.self) }
            return runs.contains("echo:b") && !probe.deadLetters().isEmpty
        }
        await producer.close()

        let letter = try #require(probe.deadLetters().first)
        #expect(letter.sourceOffset == offsets["big"])
        #expect(letter.valueText == "big")
        #expect(letter.reason.contains("can never be sent"), "reason: \(letter.reason)")
        let runs = probe.messages(on: LazarusTopics.runs).map { String(decoding: $0.value, as: UTF8.self) }
        #expect(runs.contains("echo:a"))
        #expect(!runs.contains("after-big"), "the dead-lettered message's later stages are dropped")

        // A new member of the group starts after "b": every offset up to it was committed.
        try await probe.sendRaw(Array("c".utf8), to: LazarusTopics.jobs, key: "one-key")
        let second = Echo()
        let (next, nextProducer) = try pipeline(second, brokers: broker.bootstrapServers, group: group)
        try await run(next) { second.seen.withLock { $0.contains("c") } }
        await nextProducer.close()
        #expect(second.seen.withLock { $0 } == ["c"])

        await probe.close()
        _ = await broker.terminate()
    }
}
