import Foundation
import LazarusKafka
import LazarusService
import LazarusWire
import Logging

/// Handles both input topics of the proxy: calls (checked, snapshotted, routed) and object
/// replies (forwarded unchanged to the executors).
struct ProxyProcessor: BatchMessageProcessor {
    let router: CallRouter
    let deadLetters: DeadLetterWriter
    let logger: Logger

    func process(batch messages: [KafkaMessage]) async throws -> [MessageOutput] {
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        return try messages.map { message in
            message.topic == LazarusTopics.objectReplies ? try forward(message) : try route(message, nowMillis: now)
        }
    }

    // MARK: - lazarus.calls

    private func route(_ message: KafkaMessage, nowMillis: Int64) throws -> MessageOutput {
        let call: HostCallRequest
        do {
            call = try message.decode(HostCallRequest.self, maxBytes: router.limits.maxCallMessageBytes)
        } catch {
            return .rejected(error, alsoSend: answerToUndecodable(message, reason: error.reason))
        }
        switch try router.decide(call, nowMillis: nowMillis) {
        case .route(let stages):
            if logger.logLevel <= .debug {
                logger.debug("call", metadata: [
                    "job.id": "\(call.jobId)", "job.epoch": "\(call.epoch)", "call.seq": "\(call.seq)", "call.op": "\(call.op)",
                    "snapshot": "\(stages.count > 1)",
                ])
            }
            return .stages(stages)
        case .refuse(let reason, let reply):
            return .rejected(Rejection(reason), alsoSend: try reply.map { [try KafkaRecord(topic: LazarusTopics.callResults, message: $0)] } ?? [])
        }
    }

    /// A call that does not decode may still name itself (`jobId`, `epoch`, `seq`): then the
    /// script waiting in it gets an `invalid-argument` error instead of waiting forever.
    private func answerToUndecodable(_ message: KafkaMessage, reason: String) -> [KafkaRecord] {
        guard message.value.count <= router.limits.maxCallMessageBytes,
              let identity = try? WireCodec.decode(CallIdentity.self, from: message.value),
              !identity.jobId.isEmpty, identity.epoch >= 1, identity.seq >= 1,
              let reply = try? KafkaRecord(topic: LazarusTopics.callResults, message: CallReply(
                jobId: identity.jobId, epoch: identity.epoch, seq: identity.seq,
                outcome: .error(CallError(code: "invalid-argument", message: "the call could not be read: \(reason)"))))
        else { return [] }
        return [reply]
    }

    // MARK: - lazarus.object-replies

    private func forward(_ message: KafkaMessage) throws -> MessageOutput {
        let reply: CallReply
        do {
            reply = try message.decode(CallReply.self, maxBytes: router.limits.maxReplyMessageBytes)
        } catch {
            return .rejected(error)
        }
        guard !reply.jobId.isEmpty else { return .rejected(Rejection("invalid CallReply: jobId is empty")) }
        // Unchanged: the object service's bytes, keyed by job id (the executor's partition).
        return .records([KafkaRecord(topic: LazarusTopics.callResults, key: Array(reply.jobId.utf8), value: message.value)])
    }
}

/// The identifying fields of a host call, readable even when the rest is not.
private struct CallIdentity: WireMessage {
    var jobId: String
    var epoch: Int
    var seq: Int
}
