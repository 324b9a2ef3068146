import Foundation
import Synchronization

/// Matches librdkafka delivery reports to the senders awaiting them.
///
/// Every produced message carries a numeric id as its `msg_opaque`. The id is reserved
/// *before* `rd_kafka_producev`, because the report (served on the poll thread) can
/// arrive before the sender has suspended; an early report is parked until the sender
/// attaches its continuation.
final class DeliveryReports: Sendable {
    typealias Outcome = Result<KafkaDeliveryReport, KafkaError>

    private enum Slot {
        /// Reserved, message handed to librdkafka, nobody waiting yet.
        case reserved
        /// A sender is suspended on this report.
        case waiting(CheckedContinuation<Outcome, Never>)
        /// The report arrived before the sender attached.
        case arrived(Outcome)
        /// Part of a batch: report to the batch under this index.
        case batch(BatchDelivery, Int)
    }

    private struct State {
        var nextId: UInt64 = 1
        var slots: [UInt64: Slot] = [:]
        var closedError: KafkaError?
    }

    private let state = Mutex(State())

    /// Reserves an id for a message about to be produced.
    func reserve() throws(KafkaError) -> UInt64 {
        try state.withLock { (s: inout State) throws(KafkaError) -> UInt64 in
            if let error = s.closedError { throw error }
            let id = s.nextId
            s.nextId += 1
            s.slots[id] = .reserved
            return id
        }
    }

    /// Reserves an id reporting into `batch` at `index`.
    func reserve(batch: BatchDelivery, index: Int) throws(KafkaError) -> UInt64 {
        try state.withLock { (s: inout State) throws(KafkaError) -> UInt64 in
            if let error = s.closedError { throw error }
            let id = s.nextId
            s.nextId += 1
            s.slots[id] = .batch(batch, index)
            return id
        }
    }

    /// Forgets a reservation whose produce call failed synchronously.
    func cancel(_ id: UInt64) {
        _ = state.withLock { $0.slots.removeValue(forKey: id) }
    }

    /// Suspends until the report for `id` is in.
    func wait(for id: UInt64) async -> Outcome {
        await withCheckedContinuation { continuation in
            let early: Outcome? = state.withLock { s in
                if case .arrived(let outcome) = s.slots[id] {
                    s.slots[id] = nil
                    return outcome
                }
                s.slots[id] = .waiting(continuation)
                return nil
            }
            if let early { continuation.resume(returning: early) }
        }
    }

    /// Records the report for `id` (called on the poll thread from the dr callback).
    func complete(_ id: UInt64, _ outcome: Outcome) {
        let slot: Slot? = state.withLock { s in
            guard let slot = s.slots[id] else { return nil }
            if case .reserved = slot {
                s.slots[id] = .arrived(outcome)
                return nil
            }
            s.slots[id] = nil
            return slot
        }
        switch slot {
        case .waiting(let continuation): continuation.resume(returning: outcome)
        case .batch(let batch, let index): batch.complete(index, outcome)
        default: break
        }
    }

    /// Fails every outstanding report with `error` and refuses new reservations.
    func close(with error: KafkaError) {
        let slots = state.withLock { s in
            s.closedError = error
            let all = s.slots
            s.slots = [:]
            return all
        }
        for (_, slot) in slots {
            switch slot {
            case .waiting(let continuation): continuation.resume(returning: .failure(error))
            case .batch(let batch, let index): batch.complete(index, .failure(error))
            default: break
            }
        }
    }
}

/// The reports of one `sendBatch` call, in input order.
typealias BatchDelivery = Gathering<DeliveryReports.Outcome>
