import Foundation
import LazarusKafka
import LazarusService
import LazarusWire

/// Limits the proxy enforces.
struct ProxyLimits: Sendable {
    /// The largest continuation a snapshot may carry (the checkpoint store's limit too:
    /// base64 in a ≤ 1 MiB Kafka message).
    var maxContinuationBytes = MessageSizes.maxContinuationBytes
    /// Messages on `lazarus.calls` over this size are dead-lettered unread.
    var maxCallMessageBytes = 4 << 20
    /// Messages on `lazarus.object-replies` over this size are dead-lettered unread.
    var maxReplyMessageBytes = 2 << 20
    /// The producer's `message.max.bytes`: a snapshot message larger than this could never
    /// be sent (and would hold up the offsets behind it), so its call is refused instead.
    var maxProducedMessageBytes = 2 << 20
}

/// What the proxy does with one host call: a function of the call and the time (and, for
/// whether a policy snapshot gets its `checkpointed` event, of `announcements`).
struct CallRouter: Sendable {
    var limits = ProxyLimits()
    var announcements = CheckpointAnnouncements(intervalMillis: CheckpointAnnouncements.defaultIntervalMillis)

    /// The outcome for a decoded call.
    enum Decision {
        /// Send these stages (each acknowledged before the next is sent).
        case route([[KafkaRecord]])
        /// Refuse: dead-letter with `reason`, and answer the executor with `reply`.
        case refuse(reason: String, reply: CallReply?)
    }

    func decide(_ call: HostCallRequest, nowMillis: Int64) throws -> Decision {
        if let refusal = check(call) { return refusal }
        let operation = HostOperation(rawValue: call.op)!  // checked

        // Save-state point? The decision is the executor's too (it attaches the continuation
        // when the same function says so), except that for `everyMillis` the two clocks may
        // disagree by a little: then the executor's choice (a continuation or not) wins.
        let millis = call.lastSnapshotAt.map { max(0, nowMillis - $0) } ?? 0
        var reason = call.policy.saveStateReason(op: call.op, seq: call.seq, millisSinceLastSnapshot: millis)
        if case .everyMillis = call.policy, !operation.isSaveStatePoint {
            reason = call.continuation == nil ? nil : "everyMillis"
        }

        var snapshot: KafkaRecord?
        var checkpointed: KafkaRecord?
        var label: String?
        if let reason {
            guard let continuation = call.continuation else {
                return refuse(call, code: "missing-continuation",
                              "\(call.op) at seq \(call.seq) is a save-state point (\(reason), policy \(call.policy)) but the call carries no continuation")
            }
            guard continuation.count <= limits.maxContinuationBytes else {
                return refuse(call, code: "too-large",
                              "the script's state at \(call.op) (seq \(call.seq)) takes \(continuation.count) bytes; the limit is \(limits.maxContinuationBytes): keep less data in variables, or store it in records")
            }
            if operation == .checkpoint, case .string(let text)? = call.args.first { label = text }
            let wakeAt = operation == .sleep ? nowMillis + Self.sleepMillis(call.args) : nil
            let record = try KafkaRecord(topic: LazarusTopics.snapshots, message: SnapshotEvent(
                jobId: call.jobId, tenant: call.tenant, epoch: call.epoch, seq: call.seq,
                reason: reason, label: label, wakeAt: wakeAt, continuation: continuation))
            guard record.value.count + (record.key?.count ?? 0) + 256 <= limits.maxProducedMessageBytes else {
                return refuse(call, code: "too-large",
                              "the snapshot at \(call.op) (seq \(call.seq)) would be a \(record.value.count)-byte message; the producer's limit (message.max.bytes) is \(limits.maxProducedMessageBytes)")
            }
            snapshot = record
            if operation.isSaveStatePoint || announcements.shouldAnnounce(jobId: call.jobId, epoch: call.epoch, nowMillis: nowMillis) {
                var detail = reason
                if let label { detail += " \(label)" }
                if let wakeAt { detail += " wakeAt=\(wakeAt)" }
                checkpointed = try KafkaRecord(topic: LazarusTopics.jobEvents, message: JobEvent(
                    jobId: call.jobId, tenant: call.tenant, epoch: call.epoch, type: .checkpointed,
                    time: nowMillis, seq: call.seq, detail: detail))
            }
        }

        var then: [KafkaRecord] = []
        switch operation {
        case .checkpoint:
            let result = JSONValue.object([("status", .string("saved")), ("label", label.map(JSONValue.string) ?? .null)])
            then.append(try KafkaRecord(topic: LazarusTopics.callResults, message: CallReply(
                jobId: call.jobId, epoch: call.epoch, seq: call.seq, outcome: .value(result))))
        case .yieldScript, .sleep:
            break  // the checkpoint service continues the job from the snapshot
        default:
            then.append(try KafkaRecord(topic: LazarusTopics.objectRequests, message: ObjectRequest(
                jobId: call.jobId, tenant: call.tenant, epoch: call.epoch, seq: call.seq, op: call.op, args: call.args)))
        }
        if let checkpointed { then.append(checkpointed) }
        if let snapshot { return .route([[snapshot], then]) }
        return .route([then])
    }

    // MARK: - Checks

    /// A refusal for a call the proxy will not route, or `nil`. The object service checks
    /// arguments deeply; here only what is cheap and certain: identity, operation, counts.
    func check(_ call: HostCallRequest) -> Decision? {
        if call.jobId.isEmpty { return .refuse(reason: "invalid HostCallRequest: jobId is empty", reply: nil) }
        if call.tenant.isEmpty { return refuse(call, code: "invalid-argument", "the call has no tenant") }
        if call.epoch < 1 { return refuse(call, code: "invalid-argument", "epoch \(call.epoch) is not positive") }
        if call.seq < 1 { return refuse(call, code: "invalid-argument", "seq \(call.seq) is not positive") }
        guard let operation = HostOperation(rawValue: call.op) else {
            let known = HostOperation.allCases.map(\.rawValue).joined(separator: ", ")
            return refuse(call, code: "unknown-operation", "'\(call.op)' is not a host operation; known: \(known)")
        }
        if let problem = Self.argumentProblem(operation, call.args) {
            return refuse(call, code: "invalid-argument", "\(call.op)\(problem)")
        }
        return nil
    }

    static func argumentProblem(_ operation: HostOperation, _ args: [JSONValue]) -> String? {
        let counts: ClosedRange<Int>
        let usage: String
        switch operation {
        case .create: (counts, usage) = (2...2, "(type, fields)")
        case .load: (counts, usage) = (2...2, "(type, id)")
        case .update: (counts, usage) = (3...4, "(type, id, fields, expectedVersion?)")
        case .remove: (counts, usage) = (2...2, "(type, id)")
        case .query: (counts, usage) = (2...3, "(type, filter, limit?)")
        case .checkpoint: (counts, usage) = (0...1, "(label?)")
        case .yieldScript, .now, .random: (counts, usage) = (0...0, "()")
        case .sleep: (counts, usage) = (0...1, "(ms)")
        case .log: return nil
        }
        guard counts.contains(args.count) else {
            return " takes \(usage), got \(args.count) argument\(args.count == 1 ? "" : "s")"
        }
        if operation.rawValue.hasPrefix("records."), args[0].stringValue == nil {
            return ": the type must be a string"
        }
        if operation == .sleep, let ms = args.first, ms != .null {
            guard let value = ms.numberValue, value.isFinite, value >= 0 else {
                return ": ms must be a finite number ≥ 0"
            }
        }
        return nil
    }

    /// `sleep(ms)`'s duration; missing or null means 0.
    static func sleepMillis(_ args: [JSONValue]) -> Int64 {
        guard let value = args.first?.numberValue, value.isFinite, value > 0 else { return 0 }
        return value >= Double(Int64.max / 2) ? Int64.max / 2 : Int64(value.rounded(.up))
    }

    private func refuse(_ call: HostCallRequest, code: String, _ message: String) -> Decision {
        .refuse(reason: "\(code): job \(call.jobId) seq \(call.seq): \(message)",
                reply: CallReply(jobId: call.jobId, epoch: call.epoch, seq: call.seq,
                                 outcome: .error(CallError(code: code, message: message))))
    }
}
