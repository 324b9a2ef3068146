import Foundation
import LazarusKafka
import LazarusWire

/// Recovery after `kill -9` of the executor running a job, with a standby executor already
/// in the group: from the kill to the arrival on `lazarus.calls` of the job's first call at
/// a newer epoch (sent by the standby from the restored VM).
///
/// Which executor runs the job is read from the wire: every executor announces the
/// `lazarus.runs` partitions it was assigned in its `recover` request on `lazarus.control`,
/// and the job's partition follows from its id. The job writes with policy `afterWrite`
/// (a snapshot before every write) and is killed after `callsBeforeKill` calls; once the
/// standby's first call is seen the job is cancelled.
struct ExecutorRecovery {
    let client: StackClient
    let tenant: String
    let run: String

    struct Executor: Sendable {
        var instanceId: String
        var pid: Int32
    }

    struct Result {
        var victim: String
        var standby: String
        /// Kill → the standby's `recover` request (the group noticed and rebalanced).
        var recoverRequested: Duration?
        /// Kill → the job's `resumed` event.
        var resumed: Duration?
        /// Kill → the first call of the new epoch: the figure.
        var firstCall: Duration
        var lastSeqBeforeKill: Int
        var resumedFromSnapshotSeq: Int?
        var firstResumedSeq: Int
    }

    func measure(executors: [Executor], callsBeforeKill: Int) async throws -> Result {
        let owners = try await currentAssignment(of: executors.map(\.instanceId))
        let jobId = "bench-\(run)-recovery"
        let partition = client.partition(of: jobId)
        guard let victimId = owners[partition], let victim = executors.first(where: { $0.instanceId == victimId }),
              let standby = executors.first(where: { $0.instanceId != victimId }) else {
            throw BenchError("cannot tell which executor owns partition \(partition) (owners: \(owners))")
        }
        let key = Array(jobId.utf8)
        let calls = try await client.follow(LazarusTopics.calls, partitions: [partition]) { $0.key == key }
        let events = try await client.follow(LazarusTopics.jobEvents, partitions: [partition]) {
            $0.key == key && [.resumed, .completed, .failed, .cancelled, .rejected].contains(JobEvent.kind(of: $0))
        }
        let control = try await client.follow(LazarusTopics.control)
        defer { calls.stop(); events.stop(); control.stop() }

        let submission = JobSubmission(jobId: jobId, tenant: tenant, script: BenchScripts.writer,
                                       args: .object([("writes", .string("100000000")), ("tag", .string(jobId))]), policy: .afterWrite)
        try await client.send([submission], to: LazarusTopics.jobs)
        try await waitUntil("\(callsBeforeKill) calls of \(jobId) were seen", timeout: .seconds(120)) {
            calls.recorded.count >= callsBeforeKill
        }
        guard let epoch = calls.decoded(HostCallRequest.self).map(\.message.epoch).max() else { throw BenchError("no calls decoded") }

        let killedAt = ContinuousClock.now
        guard kill(victim.pid, SIGKILL) == 0 else { throw BenchError("kill -9 \(victim.pid) (\(victim.instanceId)): errno \(errno)") }

        var firstNew: (arrival: ContinuousClock.Instant, call: HostCallRequest)?
        var checked = 0  // calls carry continuations: decode each once
        try await waitUntil("a call of \(jobId) at an epoch above \(epoch)", timeout: .seconds(180)) {
            let entries = calls.recorded
            for entry in entries[checked...] {
                if let call = try? WireCodec.decode(HostCallRequest.self, from: entry.message.value), call.epoch > epoch {
                    firstNew = (entry.arrival, call)
                    return true
                }
            }
            checked = entries.count
            return false
        }
        // The victim's calls may still have been arriving while the kill was under way.
        let lastSeq = calls.decoded(HostCallRequest.self).map(\.message).filter { $0.epoch == epoch }.map(\.seq).max() ?? 0
        let recover = control.decoded(ControlMessage.self)
            .first { $0.arrival > killedAt && $0.message.command == .recover && $0.message.requestedBy == standby.instanceId }
        let resumed = events.decoded(JobEvent.self).first { $0.message.type == .resumed }
        try await cancel(jobId, events: events)
        return Result(victim: victim.instanceId, standby: standby.instanceId,
                      recoverRequested: recover.map { $0.arrival - killedAt }, resumed: resumed.map { $0.arrival - killedAt },
                      firstCall: firstNew!.arrival - killedAt, lastSeqBeforeKill: lastSeq,
                      resumedFromSnapshotSeq: resumed?.message.seq, firstResumedSeq: firstNew!.call.seq)
    }

    /// Partition → executor, from each executor's latest `recover` request; waits until
    /// those requests cover every partition exactly once (the group has settled).
    private func currentAssignment(of instances: [String]) async throws -> [Int: String] {
        var owners: [Int: String] = [:]
        let deadline = ContinuousClock.now + .seconds(120)
        while true {
            var latest: [String: [Int]] = [:]
            for message in try await client.readAll(LazarusTopics.control) {
                guard let request = try? WireCodec.decode(ControlMessage.self, from: message.value), request.command == .recover,
                      let who = request.requestedBy, instances.contains(who) else { continue }
                latest[who] = request.partitions ?? []  // one partition of control per requester: offset order
            }
            owners = [:]
            var overlap = false
            for (who, partitions) in latest {
                for p in partitions { if owners.updateValue(who, forKey: p) != nil { overlap = true } }
            }
            if latest.count == instances.count, !overlap, owners.count == client.partitionCount { return owners }
            guard ContinuousClock.now < deadline else {
                throw BenchError("the executors \(instances) did not settle on a shared assignment (latest recover requests: \(latest))")
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Cancels the job (it was given more writes than it will make) and waits for its end.
    private func cancel(_ jobId: String, events: TopicTimeline) async throws {
        try await client.send([ControlMessage(jobId: jobId, command: .cancel, requestedBy: "lazarus-bench")], to: LazarusTopics.control)
        try await waitUntil("\(jobId) was cancelled", timeout: .seconds(60)) {
            events.decoded(JobEvent.self).contains { $0.message.type.isTerminal }
        }
    }
}
