import ArgumentParser
import Foundation
import LazarusKafka
import LazarusService
import Logging

/// `object-proxy`: checks host calls, saves state where the job's policy says so, routes
/// calls to the object service and replies back to the executors. Keeps no state a restart
/// would miss.
/// See docs/OBJECT-SERVICE.md.
@main
struct ObjectProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "object-proxy",
        abstract: "Routes host calls from lazarus.calls, writing snapshots to lazarus.snapshots where the job's save-state policy says so, and forwards lazarus.object-replies to lazarus.call-results.",
        discussion: """
            A snapshot is acknowledged by the broker before the call that triggered it is routed. \
            checkpoint() is answered here ({status: "saved", label}); yieldScript() and sleep(ms) end with \
            their snapshot (the checkpoint service continues the job); every other call goes to \
            lazarus.object-requests. Invalid calls are dead-lettered and answered with an error reply, so \
            the script sees an error instead of waiting forever. The proxy keeps no state a restart would \
            miss (only when it last announced a job's snapshot): any number of instances share the consumer \
            group lazarus.object-proxy. See docs/OBJECT-SERVICE.md.
            """)

    @OptionGroup var service: ServiceOptions

    @Option(help: ArgumentHelp("The largest continuation (VM state) a snapshot may carry, in bytes; larger ones are refused with 'too-large'.", valueName: "bytes"))
    var maxContinuationBytes: Int = ProxyLimits().maxContinuationBytes

    @Option(help: ArgumentHelp("Messages on lazarus.calls larger than this are dead-lettered unread.", valueName: "bytes"))
    var maxCallBytes: Int = ProxyLimits().maxCallMessageBytes

    @Option(help: ArgumentHelp("""
        A snapshot the policy takes (afterWrite, everyCalls, everyMillis, always) gets a 'checkpointed' job event \
        only if the job had none in this many ms; 0 announces every one. Snapshots the script asks for \
        (checkpoint, yieldScript, sleep) are always announced, and no snapshot is ever skipped.
        """, valueName: "ms"))
    var checkpointedEveryMs: Int64 = CheckpointAnnouncements.defaultIntervalMillis

    func validate() throws {
        guard checkpointedEveryMs >= 0 else { throw ValidationError("--checkpointed-every-ms must be 0 or more") }
        guard maxContinuationBytes >= 1 else { throw ValidationError("--max-continuation-bytes must be positive") }
        guard maxCallBytes >= 1 else { throw ValidationError("--max-call-bytes must be positive") }
    }

    func run() async throws {
        let logger = try service.makeLogger(service: "object-proxy")
        let config = try service.kafkaConfig(service: "object-proxy")
        logger.info("starting", metadata: ["kafka.brokers": "\(config.brokers)", "max.continuation.bytes": "\(maxContinuationBytes)",
                                            "checkpointed.every.ms": "\(checkpointedEveryMs)"])

        var limits = ProxyLimits()
        limits.maxContinuationBytes = maxContinuationBytes
        limits.maxCallMessageBytes = maxCallBytes
        // A 768 KiB continuation is a ~1 MiB snapshot message (base64): above librdkafka's
        // default message.max.bytes (1,000,000). Raise it unless the operator set it.
        let (producerConfig, producedLimit) = MessageSizes.allowingLargeMessages(config, upTo: limits.maxProducedMessageBytes)
        limits.maxProducedMessageBytes = producedLimit
        let producer = try KafkaProducer(config: producerConfig, logger: logger)
        let router = CallRouter(limits: limits, announcements: CheckpointAnnouncements(intervalMillis: checkpointedEveryMs))
        let processor = ProxyProcessor(router: router, deadLetters: DeadLetterWriter(producer: producer), logger: logger)
        let consumerOptions = KafkaConsumerOptions(groupId: "lazarus.object-proxy",
                                                   topics: [LazarusTopics.calls, LazarusTopics.objectReplies])
        let pipeline = PipelineService(
            name: "calls+replies", config: config, consumerOptions: consumerOptions, producer: producer,
            processor: processor, logger: logger)
        do {
            try await runUntilSignalled([pipeline], logger: logger)
        } catch {
            await producer.close()
            logger.critical("object-proxy stopped on an error: \(error)")
            throw ExitCode(1)
        }
        await producer.close()
    }
}
