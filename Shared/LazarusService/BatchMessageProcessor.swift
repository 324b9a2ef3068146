import LazarusKafka

/// What a `PipelineService` does with the messages it consumes, several at a time.
///
/// Use it instead of `MessageProcessor` when handling messages together is cheaper than one
/// by one (one SQLite transaction, one fsync, for many calls), or when a message's output
/// must reach the broker in order across topics (`MessageOutput.stages`).
public protocol BatchMessageProcessor: Sendable {
    /// Handles `messages` (in consumption order, at least one) and returns one output per
    /// message, in the same order.
    /// - Throws: `FatalProcessingError` to stop the service (it exits non-zero after the
    ///   output of earlier messages is acknowledged); any other error retries the whole
    ///   batch with backoff, so the processor must not have produced anything itself.
    func process(batch messages: [KafkaMessage]) async throws -> [MessageOutput]

    /// Partitions of the consumed topics became this member's.
    func assigned(_ partitions: [TopicPartition]) async

    /// Partitions were taken away (their messages will go to another member).
    func revoked(_ partitions: [TopicPartition]) async
}

extension BatchMessageProcessor {
    public func assigned(_ partitions: [TopicPartition]) async {}
    public func revoked(_ partitions: [TopicPartition]) async {}
}

/// What one consumed message produces.
public enum MessageOutput: Sendable {
    /// Records sent in stages: every record of a stage is acknowledged by the broker
    /// before the next stage is sent (records within a stage go out together). The
    /// message's offset is stored once the last stage is acknowledged.
    case stages([[KafkaRecord]])
    /// Input that can never be processed: dead-lettered with the reason, together with
    /// `alsoSend` (e.g. an error reply, so whoever waits on it is not left hanging).
    case rejected(Rejection, alsoSend: [KafkaRecord] = [])

    /// Records sent together, in one stage.
    public static func records(_ records: [KafkaRecord]) -> MessageOutput { .stages([records]) }
}

/// An error a service cannot go on after (a corrupt database, a broken invariant):
/// `PipelineService.run()` throws it, which stops the service group, and the process
/// exits non-zero instead of retrying forever.
public struct FatalProcessingError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
