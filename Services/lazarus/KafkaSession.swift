import Foundation
import LazarusKafka
import LazarusService
import LazarusWire

/// The CLI's connection to the cluster: produces requests, reads what topics hold.
struct KafkaSession {
    let config: KafkaConfig
    let reader: KafkaTopicReader

    init(options: ServiceOptions) throws {
        do {
            config = try options.kafkaConfig(service: "lazarus-cli")
        } catch {
            throw CLIError("\(error)")
        }
        reader = KafkaTopicReader(config: config)
    }

    /// Sends one wire message and waits for the broker's acknowledgement.
    func send<M: WireMessage>(_ message: M, to topic: String) async throws {
        var producerOptions = KafkaProducerOptions()
        producerOptions.messageTimeoutMs = 15_000
        let producer = try KafkaProducer(config: config, options: producerOptions)
        do {
            _ = try await producer.send(KafkaRecord(topic: topic, message: message))
        } catch let error as KafkaError {
            throw CLIError("could not write to \(topic) on \(config.brokers): \(error.message)")
        }
        await producer.close()
    }

    /// Every job event the broker keeps, oldest first within each job.
    func allJobEvents() async throws -> [JobEvent] {
        try await reader.readAll(topics: [LazarusTopics.jobEvents])
            .compactMap { try? WireCodec.decode(JobEvent.self, from: $0.value) }
            .filter { !Self.isServiceMarker($0) }
    }

    /// The checkpoint service writes a marker to every partition when it starts (to know
    /// when it has read its own past back); they are not jobs.
    static func isServiceMarker(_ event: JobEvent) -> Bool {
        event.jobId.hasPrefix("checkpoint-service-startup-")
    }

    /// The events of one job, read from its partition only: every service keys them by
    /// job id with Kafka's default partitioner (`JobPartitioner`), so a long history of
    /// other jobs costs nothing.
    func events(of jobId: String) async throws -> [JobEvent] {
        try await readJobPartition(of: LazarusTopics.jobEvents, jobId)
            .compactMap { try? WireCodec.decode(JobEvent.self, from: $0.value) }
            .filter { $0.jobId == jobId }
    }

    /// The messages of `topic`'s partition that `jobId` is keyed to.
    func readJobPartition(of topic: String, _ jobId: String) async throws -> [KafkaMessage] {
        try await reader.readAll(topic: topic) { JobPartitioner.partition(for: jobId, partitionCount: $0) }
    }

    /// Where the next job event will land, per partition — taken before a request is sent
    /// so that following from here cannot miss its answer.
    func jobEventsEnd() async throws -> [TopicPartition: Int64] {
        try await reader.endOffsets(of: LazarusTopics.jobEvents)
    }

    /// Job events from `positions` on, as they arrive.
    func followJobEvents(from positions: [TopicPartition: Int64]) throws -> AsyncStream<JobEvent> {
        let messages = try reader.follow(from: positions)
        return AsyncStream { continuation in
            let task = Task {
                for await message in messages {
                    if let event = try? WireCodec.decode(JobEvent.self, from: message.value), !Self.isServiceMarker(event) {
                        continuation.yield(event)
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// A failure the user can act on; printed as `lazarus: <message>` with exit code 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
