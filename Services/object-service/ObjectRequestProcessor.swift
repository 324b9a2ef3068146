import Foundation
import LazarusKafka
import LazarusObjectStore
import LazarusService
import LazarusWire
import Logging

/// Turns the messages of `lazarus.object-requests` into replies on `lazarus.object-replies`:
/// the waiting requests of a batch are executed in one store transaction (group commit),
/// each with the semantics of a call alone (fencing, journal, operation, journal row).
struct ObjectRequestProcessor: BatchMessageProcessor {
    let store: StoreQueue
    let logger: Logger
    /// Requests over this size are dead-lettered unread.
    var maxRequestBytes = 1 << 20
    /// Replies over this size could never be produced (librdkafka's default
    /// `message.max.bytes` is 1,000,000): they are replaced by a `too-large` error.
    var maxReplyBytes = 900_000

    func process(batch messages: [KafkaMessage]) async throws -> [MessageOutput] {
        var outputs = [MessageOutput?](repeating: nil, count: messages.count)
        var accepted: [(index: Int, request: ObjectRequest)] = []
        for (index, message) in messages.enumerated() {
            switch read(message) {
            case .request(let request): accepted.append((index, request))
            case .refused(let output): outputs[index] = output
            }
        }

        if !accepted.isEmpty {
            let results: [ObjectStore.ExecutionResult]
            do {
                results = try await store.executeBatch(accepted.map(\.request))
            } catch where error.retriable {
                throw error  // busy, locked, I/O hiccup: the pipeline retries the batch
            } catch {
                throw FatalProcessingError("the object store failed and cannot go on: \(error)")
            }
            for ((index, request), result) in zip(accepted, results) {
                let reply = CallReply(jobId: request.jobId, epoch: request.epoch, seq: request.seq,
                                      outcome: result.outcome, replayed: result.replayed)
                if logger.logLevel <= .debug { log(request, result) }
                var records: [KafkaRecord] = []
                // A script's log(...) becomes a `log` job event when it is executed, so a
                // call answered from the journal (a replay after recovery) is not logged twice.
                if request.op == HostOperation.log.rawValue, !result.replayed {
                    records.append(try Self.logEvent(request))
                }
                records.append(try replyRecord(reply, op: request.op))
                outputs[index] = .records(records)
            }
        }
        return outputs.map { $0! }
    }

    /// The reply as a record; a result too big for one Kafka message becomes a `too-large`
    /// error. That is a pure function of the journaled outcome, so a replay gets the same.
    private func replyRecord(_ reply: CallReply, op: String) throws -> KafkaRecord {
        let record = try KafkaRecord(topic: LazarusTopics.objectReplies, message: reply)
        guard record.value.count > maxReplyBytes else { return record }
        var refused = reply
        refused.outcome = .error(CallError(
            code: "too-large",
            message: "the result of \(op) takes \(record.value.count) bytes as a reply; the limit is \(maxReplyBytes): ask for fewer records (a smaller query limit)"))
        return try KafkaRecord(topic: LazarusTopics.objectReplies, message: refused)
    }

    /// The most of a logged line a `log` event carries.
    static let maxLogLineBytes = 16 * 1024

    /// The `log` job event of an executed `log` call: its values space-separated, strings
    /// as they are, anything else as JSON (`console.log` sends one string already formatted).
    static func logEvent(_ request: ObjectRequest) throws -> KafkaRecord {
        var line = request.args.map { value -> String in
            if case .string(let text) = value { return text }
            return String(decoding: JSONWriter.write(value), as: UTF8.self)
        }.joined(separator: " ")
        if line.utf8.count > maxLogLineBytes {
            let total = line.utf8.count
            line = String(decoding: line.utf8.prefix(maxLogLineBytes), as: UTF8.self) + "… [\(total) bytes]"
        }
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        return try KafkaRecord(topic: LazarusTopics.jobEvents, message: JobEvent(
            jobId: request.jobId, tenant: request.tenant, epoch: request.epoch, type: .log, time: now,
            seq: request.seq, detail: line))
    }

    /// The request in `message`, or what to do instead (a dead letter, perhaps with an
    /// error reply when the message names the call it answers).
    private enum Reading {
        case request(ObjectRequest)
        case refused(MessageOutput)
    }

    private func read(_ message: KafkaMessage) -> Reading {
        let request: ObjectRequest
        do {
            request = try message.decode(ObjectRequest.self, maxBytes: maxRequestBytes)
        } catch {
            return .refused(.rejected(error))
        }
        guard let problem = Self.problem(with: request) else { return .request(request) }
        let rejection = Rejection("invalid ObjectRequest: \(problem)")
        guard !request.jobId.isEmpty,
              let reply = try? KafkaRecord(topic: LazarusTopics.objectReplies, message: CallReply(
                jobId: request.jobId, epoch: request.epoch, seq: request.seq,
                outcome: .error(CallError(code: "invalid-argument", message: "object-service refused the call: \(problem)"))))
        else { return .refused(.rejected(rejection)) }
        return .refused(.rejected(rejection, alsoSend: [reply]))
    }

    /// What makes a well-formed request unusable (the store validates the arguments).
    static func problem(with request: ObjectRequest) -> String? {
        if request.jobId.isEmpty { return "jobId is empty" }
        if request.tenant.isEmpty { return "tenant is empty" }
        if request.epoch < 1 { return "epoch \(request.epoch) is not positive" }
        if request.seq < 1 { return "seq \(request.seq) is not positive" }
        if request.op.isEmpty { return "op is empty" }
        return nil
    }

    private func log(_ request: ObjectRequest, _ result: ObjectStore.ExecutionResult) {
        var metadata: Logger.Metadata = [
            "job.id": "\(request.jobId)", "job.epoch": "\(request.epoch)", "call.seq": "\(request.seq)",
            "call.op": "\(request.op)", "tenant": "\(request.tenant)", "call.replayed": "\(result.replayed)",
        ]
        if case .error(let error) = result.outcome { metadata["call.error"] = "\(error.code)" }
        logger.debug("call", metadata: metadata)
    }
}
