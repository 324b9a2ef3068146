import Foundation
import LazarusEngine
import LazarusKafka
import LazarusService
import LazarusSyntax
import LazarusWire
import Logging

/// Owns every VM of the process and runs them on one dedicated thread, never on the
/// cooperative pool: a fair round-robin over runnable jobs, one quantum
/// (`--slice-instructions`) each, checking for new events between quanta.
///
/// Events (run commands, call results, revocations) arrive through `submit`. Each message
/// event carries a `MessageAck` the runner resolves once the job has reached its next
/// suspension (its records go back to the pipeline, which produces them and then stores the
/// offset) or, if it is still running after one quantum, once what it produced so far was
/// sent and acknowledged here (later output goes through the `OrderedSender`).
final class JobRunner: @unchecked Sendable {
    // @unchecked: `inbox` and `stopped` are guarded by `condition`; everything else
    // (jobs, VMs, queues, caches) is touched only by the runner thread.

    struct Configuration: Sendable {
        var instanceId: String
        var maxJobs: Int = 64
        var quantum: Int = 100_000
        var governance = Governance()
        var callTimeoutMs: Int64 = 30_000
        /// The largest continuation a call may carry (the snapshot limit of the proxy and
        /// the checkpoint store): a larger state fails the job with `snapshot-too-large`.
        var maxContinuationBytes = MessageSizes.maxContinuationBytes
        /// The largest call message not counting its continuation, and the largest job
        /// event: keeps object requests, their journaled replies and job events within what
        /// the object service and the checkpoint service read (and librdkafka's default
        /// `message.max.bytes`, 1,000,000, for every other client of those topics).
        var maxMessageBytes = 1_000_000
    }

    enum Event: Sendable {
        case run(RunCommand, partition: Int32, ack: MessageAck)
        case reply(CallReply, ack: MessageAck)
        /// Partitions (numbers, both topics) no longer this member's: drop their jobs.
        case revoke(Set<Int32>)
    }

    private let configuration: Configuration
    private let codec: any ContinuationCodec
    private let sender: OrderedSender
    private let logger: Logger

    private let condition = NSCondition()
    private var inbox: [Event] = []
    private var stopped = false
    private var finished = false

    // Runner-thread state.
    private var jobs: [String: Job] = [:]
    private var runQueue: [Job] = []
    private var waiting: [QueuedRun] = []
    private var activePerTenant: [String: Int] = [:]
    private var epochs = EpochMemory()
    private var programs = ProgramCache()
    private var nextTimeoutCheck: Int64 = 0

    init(configuration: Configuration, codec: any ContinuationCodec, sender: OrderedSender, logger: Logger) {
        self.configuration = configuration
        self.codec = codec
        self.sender = sender
        self.logger = logger
    }

    /// Starts the runner thread.
    func start() {
        let thread = Thread { [self] in loop() }
        thread.name = "script-runner"
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// Hands an event to the runner thread. After `stop`, message events are answered `.abandoned`.
    func submit(_ event: Event) { submit([event]) }

    /// Hands several events to the runner thread at once (one wake-up), in order.
    func submit(_ events: [Event]) {
        condition.lock()
        if stopped {
            condition.unlock()
            for event in events {
                switch event {
                case .run(_, _, let ack), .reply(_, let ack): ack.resolve(.abandoned)
                case .revoke: break
                }
            }
            return
        }
        inbox.append(contentsOf: events)
        condition.signal()
        condition.unlock()
    }

    /// Drops every VM (their messages stay unprocessed) and ends the thread; returns when it has.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    // MARK: - The loop

    private func loop() {
        while true {
            condition.lock()
            if inbox.isEmpty && runQueue.isEmpty && !stopped {
                _ = condition.wait(until: Date(timeIntervalSinceNow: 0.25))
            }
            let events = inbox
            inbox.removeAll()
            let stopping = stopped
            condition.unlock()

            if stopping {
                for event in events {
                    if case .run(_, _, let ack) = event { ack.resolve(.abandoned) }
                    if case .reply(_, let ack) = event { ack.resolve(.abandoned) }
                }
                dropAll()
                condition.lock()
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            for event in events { apply(event) }
            checkTimeouts()
            if let job = nextRunnable() { runQuantum(job) }
        }
    }

    private func apply(_ event: Event) {
        switch event {
        case .run(let command, let partition, let ack): handleRun(command, partition: partition, ack: ack)
        case .reply(let reply, let ack): handleReply(reply, ack: ack)
        case .revoke(let partitions): handleRevoke(partitions)
        }
    }

    private func nextRunnable() -> Job? {
        while !runQueue.isEmpty {
            let job = runQueue.removeFirst()
            job.queued = false
            if jobs[job.jobId] === job, case .runnable = job.state { return job }
        }
        return nil
    }

    private func makeRunnable(_ job: Job) {
        job.state = .runnable
        job.resendAt = .max
        if !job.queued {
            job.queued = true
            runQueue.append(job)
        }
    }

    // MARK: - Run commands

    private func handleRun(_ command: RunCommand, partition: Int32, ack: MessageAck) {
        var meta = metadata(command.jobId, epoch: command.epoch)
        if let known = epochs[command.jobId], known >= command.epoch {
            meta["job.known_epoch"] = "\(known)"
            logger.debug("run command ignored: epoch not newer than the one seen", metadata: meta)
            ack.resolve(.done)
            return
        }
        epochs.record(command.jobId, epoch: command.epoch)
        waiting.removeAll { $0.command.jobId == command.jobId }
        if let old = jobs[command.jobId] {
            logger.info("job superseded by a newer epoch", metadata: meta)
            drop(old, outcome: .done)
        }
        if command.isCancellation {
            logger.info("job cancelled: nothing more runs here", metadata: meta)
            ack.resolve(.done)
            return
        }

        let limits = configuration.governance.limits(for: command.tenant)
        guard canStart(tenant: command.tenant, limits: limits) else {
            waiting.append(QueuedRun(command: command, partition: partition))
            meta["jobs.waiting"] = "\(waiting.count)"
            logger.info("job queued: no free slot", metadata: meta)
            ack.resolve(.done)
            return
        }
        start(command, partition: partition, limits: limits, ack: ack)
    }

    private func canStart(tenant: String, limits: TenantLimits) -> Bool {
        jobs.count < configuration.maxJobs && activePerTenant[tenant, default: 0] < limits.maxConcurrentJobs
    }

    /// Compiles, creates or restores the VM, emits `started`/`resumed`, and queues the job.
    private func start(_ command: RunCommand, partition: Int32, limits: TenantLimits, ack: MessageAck?) {
        let now = wallClockMs()
        var meta = metadata(command.jobId, epoch: command.epoch)
        meta["job.tenant"] = "\(command.tenant)"

        let program: CompiledProgram
        switch programs.program(for: command.program) {
        case .success(let compiled):
            program = compiled
        case .failure(let error):
            let failure = JobFailure(name: "SyntaxError", message: "\(error.message) at \(error.location.line):\(error.location.column)",
                                     stack: "    at <script> (\(error.location.line):\(error.location.column))")
            logger.info("job failed: syntax error", metadata: meta.merging(["error": "\(failure.message)"]) { $1 })
            let record = eventRecord(jobId: command.jobId, tenant: command.tenant, epoch: command.epoch, .failed, error: failure)
            resolveOrSend(ack, [record].compactMap { $0 })
            return
        }

        let vm: VM
        let restored = command.snapshot != nil
        do {
            if let snapshot = command.snapshot {
                vm = try codec.decode(snapshot, program: program, limits: limits.engineLimits, consoleMode: .hostCall)
            } else {
                vm = try VM(limits: limits.engineLimits, consoleMode: .hostCall)
                vm.load(program, mainArguments: HostValue(command.args))
            }
        } catch {
            let failure = restored
                ? JobFailure(name: "snapshot-invalid", message: "cannot resume from the snapshot of seq \(command.snapshotSeq.map(String.init) ?? "?"): \(error)")
                : JobFailure(name: "internal", message: "cannot create the script's VM: \(error)")
            logger.warning("job failed: cannot create its VM", metadata: meta.merging(["error": "\(failure.message)"]) { $1 })
            let record = eventRecord(jobId: command.jobId, tenant: command.tenant, epoch: command.epoch, .failed, error: failure)
            resolveOrSend(ack, [record].compactMap { $0 })
            return
        }

        let job = Job(command: command, partition: partition, limits: limits, vm: vm, now: now)
        jobs[job.jobId] = job
        activePerTenant[job.tenant, default: 0] += 1
        job.pendingAck = ack

        if restored || command.epoch > 1 {
            meta["job.snapshot_seq"] = "\(command.snapshotSeq.map(String.init) ?? "none")"
            meta["job.reason"] = "\(command.reason)"
            logger.info(restored ? "job resumed from snapshot" : "job restarted from the beginning (no snapshot)", metadata: meta)
            emit(job, .resumed, seq: command.snapshotSeq,
                 detail: restored ? "\(command.reason): from snapshot seq \(command.snapshotSeq.map(String.init) ?? "?")"
                                  : "\(command.reason): no snapshot, starting over")
        } else {
            logger.info("job started", metadata: meta)
            emit(job, .started)
        }

        // A restored VM is suspended in the call its snapshot was taken at.
        if vm.status == .awaitingHost, let pending = vm.pendingHostCall {
            switch pending.name {
            case HostOperation.checkpoint.rawValue:
                var result: [(String, HostValue)] = [("status", .string("resumed"))]
                if let label = pending.arguments.first, case .string = label { result.append(("label", label)) }
                vm.resume(.value(.object(result)))
            case HostOperation.yieldScript.rawValue, HostOperation.sleep.rawValue:
                vm.resume(.value(.null))
            default:
                handleHostCall(job, pending)
                return
            }
        }
        makeRunnable(job)
    }

    // MARK: - Running

    private func runQuantum(_ job: Job) {
        let left = job.limits.instructionsPerSlice - job.instructionsSinceSuspension
        let before = job.vm.instructionCount
        let result = job.vm.run(budget: max(1, min(configuration.quantum, left)))
        job.instructionsSinceSuspension += Int(job.vm.instructionCount &- before)

        switch result {
        case .completed(let value):
            logger.info("job completed", metadata: metadata(job))
            emit(job, .completed, seq: job.vm.hostCallSeq, result: JSONValue(value))
            finish(job)
        case .failed(let error):
            var meta = metadata(job)
            meta["error"] = "\(error.name): \(error.message)"
            logger.info("job failed", metadata: meta)
            emit(job, .failed, seq: job.vm.hostCallSeq, error: error.jobFailure)
            finish(job)
        case .hostCall(let call):
            job.instructionsSinceSuspension = 0
            handleHostCall(job, call)
        case .budgetExhausted:
            if job.instructionsSinceSuspension >= job.limits.instructionsPerSlice {
                budgetUsedUp(job)
            } else {
                makeRunnable(job)
                flushPartial(job)
            }
        }
    }

    /// The tenant's instruction budget for one run slice is used up.
    private func budgetUsedUp(_ job: Job) {
        let budget = job.limits.instructionsPerSlice
        guard job.policy != .explicit else {
            fail(job, JobFailure(name: "governance-exceeded",
                                 message: "the script ran \(budget) instructions without a host call (the tenant's budget per slice) and policy explicit does not allow yielding; add yieldScript() calls or use another policy"))
            return
        }
        // A synthetic yieldScript(): takes a sequence number like a script's own call, so a
        // VM restored from this snapshot numbers its next call after it.
        job.vm.hostCallSeq += 1
        let seq = job.vm.hostCallSeq
        guard seq <= job.limits.maxCallsPerJob else {
            fail(job, callLimitFailure(job))
            return
        }
        guard let (request, record) = makeRequest(job, seq: seq, op: HostOperation.yieldScript.rawValue, args: [], saveState: true) else { return }
        logger.info("job yields: instruction budget per slice used up", metadata: metadata(job, seq: seq))
        logger.debug("call", metadata: metadata(job, seq: seq, op: request.op))
        job.outbox.append(record)
        emit(job, .yielded, seq: seq, detail: "instruction budget of \(budget) per slice used up")
        release(job)
    }

    private func handleHostCall(_ job: Job, _ call: PendingHostCall) {
        let seq = call.seq + 1  // the engine counts from 0, the wire from 1
        guard seq <= job.limits.maxCallsPerJob else {
            fail(job, callLimitFailure(job))
            return
        }
        let now = wallClockMs()
        let saveState = job.policy.saveStateReason(op: call.name, seq: seq, millisSinceLastSnapshot: now - job.lastSnapshotAt) != nil
        guard let (request, record) = makeRequest(job, seq: seq, op: call.name, args: call.arguments.map(JSONValue.init), saveState: saveState) else { return }
        var callMeta = metadata(job, seq: seq, op: call.name)
        if let continuation = request.continuation { callMeta["call.continuation_bytes"] = "\(continuation.count)" }
        logger.debug("call", metadata: callMeta)
        job.outbox.append(record)

        switch call.name {
        case HostOperation.yieldScript.rawValue:
            emit(job, .yielded, seq: seq, detail: "yieldScript()")
            logger.info("job yielded", metadata: metadata(job, seq: seq))
            release(job)
        case HostOperation.sleep.rawValue:
            let ms = call.arguments.first?.numberValue.map { "\(Int64($0))" } ?? "?"
            emit(job, .sleeping, seq: seq, detail: "sleep(\(ms))")
            logger.info("job sleeping", metadata: metadata(job, seq: seq))
            release(job)
        default:
            job.state = .awaiting(request: request, record: record)
            job.attempts = 1
            job.resendAt = now + configuration.callTimeoutMs
            flush(job)
        }
    }

    /// The request for call `seq`, with the continuation when `saveState`. Fails the job (and
    /// returns nil) when the state cannot be saved; an oversize request throws a
    /// `RangeError` at the call site instead (and returns nil).
    private func makeRequest(_ job: Job, seq: Int, op: String, args: [JSONValue], saveState: Bool) -> (HostCallRequest, KafkaRecord)? {
        let now = wallClockMs()
        var request = HostCallRequest(jobId: job.jobId, tenant: job.tenant, epoch: job.epoch, seq: seq, op: op, args: args,
                                      policy: job.policy, continuation: nil, lastSnapshotAt: job.lastSnapshotAt)
        if saveState {
            do {
                request.continuation = try codec.encode(job.vm)
            } catch {
                fail(job, JobFailure(name: "snapshot-failed", message: "cannot save the script's state at call \(seq) (\(op)): \(error)"))
                return nil
            }
        }
        // Refused here rather than by the proxy: a refusal reply would find no VM after a
        // yield or sleep, and the job would wait forever.
        let continuationBytes = request.continuation?.count ?? 0
        guard continuationBytes <= configuration.maxContinuationBytes else {
            fail(job, JobFailure(name: "snapshot-too-large",
                                 message: "the script's state at call \(seq) (\(op)) is \(continuationBytes) bytes; the limit is \(configuration.maxContinuationBytes) bytes: keep less data in variables, or store it in records"))
            return nil
        }
        let record: KafkaRecord
        do {
            record = try KafkaRecord(topic: LazarusTopics.calls, message: request)
        } catch {
            fail(job, JobFailure(name: "internal", message: "cannot encode call \(seq) (\(op)): \(error)"))
            return nil
        }
        let callBytes = record.value.count - (continuationBytes + 2) / 3 * 4  // without the base64 continuation
        if callBytes > configuration.maxMessageBytes {
            // The arguments themselves are too large: the script sees an error at the call site.
            job.vm.resume(.error(name: "RangeError", message: "arguments of \(op) are too large: \(callBytes) bytes, the limit is \(configuration.maxMessageBytes)"))
            makeRunnable(job)
            return nil
        }
        if saveState { job.lastSnapshotAt = now }
        return (request, record)
    }

    private func callLimitFailure(_ job: Job) -> JobFailure {
        JobFailure(name: "governance-exceeded", message: "the job made more than \(job.limits.maxCallsPerJob) host calls, the tenant's limit per job")
    }

    // MARK: - Call results

    private func handleReply(_ reply: CallReply, ack: MessageAck) {
        var meta = metadata(reply.jobId, epoch: reply.epoch)
        meta["call.seq"] = "\(reply.seq)"
        guard let job = jobs[reply.jobId] else {
            logger.debug("call result ignored: no such job here", metadata: meta)
            ack.resolve(.done)
            return
        }
        guard reply.epoch == job.epoch else {
            meta["job.running_epoch"] = "\(job.epoch)"
            logger.debug("call result ignored: stale epoch", metadata: meta)
            ack.resolve(.done)
            return
        }
        guard let awaited = job.awaitedSeq, awaited == reply.seq else {
            meta["call.awaited_seq"] = "\(job.awaitedSeq.map(String.init) ?? "none")"
            logger.debug("call result ignored: not the awaited call", metadata: meta)
            ack.resolve(.done)
            return
        }
        switch reply.outcome {
        case .value(let value):
            logger.debug("call result", metadata: meta)
            job.vm.resume(.value(HostValue(value)))
        case .error(let error) where error.code == "fenced":
            // A newer epoch of this job runs elsewhere: this VM is a zombie.
            logger.info("job fenced: a newer epoch runs elsewhere; dropping it", metadata: meta)
            drop(job, outcome: .done)
            ack.resolve(.done)
            return
        case .error(let error) where error.retriable && job.attempts < 5:
            meta["error"] = "\(error.code): \(error.message)"
            logger.info("call failed with a retriable error; sending it again", metadata: meta)
            job.resendAt = wallClockMs() + 500 * Int64(1 << job.attempts)
            ack.resolve(.done)
            return
        case .error(let error):
            meta["error"] = "\(error.code): \(error.message)"
            logger.debug("call result: error", metadata: meta)
            job.vm.resume(.error(name: error.scriptErrorName, message: error.message))
        }
        job.instructionsSinceSuspension = 0
        job.pendingAck = ack
        makeRunnable(job)
    }

    private func checkTimeouts() {
        let now = wallClockMs()
        guard now >= nextTimeoutCheck else { return }
        nextTimeoutCheck = now + 200
        for job in jobs.values where job.resendAt <= now {
            guard case .awaiting(let request, let record) = job.state else { continue }
            job.attempts += 1
            job.resendAt = now + configuration.callTimeoutMs
            var meta = metadata(job, seq: request.seq, op: request.op)
            meta["call.attempt"] = "\(job.attempts)"
            logger.info("no result for a call in time; sending it again", metadata: meta)
            sender.send([record])
        }
    }

    // MARK: - Revocation

    private func handleRevoke(_ partitions: Set<Int32>) {
        let revoked = jobs.values.filter { partitions.contains($0.partition) }
        for job in revoked { drop(job, outcome: .done) }
        let before = waiting.count
        waiting.removeAll { partitions.contains($0.partition) }
        if !revoked.isEmpty || before != waiting.count {
            logger.info("dropped the jobs of revoked partitions", metadata: [
                "jobs.dropped": "\(revoked.count)", "jobs.unqueued": "\(before - waiting.count)",
                "kafka.partitions": "\(partitions.sorted())",
            ])
        }
    }

    // MARK: - Ending a job here

    private func fail(_ job: Job, _ failure: JobFailure) {
        var meta = metadata(job)
        meta["error"] = "\(failure.name): \(failure.message)"
        logger.info("job failed", metadata: meta)
        emit(job, .failed, error: failure)
        finish(job)
    }

    /// The job ended (completed or failed): send its output, free its slot.
    private func finish(_ job: Job) { release(job) }

    /// The job leaves this executor after its output (terminal event, or yield/sleep call).
    private func release(_ job: Job) {
        flush(job)
        remove(job)
    }

    /// The job leaves without output (revoked, superseded, fenced, stopping).
    private func drop(_ job: Job, outcome: MessageOutcome) {
        job.outbox.removeAll()
        if let ack = job.pendingAck {
            job.pendingAck = nil
            ack.resolve(outcome)
        }
        remove(job)
    }

    private func remove(_ job: Job) {
        guard jobs[job.jobId] === job else { return }
        jobs[job.jobId] = nil
        job.state = .runnable
        job.resendAt = .max
        activePerTenant[job.tenant, default: 1] -= 1
        if activePerTenant[job.tenant] == 0 { activePerTenant[job.tenant] = nil }
        admitWaiting()
    }

    private func admitWaiting() {
        var index = 0
        while index < waiting.count, jobs.count < configuration.maxJobs {
            let run = waiting[index]
            let limits = configuration.governance.limits(for: run.command.tenant)
            if canStart(tenant: run.command.tenant, limits: limits) {
                waiting.remove(at: index)
                start(run.command, partition: run.partition, limits: limits, ack: nil)
            } else {
                index += 1
            }
        }
    }

    private func dropAll() {
        waiting.removeAll()
        for job in Array(jobs.values) {
            job.outbox.removeAll()
            job.pendingAck?.resolve(.abandoned)
            job.pendingAck = nil
            jobs[job.jobId] = nil
        }
        runQueue.removeAll()
        activePerTenant.removeAll()
        logger.info("dropped every VM; the checkpoint service re-issues their jobs on recover")
    }

    // MARK: - Output

    /// The job reached a suspension: its records go back with the message that caused them
    /// (the pipeline produces them, then stores the offset), or straight out.
    private func flush(_ job: Job) {
        let records = job.outbox
        job.outbox.removeAll()
        if let ack = job.pendingAck {
            job.pendingAck = nil
            ack.resolve(.produce(records))
        } else if !records.isEmpty {
            sender.send(records)
        }
    }

    /// The job is still running after a quantum: send what it produced so far here, in order
    /// with its later output, and let the message count as processed once that is acknowledged.
    private func flushPartial(_ job: Job) {
        let records = job.outbox
        job.outbox.removeAll()
        if let ack = job.pendingAck {
            job.pendingAck = nil
            sender.send(records) { ack.resolve(.done) }
        } else if !records.isEmpty {
            sender.send(records)
        }
    }

    private func resolveOrSend(_ ack: MessageAck?, _ records: [KafkaRecord]) {
        if let ack { ack.resolve(.produce(records)) } else { sender.send(records) }
    }

    private func emit(_ job: Job, _ kind: JobEvent.Kind, seq: Int? = nil, result: JSONValue? = nil,
                      error: JobFailure? = nil, detail: String? = nil) {
        var result = result
        if let value = result, JSONWriter.write(value).count > configuration.maxMessageBytes - 4_096 {
            // An oversize result would never fit a message: the job fails instead.
            result = nil
            if let record = eventRecord(jobId: job.jobId, tenant: job.tenant, epoch: job.epoch, .failed,
                                        error: JobFailure(name: "result-too-large", message: "the script's result is larger than a \(configuration.maxMessageBytes)-byte message")) {
                job.outbox.append(record)
            }
            return
        }
        if let record = eventRecord(jobId: job.jobId, tenant: job.tenant, epoch: job.epoch, kind, seq: seq,
                                    result: result, error: error, detail: detail) {
            job.outbox.append(record)
        }
    }

    private func eventRecord(jobId: String, tenant: String, epoch: Int, _ kind: JobEvent.Kind, seq: Int? = nil,
                             result: JSONValue? = nil, error: JobFailure? = nil, detail: String? = nil) -> KafkaRecord? {
        let event = JobEvent(jobId: jobId, tenant: tenant, epoch: epoch, type: kind, time: wallClockMs(),
                             seq: seq, result: result, error: error, detail: detail)
        do {
            return try KafkaRecord(topic: LazarusTopics.jobEvents, message: event)
        } catch {
            logger.error("cannot encode a job event", metadata: ["job.id": "\(jobId)", "error": "\(error)"])
            return nil
        }
    }

    // MARK: - Log metadata

    private func metadata(_ jobId: String, epoch: Int) -> Logger.Metadata {
        ["job.id": "\(jobId)", "job.epoch": "\(epoch)"]
    }

    private func metadata(_ job: Job, seq: Int? = nil, op: String? = nil) -> Logger.Metadata {
        var meta: Logger.Metadata = ["job.id": "\(job.jobId)", "job.epoch": "\(job.epoch)", "job.tenant": "\(job.tenant)"]
        if let seq { meta["call.seq"] = "\(seq)" }
        if let op { meta["call.op"] = "\(op)" }
        return meta
    }
}
