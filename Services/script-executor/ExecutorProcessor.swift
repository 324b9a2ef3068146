import LazarusKafka
import LazarusService
import LazarusWire
import Logging

/// The executor's side of its `PipelineService`: decodes run commands and call results,
/// hands them to the `JobRunner`, and returns what they produced once the job got that far.
///
/// "Processed" (the offset may be stored) means: for a run command, the VM was created (or
/// restored) and its first output — `started`/`resumed` plus its first host call, or its
/// end — was acknowledged by the broker; for a call result, the VM was resumed and its next
/// output acknowledged. Ignored input (stale epoch, unknown job, queued run) is processed at
/// once. An executor that dies loses nothing by this: its successor asks for `recover`.
struct ExecutorProcessor: MessageProcessor {
    let runner: JobRunner
    let sender: OrderedSender
    let instanceId: String
    let logger: Logger

    func process(_ message: KafkaMessage) async throws -> [KafkaRecord] {
        let makeEvent: @Sendable (MessageAck) -> JobRunner.Event
        switch message.topic {
        case LazarusTopics.runs:
            // A run command carries the snapshot (≤ 1 MiB as base64) and the script.
            let command = try message.decode(RunCommand.self, maxBytes: MessageSizes.largeMessageBytes)
            try Self.check(command)
            let partition = message.partition
            makeEvent = { .run(command, partition: partition, ack: $0) }
        case LazarusTopics.callResults:
            let reply = try message.decode(CallReply.self)
            guard !reply.jobId.isEmpty else { throw Rejection("call result without a jobId") }
            makeEvent = { .reply(reply, ack: $0) }
        default:
            throw Rejection("script-executor does not consume \(message.topic)")
        }
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<MessageOutcome, Never>) in
            runner.submit(makeEvent(MessageAck { continuation.resume(returning: $0) }))
        }
        switch outcome {
        case .produce(let records): return records
        case .done: return []
        case .abandoned: throw ExecutorStopping()
        }
    }

    static func check(_ command: RunCommand) throws(Rejection) {
        guard !command.jobId.isEmpty else { throw Rejection("run command without a jobId") }
        guard !command.tenant.isEmpty else { throw Rejection("run command for job \(command.jobId) without a tenant") }
        guard command.epoch >= 1 else { throw Rejection("run command for job \(command.jobId) with epoch \(command.epoch); epochs start at 1") }
    }

    /// New partitions: ask the checkpoint service for their live jobs.
    func assigned(_ partitions: [TopicPartition]) async {
        let runs = Set(partitions.filter { $0.topic == LazarusTopics.runs }.map { Int($0.partition) }).sorted()
        guard !runs.isEmpty else { return }
        let request = ControlMessage(jobId: instanceId, command: .recover, partitions: runs, requestedBy: instanceId)
        do {
            await sender.sendAndWait([try KafkaRecord(topic: LazarusTopics.control, message: request)])
            logger.info("recover requested", metadata: ["kafka.partitions": "\(runs)"])
        } catch {
            logger.error("cannot encode the recover request", metadata: ["error": "\(error)"])
        }
    }

    /// Partitions taken away: their VMs go (the new owner recovers their jobs).
    func revoked(_ partitions: [TopicPartition]) async {
        let numbers = Set(partitions.filter { $0.topic == LazarusTopics.runs || $0.topic == LazarusTopics.callResults }.map(\.partition))
        guard !numbers.isEmpty else { return }
        runner.submit(.revoke(numbers))
    }
}

/// The executor stopped before a message's job got anywhere: the message stays unprocessed.
struct ExecutorStopping: Error, CustomStringConvertible {
    var description: String { "the executor is stopping" }
}
