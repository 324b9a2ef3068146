import LazarusKafka
import LazarusWire

/// What a `PipelineService` does with each consumed message.
public protocol MessageProcessor: Sendable {
    /// Handles one message and returns what to produce. The message counts as processed
    /// once every returned record is acknowledged by the broker.
    /// - Throws: `Rejection` for input that can never be processed (it is dead-lettered
    ///   with the reason); any other error is retried with backoff.
    func process(_ message: KafkaMessage) async throws -> [KafkaRecord]

    /// Partitions of the consumed topics became this member's.
    func assigned(_ partitions: [TopicPartition]) async

    /// Partitions were taken away (their messages will go to another member).
    func revoked(_ partitions: [TopicPartition]) async
}

extension MessageProcessor {
    public func assigned(_ partitions: [TopicPartition]) async {}
    public func revoked(_ partitions: [TopicPartition]) async {}
}

/// A `MessageProcessor` seen as a `BatchMessageProcessor` whose batches hold one message.
struct OneMessageAtATime: BatchMessageProcessor {
    let processor: any MessageProcessor

    init(_ processor: any MessageProcessor) { self.processor = processor }

    func process(batch messages: [KafkaMessage]) async throws -> [MessageOutput] {
        var outputs: [MessageOutput] = []
        for message in messages {
            do {
                outputs.append(.records(try await processor.process(message)))
            } catch let rejection as Rejection {
                outputs.append(.rejected(rejection))
            }
        }
        return outputs
    }

    func assigned(_ partitions: [TopicPartition]) async { await processor.assigned(partitions) }
    func revoked(_ partitions: [TopicPartition]) async { await processor.revoked(partitions) }
}

/// Input a service refuses: it goes to `lazarus.dead-letters` with `reason`.
public struct Rejection: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

extension KafkaMessage {
    /// Decodes the value as `M`, refusing values over `maxBytes`.
    public func decode<M: WireMessage>(_ type: M.Type, maxBytes: Int = 1 << 20) throws(Rejection) -> M {
        guard value.count <= maxBytes else {
            throw Rejection("message of \(value.count) bytes exceeds the \(maxBytes)-byte limit for \(M.self)")
        }
        do {
            return try WireCodec.decode(M.self, from: value)
        } catch {
            throw Rejection(error.description)
        }
    }
}

extension KafkaRecord {
    /// A wire message keyed by its job id.
    public init<M: WireMessage>(topic: String, message: M) throws {
        self.init(topic: topic, key: Array(message.jobId.utf8), value: try WireCodec.encode(message))
    }
}
