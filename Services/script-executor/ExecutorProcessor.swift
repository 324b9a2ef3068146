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
struct ExecutorProcessor: BatchMessageProcessor {
    let runner: JobRunner
    let sender: OrderedSender
    let instanceId: String
    let logger: Logger

    /// Every message already waiting goes to the runner in one hand-over, and the batch's
    /// outputs come back together once each of its jobs got as far as one message alone would
    /// have (its next suspension, or one quantum). One message at a time cost a wake-up of
    /// the runner thread and of a pool thread per message, and ran the waiting jobs one
    /// after the other instead of round-robin. A message's event is applied in consumption
    /// order, and a job's call is sent only after the batch returns, so a result can never
    /// arrive in the same batch as the call it answers.
    func process(batch messages: [KafkaMessage]) async throws -> [MessageOutput] {
        var outputs = [MessageOutput?](repeating: nil, count: messages.count)
        var accepted: [(index: Int, makeEvent: @Sendable (MessageAck) -> JobRunner.Event)] = []
        for (index, message) in messages.enumerated() {
            do {
                accepted.append((index, try Self.event(for: message)))
            } catch {
                outputs[index] = .rejected(error)
            }
        }
        if !accepted.isEmpty {
            let gathering = Gathering<MessageOutcome>(count: accepted.count)
            runner.submit(accepted.enumerated().map { slot, entry in
                entry.makeEvent(MessageAck { gathering.complete(slot, $0) })
            })
            let outcomes = await gathering.wait()
            for ((index, _), outcome) in zip(accepted, outcomes) {
                switch outcome {
                case .produce(let records): outputs[index] = .records(records)
                case .done: outputs[index] = .records([])
                case .abandoned: throw ExecutorStopping()
                }
            }
        }
        return outputs.map { $0! }
    }

    /// The runner event of `message`, waiting for its ack; a `Rejection` for unusable input.
    static func event(for message: KafkaMessage) throws(Rejection) -> @Sendable (MessageAck) -> JobRunner.Event {
        switch message.topic {
        case LazarusTopics.runs:
            // A run command carries the snapshot (≤ 1 MiB as base64) and the script.
            let command = try message.decode(RunCommand.self, maxBytes: MessageSizes.largeMessageBytes)
            try check(command)
            let partition = message.partition
            return { .run(command, partition: partition, ack: $0) }
        case LazarusTopics.callResults:
            let reply = try message.decode(CallReply.self)
            guard !reply.jobId.isEmpty else { throw Rejection("call result without a jobId") }
            return { .reply(reply, ack: $0) }
        default:
            throw Rejection("script-executor does not consume \(message.topic)")
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
