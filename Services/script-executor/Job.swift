import Foundation
import LazarusEngine
import LazarusKafka
import LazarusWire

/// How the handling of one consumed message ends, as far as its offset is concerned.
enum MessageOutcome: Sendable {
    /// Produce these records through the pipeline; the offset is stored once they are acknowledged.
    case produce([KafkaRecord])
    /// Nothing (more) to produce: any output was already sent and acknowledged.
    case done
    /// The executor is stopping: leave the offset alone (the message is seen again).
    case abandoned
}

/// Resolves the `process` call waiting for a message's outcome. Called exactly once.
struct MessageAck: Sendable {
    let resolve: @Sendable (MessageOutcome) -> Void
}

/// One running job: its VM and where it is. Lives on the runner thread only.
final class Job {
    enum State {
        /// Ready to run its next quantum.
        case runnable
        /// Waiting for the result of `request` (sent as `record`).
        case awaiting(request: HostCallRequest, record: KafkaRecord)
    }

    let jobId: String
    let tenant: String
    let epoch: Int
    let policy: SaveStatePolicy
    /// The partition of `lazarus.runs` (and `lazarus.call-results`) the job's messages use.
    let partition: Int32
    let limits: TenantLimits
    let vm: VM
    var state: State = .runnable
    /// Instructions run since the job was (re)started or its last call was answered.
    var instructionsSinceSuspension = 0
    /// Wall-clock ms of the job's last snapshot (or of its start in this executor).
    var lastSnapshotAt: Int64
    /// The message whose output this job is producing (run command or call result), if any.
    var pendingAck: MessageAck?
    /// Records produced since the last flush, in order.
    var outbox: [KafkaRecord] = []
    /// In the run queue.
    var queued = false
    /// When the awaited call is sent again (timeout, or retry after a retriable error).
    var resendAt: Int64 = .max
    /// Sends of the awaited call so far.
    var attempts = 0

    init(command: RunCommand, partition: Int32, limits: TenantLimits, vm: VM, now: Int64) {
        jobId = command.jobId
        tenant = command.tenant
        epoch = command.epoch
        policy = command.policy
        self.partition = partition
        self.limits = limits
        self.vm = vm
        lastSnapshotAt = now
    }

    var awaitedSeq: Int? {
        if case .awaiting(let request, _) = state { return request.seq }
        return nil
    }
}

/// The newest epoch seen per job, so stale or repeated run commands are ignored even after
/// the job finished here. Bounded: the oldest entries are forgotten first.
struct EpochMemory {
    private var epochs: [String: Int] = [:]
    private var order: [String] = []
    private var head = 0
    let capacity: Int

    init(capacity: Int = 100_000) { self.capacity = capacity }

    subscript(jobId: String) -> Int? { epochs[jobId] }

    mutating func record(_ jobId: String, epoch: Int) {
        if epochs.updateValue(epoch, forKey: jobId) == nil { order.append(jobId) }
        while epochs.count > capacity, head < order.count {
            epochs[order[head]] = nil
            head += 1
        }
        if head > capacity {
            order.removeFirst(head)
            head = 0
        }
    }
}

/// A run command waiting for a slot (`--max-jobs`, or the tenant's `maxConcurrentJobs`).
struct QueuedRun {
    let command: RunCommand
    let partition: Int32
}

/// Wall-clock milliseconds since the Unix epoch (event times, snapshot times).
func wallClockMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
