import LazarusKafka
import Logging
import ServiceLifecycle

/// A consumer-group member that hands consumed messages to a processor, produces what it
/// returns, and stores each message's offset only once that output is acknowledged.
///
/// A `BatchMessageProcessor` gets every message already waiting (up to `maxBatch`) at once
/// and may send each message's output in stages; a `MessageProcessor` gets one message at
/// a time. Batches form only from what is already buffered — a lone message is processed at
/// once, never held back to wait for company — so batching adds no latency when idle and
/// grows with load.
///
/// Offsets are stored per message, in consumption order, once all of its output is
/// acknowledged. Bad input (`Rejection`) is dead-lettered and skipped; any other processing
/// error is retried with backoff, so a message is never dropped before it was handed on. A
/// `FatalProcessingError` stops the service (after the output of earlier messages is
/// acknowledged) and `run()` throws it. On graceful shutdown the member stops consuming,
/// waits for its output, commits and leaves the group; a restart re-processes at most the
/// tail after the last commit.
public final class PipelineService: Service {
    private let name: String
    private let config: KafkaConfig
    private let consumerOptions: KafkaConsumerOptions
    private let producer: KafkaProducer
    private let processor: any BatchMessageProcessor
    private let maxBatch: Int
    private let windowCapacity: Int
    private let logger: Logger

    public init(name: String, config: KafkaConfig, consumerOptions: KafkaConsumerOptions, producer: KafkaProducer,
                processor: any BatchMessageProcessor, maxBatch: Int = 128, windowCapacity: Int = 256, logger: Logger) {
        self.name = name
        self.config = config
        self.consumerOptions = consumerOptions
        self.producer = producer
        self.processor = processor
        self.maxBatch = max(1, maxBatch)
        self.windowCapacity = windowCapacity
        var logger = logger
        logger[metadataKey: "pipeline"] = "\(name)"
        self.logger = logger
    }

    /// A pipeline that processes one message at a time: a retried error never re-runs a
    /// message whose output was already accepted.
    public convenience init(name: String, config: KafkaConfig, consumerOptions: KafkaConsumerOptions, producer: KafkaProducer,
                            processor: any MessageProcessor, windowCapacity: Int = 256, logger: Logger) {
        self.init(name: name, config: config, consumerOptions: consumerOptions, producer: producer,
                  processor: OneMessageAtATime(processor), maxBatch: 1, windowCapacity: windowCapacity, logger: logger)
    }

    public func run() async throws {
        let consumer = try KafkaConsumer(config: config, options: consumerOptions, logger: logger)
        let deadLetters = DeadLetterWriter(producer: producer)
        let window = OutputWindow(producer: producer, deadLetters: deadLetters, consumer: consumer,
                                  capacity: windowCapacity, logger: logger)
        logger.info("consuming", metadata: ["kafka.topics": "\(consumerOptions.topics.joined(separator: ","))",
                                            "kafka.group": "\(consumerOptions.groupId)"])
        var fatal: FatalProcessingError?
        await withGracefulShutdownHandler {
            processing: while let item = await consumer.nextBatch(maxMessages: maxBatch) {
                switch item {
                case .messages(let batch):
                    switch await outputs(for: batch, consumer: consumer) {
                    case .outputs(let outputs):
                        await window.submit(zip(batch, outputs).map { message, output in
                            (message, stages(of: output, for: message, deadLetters: deadLetters))
                        })
                    case .stopped:
                        break processing
                    case .fatal(let error):
                        fatal = error
                        break processing
                    }
                case .control(.assigned(let partitions)):
                    logger.info("partitions assigned", metadata: ["kafka.partitions": "\(partitions)"])
                    await processor.assigned(partitions)
                case .control(.revoked(let partitions)):
                    logger.info("partitions revoked", metadata: ["kafka.partitions": "\(partitions)"])
                    await processor.revoked(partitions)
                case .control(.error(let error)) where error.code == .offsetOutOfRange:
                    logger.error("DATA LOST: committed position was truncated away by the broker", metadata: ["error": "\(error)"])
                case .control(.error(let error)):
                    logger.warning("consumer error", metadata: ["error": "\(error)"])
                case .control(.message):
                    break  // messages always come as `.messages`
                }
            }
        } onGracefulShutdown: {
            Task { await consumer.close() }
        }
        // A shutdown that runs out of time (the service group cancels us) stops waiting
        // for output the broker will not take; those offsets stay unstored.
        await withTaskCancellationHandler {
            await window.drain()
        } onCancel: {
            Task { await window.abandonDrain() }
        }
        await consumer.close()
        if let fatal {
            logger.critical("stopping: \(fatal.reason)")
            throw fatal
        }
        logger.info("left the group")
    }

    private enum BatchResult {
        case outputs([MessageOutput])
        case stopped
        case fatal(FatalProcessingError)
    }

    /// The processor's outputs for `batch`; retries anything but a fatal error until it
    /// works, or until the service shuts down (then the batch stays unprocessed).
    private func outputs(for batch: [KafkaMessage], consumer: KafkaConsumer) async -> BatchResult {
        var backoff = Backoff()
        while true {
            do {
                let outputs = try await processor.process(batch: batch)
                guard outputs.count == batch.count else {
                    return .fatal(FatalProcessingError("\(name): the processor returned \(outputs.count) outputs for \(batch.count) messages"))
                }
                return .outputs(outputs)
            } catch let error as FatalProcessingError {
                return .fatal(error)
            } catch {
                if consumer.isClosed || Task.isShuttingDownGracefully || Task.isCancelled { return .stopped }
                logger.warning("processing failed; retrying", metadata: [
                    "kafka.offset": "\(batch[0].topic)/\(batch[0].partition)/\(batch[0].offset)",
                    "batch.size": "\(batch.count)", "error": "\(error)",
                ])
                await backoff.wait()
            }
        }
    }

    private func stages(of output: MessageOutput, for message: KafkaMessage, deadLetters: DeadLetterWriter) -> [[KafkaRecord]] {
        switch output {
        case .stages(let stages):
            return stages
        case .rejected(let rejection, let alsoSend):
            logger.warning("dead-lettered", metadata: [
                "kafka.topic": "\(message.topic)", "kafka.partition": "\(message.partition)",
                "kafka.offset": "\(message.offset)", "reason": "\(rejection.reason)",
            ])
            return [[deadLetters.boundedRecord(for: message, reason: rejection.reason)] + alsoSend]
        }
    }
}

