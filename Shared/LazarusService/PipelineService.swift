import LazarusKafka
import Logging
import ServiceLifecycle

/// A consumer-group member that hands each message to a `MessageProcessor`, produces what
/// it returns, and stores the message's offset only once that output is acknowledged.
///
/// Bad input (`Rejection`) is dead-lettered and skipped; any other processing error is
/// retried with backoff, so a message is never dropped before it was handed on. On
/// graceful shutdown the member stops consuming, waits for its output, commits and leaves
/// the group. A restart re-processes at most the tail after the last commit.
public final class PipelineService: Service {
    private let name: String
    private let config: KafkaConfig
    private let consumerOptions: KafkaConsumerOptions
    private let producer: KafkaProducer
    private let processor: any MessageProcessor
    private let windowCapacity: Int
    private let logger: Logger

    public init(name: String, config: KafkaConfig, consumerOptions: KafkaConsumerOptions, producer: KafkaProducer,
                processor: any MessageProcessor, windowCapacity: Int = 256, logger: Logger) {
        self.name = name
        self.config = config
        self.consumerOptions = consumerOptions
        self.producer = producer
        self.processor = processor
        self.windowCapacity = windowCapacity
        var logger = logger
        logger[metadataKey: "pipeline"] = "\(name)"
        self.logger = logger
    }

    public func run() async throws {
        let consumer = try KafkaConsumer(config: config, options: consumerOptions, logger: logger)
        let window = OutputWindow(producer: producer, consumer: consumer, capacity: windowCapacity, logger: logger)
        let deadLetters = DeadLetterWriter(producer: producer)
        logger.info("consuming", metadata: ["kafka.topics": "\(consumerOptions.topics.joined(separator: ","))",
                                            "kafka.group": "\(consumerOptions.groupId)"])
        await withGracefulShutdownHandler {
            consuming: for await event in consumer.events {
                switch event {
                case .message(let message):
                    guard let records = await output(for: message, deadLetters: deadLetters) else { break consuming }
                    await window.submit(message, records: records)
                case .assigned(let partitions):
                    logger.info("partitions assigned", metadata: ["kafka.partitions": "\(partitions)"])
                    await processor.assigned(partitions)
                case .revoked(let partitions):
                    logger.info("partitions revoked", metadata: ["kafka.partitions": "\(partitions)"])
                    await processor.revoked(partitions)
                case .error(let error) where error.code == .offsetOutOfRange:
                    logger.error("DATA LOST: committed position was truncated away by the broker", metadata: ["error": "\(error)"])
                case .error(let error):
                    logger.warning("consumer error", metadata: ["error": "\(error)"])
                }
            }
        } onGracefulShutdown: {
            Task { await consumer.close() }
        }
        await window.drain()
        await consumer.close()
        logger.info("left the group")
    }

    /// The processor's output, or a dead letter; retries anything else until it works.
    /// `nil` when the service shuts down first: the message stays unprocessed.
    private func output(for message: KafkaMessage, deadLetters: DeadLetterWriter) async -> [KafkaRecord]? {
        var backoff = Backoff()
        while true {
            do {
                return try await processor.process(message)
            } catch let rejection as Rejection {
                logger.warning("dead-lettered", metadata: [
                    "kafka.topic": "\(message.topic)", "kafka.partition": "\(message.partition)",
                    "kafka.offset": "\(message.offset)", "reason": "\(rejection.reason)",
                ])
                return [deadLetters.boundedRecord(for: message, reason: rejection.reason)]
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { return nil }
                logger.warning("processing failed; retrying", metadata: ["kafka.offset": "\(message.offset)", "error": "\(error)"])
                await backoff.wait()
            }
        }
    }
}
