import Foundation
import LazarusCheckpointStore
import LazarusKafka
import LazarusService
import LazarusWire
import Testing

// Crash, timer and recover tests: same serialized suite as CheckpointServiceTests.
extension CheckpointServiceTests {
    // MARK: - Timers

    @Test func sleepTimerFiresOnlyWhenDueAndSurvivesAKill() async throws {
        let h = try await CheckpointHarness.start("sleep")
        var first = try h.startService()
        let store = try h.store()

        // `sleep(1500)`: the proxy's sleep snapshot sets the timer; kill -9 during the sleep.
        // Killing within 1.5 s is a precondition of the scenario, not a speed check: if a
        // stalled machine let the timer fire first, the attempt is repeated with a new job.
        var jobId = ""
        var wakeAt: Int64 = 0
        for attempt in 1... {
            jobId = "job-sleep-\(attempt)"
            try await h.submit(jobId)
            _ = try await h.waitForRun(jobId, epoch: 1)
            // Its executor started it (so the restart's replay of never-started jobs leaves it alone).
            try await h.probe.send(h.event(jobId, .started), to: LazarusTopics.jobEvents)
            try await waitUntil("\(jobId) is running") { try store.jobRecord(jobId)?.status == .running }
            wakeAt = CheckpointStore.currentMillis() + 1_500
            try await h.probe.send(h.snapshot(jobId, seq: 2, reason: "sleep", wakeAt: wakeAt, bytes: [9, 9]), to: LazarusTopics.snapshots)
            try await waitUntil("the timer of \(jobId) is stored") {
                try store.job(jobId)?.wakeAt == wakeAt || store.jobRecord(jobId)?.runsIssued != 1
            }
            await first.crash()
            if !first.outputSoFar.contains("job.id=\(jobId) run.epoch=2") { break }
            try #require(attempt < 3, "the timer fired before the service could be killed, \(attempt) times")
            first = try h.startService()
        }
        #expect(h.runs(of: jobId).count == 1)
        #expect(try store.job(jobId)?.wakeAt == wakeAt, "the timer is in the database")

        let second = try h.startService()
        let (run, message) = try await h.waitForRun(jobId, epoch: 2)
        #expect(run.reason == "timer")
        #expect(run.snapshotSeq == 2)
        #expect(run.snapshot == Data([9, 9]))
        // Correctness, not speed: the run was produced no earlier than the job was due.
        #expect(message.timestampMs >= wakeAt, "timer run produced at \(message.timestampMs), before wakeAt \(wakeAt)")
        try await second.waitForOutput("job.id=\(jobId) run.epoch=2")
        try await waitUntil("the fired timer is cleared") { try store.job(jobId)?.wakeAt == nil }
        #expect(try store.jobRecord(jobId)?.runsIssued == 2, "the timer fired once")

        // The executor's late `sleeping` event (epoch 1) changes nothing now.
        try await h.probe.send(h.event(jobId, .sleeping, seq: 2, detail: String(wakeAt)), to: LazarusTopics.jobEvents)
        try await waitUntil("the late sleeping event is in the history") {
            try store.job(jobId)?.history.contains { $0.type == "sleeping" } == true
        }
        #expect(try store.job(jobId)?.wakeAt == nil, "a superseded sleeping event sets no timer")
        await h.stop()
    }

    // MARK: - Recover

    @Test func recoverReissuesExactlyTheLiveJobsOfThePartitions() async throws {
        let h = try await CheckpointHarness.start("recover")
        try h.startService()
        let live0 = CheckpointHarness.jobId("live", partition: 0)
        let done0 = CheckpointHarness.jobId("done", partition: 0)
        let saved1 = CheckpointHarness.jobId("saved", partition: 1)
        let other2 = CheckpointHarness.jobId("other", partition: 2)
        for jobId in [live0, done0, saved1, other2] { try await h.submit(jobId) }
        for jobId in [live0, done0, saved1, other2] { _ = try await h.waitForRun(jobId, epoch: 1) }
        let store = try h.store()

        try await h.probe.send(h.event(live0, .started), to: LazarusTopics.jobEvents)
        try await h.probe.send(h.event(done0, .completed), to: LazarusTopics.jobEvents)
        try await h.probe.send(h.snapshot(saved1, seq: 5, reason: "checkpoint", bytes: [5]), to: LazarusTopics.snapshots)
        try await waitUntil("the events and the snapshot are recorded") {
            try store.jobRecord(done0)?.status == .completed && store.jobRecord(saved1)?.lastSnapshotSeq == 5
                && store.jobRecord(live0)?.status == .running
        }

        try await h.probe.send(ControlMessage(jobId: "executor-1", command: .recover, partitions: [0, 1], requestedBy: "executor-1"),
                               to: LazarusTopics.control)
        let (live, _) = try await h.waitForRun(live0, epoch: 2)
        #expect(live.reason == "recover")
        #expect(live.snapshot == nil, "no snapshot yet: start over")
        let (saved, _) = try await h.waitForRun(saved1, epoch: 2)
        #expect(saved.reason == "recover")
        #expect(saved.snapshotSeq == 5 && saved.snapshot == Data([5]), "resumes from the latest snapshot")
        // The recover was one transaction per run, committed before anything was produced.
        #expect(try store.jobRecord(done0)?.runsIssued == 1, "a terminal job is not recovered")
        #expect(try store.jobRecord(other2)?.runsIssued == 1, "a job of another partition is not recovered")
        #expect(try store.jobRecord(live0)?.resumptions == 1)
        await h.stop()
    }

    // MARK: - Crash while submissions stream in

    @Test func killedWhileSubmissionsStreamInLosesNoJob() async throws {
        let h = try await CheckpointHarness.start("stream")
        let first = try h.startService()
        let ids = (0..<20).map { "job-stream-\($0)" }
        let probe = h.probe
        // The second half is sent only after the kill, so the kill always lands mid-stream
        // however slow the machine is.
        func send(_ jobIds: ArraySlice<String>) async throws {
            for jobId in jobIds {
                try await probe.send(JobSubmission(jobId: jobId, tenant: CheckpointHarness.tenant, script: "checkpoint()"), to: LazarusTopics.jobs)
                try await Task.sleep(for: .milliseconds(100))  // a stream, not a burst
            }
        }
        let sender = Task { try await send(ids[..<10]) }
        let store = try h.store()
        try await waitUntil("a few submissions are registered") { try store.jobs(limit: 100).count >= 3 }
        await first.crash()
        let registeredBeforeTheKill = try store.jobs(limit: 100).count
        try await sender.value
        try await send(ids[10...])
        #expect(registeredBeforeTheKill < ids.count, "the kill happened while submissions were still coming in")

        let second = try h.startService()
        try await second.waitForOutput("startup replay complete", timeout: .seconds(90))
        try await waitUntil("every job is accepted and has a run", timeout: .seconds(90)) {
            ids.allSatisfy { !h.events(of: $0, .accepted).isEmpty && !h.runs(of: $0).isEmpty }
        }
        // Everything that will ever be produced for these jobs is in the topic now (the
        // replay is acknowledged before its log line); read each partition to a sentinel.
        try await h.readJobEventsToTheEnd()
        for jobId in ids {
            #expect(h.events(of: jobId, .accepted).count == 1, "\(jobId): exactly one accepted event")
            #expect(!h.runs(of: jobId).isEmpty, "\(jobId): at least one run")
        }
        for jobId in ids {
            #expect(try store.jobRecord(jobId)?.status == .accepted, "\(jobId) is registered")
        }
        await h.stop()
    }

    @Test func restartAnnouncesOnlyJobsWhoseAcceptedEventWasNeverPublished() async throws {
        let h = try await CheckpointHarness.start("replay")
        let first = try h.startService()
        let store = try h.store()
        let announced = "job-announced"
        try await h.submit(announced)
        _ = try await h.waitForEvent(announced, .accepted)
        _ = try await h.waitForRun(announced, epoch: 1)
        try await waitUntil("its accepted event came back to the service") {
            try store.job(announced)?.history.filter { $0.type == "accepted" }.count == 2
        }
        await first.crash()

        // What a process killed between its commit and its produce leaves behind: a job
        // registered in the database whose `accepted` event and first run never reached Kafka.
        let silent = "job-silent"
        let outcome = try store.register(JobSubmission(jobId: silent, tenant: CheckpointHarness.tenant, script: "1"),
                                         partition: JobPartitioner.partition(for: silent, partitionCount: CheckpointHarness.partitions))
        guard case .registered = outcome else { Issue.record("not registered: \(outcome)"); return }

        let second = try h.startService()
        try await second.waitForOutput("startup replay complete", timeout: .seconds(90))
        try await h.readJobEventsToTheEnd()
        let (silentRun, _) = try await h.waitForRun(silent, epoch: 2)
        #expect(silentRun.reason == "start")
        #expect(h.events(of: silent, .accepted).count == 1, "the job nobody heard of is announced once")
        #expect(h.runs(of: silent).count == 1)
        let (again, _) = try await h.waitForRun(announced, epoch: 2)
        #expect(again.reason == "start", "never started: its run is issued again")
        #expect(h.events(of: announced, .accepted).count == 1, "an announced job is not announced again")
        await h.stop()
    }
}

// MARK: - Harness

/// One private broker, a probe watching the service's outputs, and the service process
/// (restartable over the same database).
final class CheckpointHarness: @unchecked Sendable {
    // @unchecked: `service` is only touched by the test's own task.
    static let partitions = 12
    static let tenant = "acme"

    let broker: DevBrokerProcess
    let probe: TopicProbe
    let directory: URL
    var database: URL { directory.appendingPathComponent("checkpoints.sqlite") }
    private(set) var service: ServiceProcess?
    private var openedStore: CheckpointStore?

    private init(broker: DevBrokerProcess, probe: TopicProbe, directory: URL) {
        self.broker = broker
        self.probe = probe
        self.directory = directory
    }

    static func start(_ label: String) async throws -> CheckpointHarness {
        let broker = try await startBroker(partitions: partitions)
        let probe = try TopicProbe(brokers: broker.bootstrapServers,
                                   watching: [LazarusTopics.runs, LazarusTopics.jobEvents, LazarusTopics.deadLetters])
        return CheckpointHarness(broker: broker, probe: probe, directory: try temporaryDirectory("checkpoint-\(label)"))
    }

    /// Starts a checkpoint-service (replacing the handle of a previous, dead one).
    @discardableResult
    func startService() throws -> ServiceProcess {
        let process = try ServiceProcess(
            "checkpoint-service",
            arguments: ["--brokers", broker.bootstrapServers, "--database", database.path, "--log-level", "debug",
                        "--instance-id", "checkpoint-test"],
            // A killed member leaves the group after the session timeout (> 3 s on the dev broker).
            environment: ["LAZARUS_KAFKA_SESSION_TIMEOUT_MS": "6000"],
            logDirectory: directory.appendingPathComponent("logs"))
        service = process
        return process
    }

    /// The service's database, opened from the test (WAL: reads never block the service).
    func store() throws -> CheckpointStore {
        if let openedStore { return openedStore }
        let store = try CheckpointStore(path: database.path)
        openedStore = store
        return store
    }

    func stop() async {
        if let service, service.isRunning {
            service.signal(SIGTERM)
            _ = await service.waitForExit()
        }
        await probe.close()
        _ = await broker.terminate()
    }

    // MARK: Inputs

    func submit(_ jobId: String) async throws {
        try await probe.send(JobSubmission(jobId: jobId, tenant: Self.tenant, script: "checkpoint('x')"), to: LazarusTopics.jobs)
    }

    func snapshot(_ jobId: String, epoch: Int = 1, seq: Int, reason: String, wakeAt: Int64? = nil, bytes: [UInt8]) -> SnapshotEvent {
        SnapshotEvent(jobId: jobId, tenant: Self.tenant, epoch: epoch, seq: seq, reason: reason, wakeAt: wakeAt, continuation: Data(bytes))
    }

    func event(_ jobId: String, _ type: JobEvent.Kind, epoch: Int = 1, seq: Int? = nil, detail: String? = nil) -> JobEvent {
        JobEvent(jobId: jobId, tenant: Self.tenant, epoch: epoch, type: type, time: CheckpointStore.currentMillis(), seq: seq,
                 result: type == .completed ? .number(1) : nil, detail: detail)
    }

    /// A job id (`prefix-n`) that lands in `partition`.
    static func jobId(_ prefix: String, partition: Int) -> String {
        var n = 0
        while JobPartitioner.partition(for: "\(prefix)-\(n)", partitionCount: partitions) != partition { n += 1 }
        return "\(prefix)-\(n)"
    }

    func base64(_ key: String) -> String { Data(key.utf8).base64EncodedString() }

    // MARK: Outputs

    func runs(of jobId: String) -> [(RunCommand, KafkaMessage)] {
        probe.messages(on: LazarusTopics.runs).compactMap { message in
            guard let run = try? WireCodec.decode(RunCommand.self, from: message.value), run.jobId == jobId else { return nil }
            return (run, message)
        }
    }

    func events(of jobId: String, _ type: JobEvent.Kind) -> [JobEvent] {
        probe.decoded(JobEvent.self, on: LazarusTopics.jobEvents).filter { $0.jobId == jobId && $0.type == type }
    }

    func waitForRun(_ jobId: String, epoch: Int) async throws -> (RunCommand, KafkaMessage) {
        var found: (RunCommand, KafkaMessage)?
        try await waitUntil("a run of \(jobId) at epoch \(epoch)") {
            found = runs(of: jobId).first { $0.0.epoch == epoch }
            return found != nil
        }
        return found!
    }

    func waitForEvent(_ jobId: String, _ type: JobEvent.Kind, where predicate: @escaping @Sendable (JobEvent) -> Bool = { _ in true }) async throws -> JobEvent {
        try await probe.waitFor(JobEvent.self, on: LazarusTopics.jobEvents) { $0.jobId == jobId && $0.type == type && predicate($0) }
    }

    /// Writes a sentinel to every partition of `lazarus.job-events` and waits until the probe
    /// has read them all: it has then seen everything produced there before.
    func readJobEventsToTheEnd() async throws {
        let sentinel = "sentinel-\(UUID().uuidString.prefix(8))"
        for partition in 0..<Self.partitions {
            var record = try KafkaRecord(topic: LazarusTopics.jobEvents,
                                         message: JobEvent(jobId: sentinel, type: .log, time: CheckpointStore.currentMillis()))
            record.partition = Int32(partition)
            _ = try await probe.producer.send(record)
        }
        try await waitUntil("the probe read every job-events partition to the sentinel") {
            Set(probe.messages(on: LazarusTopics.jobEvents).filter { $0.keyString == sentinel }.map(\.partition)).count == Self.partitions
        }
    }
}
