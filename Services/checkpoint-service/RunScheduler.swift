import LazarusCheckpointStore
import LazarusKafka
import LazarusService
import LazarusWire
import Logging
import ServiceLifecycle

/// The runs nobody's message asks for: on startup it publishes the replay markers
/// (`StartupReplay`), then it fires durable `sleep` timers for as long as the service runs.
///
/// A timer fires as: `startRun(.timer)` (committed) → produce the run command until the
/// broker acknowledges it → `clearTimer(jobId:wakeAt:)`. A crash in between leaves the
/// timer in place, so it fires again after a restart, at a higher epoch — harmless, since
/// the object service fences the older one. The loop sleeps until the next timer is due,
/// but never longer than `maxSleep`, so timers set by other processes sharing the database
/// (or by the pipeline) are seen promptly.
final class RunScheduler: Service {
    private let store: StoreQueue
    private let producer: KafkaProducer
    private let startup: StartupReplay
    private let logger: Logger
    private let maxSleepMs: Int64 = 250

    init(store: StoreQueue, producer: KafkaProducer, startup: StartupReplay, logger: Logger) {
        self.store = store
        self.producer = producer
        self.startup = startup
        var logger = logger
        logger[metadataKey: "component"] = "timers"
        self.logger = logger
    }

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                guard try await self.send(self.startup.markers(), what: "replay markers") else { return }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await self.replay() }
                    group.addTask {
                        while !Task.isCancelled {
                            try await self.fireDueTimers()
                        }
                    }
                    try await group.waitForAll()
                }
            }
        } catch is CancellationError {
            // Graceful shutdown.
        }
    }

    /// Produces the startup replay, partition by partition, as the pipeline decides it.
    private func replay() async throws {
        var jobs = 0
        var announced = 0
        for await batch in startup.batches {
            guard try await send(batch.records, what: "startup replay of partition \(batch.partition)") else { return }
            jobs += batch.jobs
            announced += batch.announced
        }
        if !Task.isCancelled {
            logger.info("startup replay complete", metadata: [
                "jobs.restarted": "\(jobs)", "jobs.announced": "\(announced)",
            ])
        }
    }

    /// Fires what is due now, then sleeps until the next timer (at most `maxSleepMs`).
    private func fireDueTimers() async throws {
        let now = CheckpointStore.currentMillis()
        let due = try await retrying("listing due timers") { try await self.store.run { try $0.dueTimers(now: now, limit: 100) } }
        for timer in due {
            guard try await fire(timer) else { return }
        }
        if due.count == 100 { return }  // more may be due: look again at once
        let next = try await retrying("reading the next timer") { try await self.store.run { try $0.nextTimer() } }
        var delay = maxSleepMs
        if let next, next > now {
            delay = max(0, min(next - CheckpointStore.currentMillis(), maxSleepMs))
        }
        // (A pending timer at or before `now` that was not due belongs to an ended job or
        // was just cleared: waiting `maxSleepMs` avoids spinning on it.)
        try await Task.sleep(for: .milliseconds(delay))
    }

    /// Issues and produces the timer run of one job; false if the service is stopping.
    private func fire(_ timer: DueTimer) async throws -> Bool {
        let run: RunCommand?
        do {
            run = try await retrying("issuing the timer run of \(timer.jobId)") {
                try await self.store.run { try $0.startRun(jobId: timer.jobId, reason: .timer) }
            }
        } catch let error as CheckpointStoreError where error.code == .unknownJob {
            run = nil
        }
        if let run {
            logger.info("timer due; run issued", metadata: [
                "job.id": "\(run.jobId)", "run.epoch": "\(run.epoch)", "timer.wakeAt": "\(timer.wakeAt)",
                "snapshot.seq": "\(run.snapshotSeq.map(String.init) ?? "none")",
            ])
            guard try await send([KafkaRecord(topic: LazarusTopics.runs, message: run)], what: "timer run of \(run.jobId)") else {
                return false
            }
        }
        _ = try await retrying("clearing the timer of \(timer.jobId)") {
            try await self.store.run { try $0.clearTimer(jobId: timer.jobId, wakeAt: timer.wakeAt) }
        }
        return true
    }

    /// Produces `records` until the broker acknowledged all; false if the producer closed
    /// or the service is stopping first. The store bounds what goes into a run command, so
    /// a record over the producer's limit is only logged.
    private func send(_ records: [KafkaRecord], what: String) async throws -> Bool {
        var log = logger
        log[metadataKey: "what"] = "\(what)"
        guard let unsendable = await producer.sendUntilAcknowledged(records, logger: log) else {
            try Task.checkCancellation()
            return false
        }
        for lost in unsendable {
            log.error("record can never be sent; dropped", metadata: ["kafka.topic": "\(records[lost.index].topic)", "error": "\(lost.error)"])
        }
        return true
    }

    /// Retries store calls that fail for a passing reason (busy, I/O), with backoff.
    private func retrying<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        var delayMs = 50
        while true {
            do {
                return try await body()
            } catch let error as CheckpointStoreError where error.retriable {
                logger.warning("store call failed; retrying", metadata: ["what": "\(what)", "error": "\(error)"])
                try await Task.sleep(for: .milliseconds(delayMs))
                delayMs = min(delayMs * 2, 5_000)
            }
        }
    }
}
