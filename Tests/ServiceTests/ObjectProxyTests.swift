import Foundation
import LazarusKafka
import LazarusObjectStore
import LazarusWire
import Testing

/// `object-proxy` (and, once, the proxy with `object-service` behind it) as real processes.
@Suite(.serialized)
struct ObjectProxyTests {
    // MARK: - Fixture

    struct Stack {
        let broker: DevBrokerProcess
        let directory: URL
        let probe: TopicProbe

        static let watched = [LazarusTopics.snapshots, LazarusTopics.objectRequests, LazarusTopics.callResults,
                              LazarusTopics.jobEvents, LazarusTopics.deadLetters]

        static func start(_ label: String) async throws -> Stack {
            let broker = try await startBroker()
            let probe = try TopicProbe(brokers: broker.bootstrapServers, watching: watched)
            return Stack(broker: broker, directory: try temporaryDirectory(label), probe: probe)
        }

        func start(_ executable: String, _ extra: [String] = []) async throws -> ServiceProcess {
            let process = try ServiceProcess(
                executable, arguments: ["--brokers", broker.bootstrapServers, "--log-level", "debug"] + extra,
                environment: ["LAZARUS_KAFKA_SESSION_TIMEOUT_MS": "6000"],
                logDirectory: directory)
            try await process.waitForOutput("partitions assigned")
            return process
        }

        func call(_ job: String, seq: Int, op: String, args: [JSONValue] = [], policy: SaveStatePolicy,
                  continuation: Data? = nil, tenant: String = "acme", epoch: Int = 1) async throws {
            try await probe.send(HostCallRequest(jobId: job, tenant: tenant, epoch: epoch, seq: seq, op: op, args: args,
                                                 policy: policy, continuation: continuation),
                                 to: LazarusTopics.calls)
        }

        func snapshots(_ job: String) -> [SnapshotEvent] {
            probe.decoded(SnapshotEvent.self, on: LazarusTopics.snapshots).filter { $0.jobId == job }
        }

        func requests(_ job: String) -> [ObjectRequest] {
            probe.decoded(ObjectRequest.self, on: LazarusTopics.objectRequests).filter { $0.jobId == job }
        }

        func results(_ job: String) -> [CallReply] {
            probe.decoded(CallReply.self, on: LazarusTopics.callResults).filter { $0.jobId == job }
        }

        func events(_ job: String) -> [JobEvent] {
            probe.decoded(JobEvent.self, on: LazarusTopics.jobEvents).filter { $0.jobId == job }
        }

        /// The broker's message for the first `M` on `topic` matching `predicate`.
        func message<M: WireMessage>(_ type: M.Type, on topic: String, where predicate: (M) -> Bool) -> KafkaMessage? {
            probe.messages(on: topic).first { (try? WireCodec.decode(M.self, from: $0.value)).map(predicate) ?? false }
        }

        func errorResult(_ job: String, seq: Int) async throws -> CallError {
            let reply = try await probe.waitFor(CallReply.self, on: LazarusTopics.callResults) { $0.jobId == job && $0.seq == seq }
            guard case .error(let error) = reply.outcome else {
                throw FixtureError("expected an error reply for \(job)/\(seq), got \(reply.outcome)")
            }
            return error
        }

        func stop(_ process: ServiceProcess) async {
            process.signal(SIGTERM)
            let status = await process.waitForExit(timeout: .seconds(30))
            #expect(status == 0, "\(process.name) should exit 0 on SIGTERM; log: \(process.logFile.path)")
        }

        func close() async { await probe.close() }
    }

    static let state = Data("VM-STATE".utf8)

    // MARK: - Tests

    @Test func startsJoinsItsGroupAndExitsZeroOnSIGTERM() async throws {
        let stack = try await Stack.start("proxy-start")
        let proxy = try await stack.start("object-proxy")
        await stack.stop(proxy)
        #expect(proxy.outputSoFar.contains("left the group"))
        await stack.close()
    }

    @Test func appliesEachSaveStatePolicy() async throws {
        let stack = try await Stack.start("proxy-policy")
        let proxy = try await stack.start("object-proxy")

        // afterWrite: nothing before a load, a snapshot before a create.
        try await stack.call("aw", seq: 1, op: "records.load", args: [.string("invoice"), .string("invoice-1")], policy: .afterWrite)
        try await stack.call("aw", seq: 2, op: "records.create", args: [.string("invoice"), .object([])], policy: .afterWrite,
                             continuation: Self.state)
        // explicit: writes go straight through; checkpoint, yieldScript and sleep save state.
        try await stack.call("ex", seq: 1, op: "records.create", args: [.string("invoice"), .object([])], policy: .explicit)
        try await stack.call("ex", seq: 2, op: "checkpoint", args: [.string("batch-1")], policy: .explicit, continuation: Self.state)
        try await stack.call("ex", seq: 3, op: "yieldScript", policy: .explicit, continuation: Self.state)
        try await stack.call("ex", seq: 4, op: "sleep", args: [.number(5_000)], policy: .explicit, continuation: Self.state)
        // everyCalls(3): the third call only.
        for seq in 1...4 {
            try await stack.call("ec", seq: seq, op: "now", policy: .everyCalls(3), continuation: seq == 3 ? Self.state : nil)
        }
        // always: even a read.
        try await stack.call("al", seq: 1, op: "random", policy: .always, continuation: Self.state)

        try await waitUntil("every routed call reached lazarus.object-requests") {
            stack.requests("aw").count == 2 && stack.requests("ex").count == 1 && stack.requests("ec").count == 4
                && stack.requests("al").count == 1
        }
        try await waitUntil("the explicit job's snapshots and checkpoint result") {
            stack.snapshots("ex").count == 3 && !stack.results("ex").isEmpty
        }

        // afterWrite
        #expect(stack.snapshots("aw").map(\.seq) == [2])
        #expect(stack.snapshots("aw").first?.reason == "afterWrite")
        #expect(stack.snapshots("aw").first?.continuation == Self.state)
        let snapshot = try #require(stack.message(SnapshotEvent.self, on: LazarusTopics.snapshots) { $0.jobId == "aw" && $0.seq == 2 })
        let request = try #require(stack.message(ObjectRequest.self, on: LazarusTopics.objectRequests) { $0.jobId == "aw" && $0.seq == 2 })
        // The request is produced only after the snapshot was acknowledged (same producer clock).
        #expect(request.timestampMs >= snapshot.timestampMs)
        #expect(stack.events("aw").contains { $0.type == .checkpointed && $0.seq == 2 })

        // explicit
        #expect(stack.requests("ex").map(\.seq) == [1], "checkpoint, yieldScript and sleep are not routed")
        let exSnapshots = stack.snapshots("ex").sorted { $0.seq < $1.seq }
        #expect(exSnapshots.map(\.reason) == ["checkpoint", "yield", "sleep"])
        #expect(exSnapshots.first?.label == "batch-1")
        let sleepSnapshot = try #require(exSnapshots.last)
        let sleepMessage = try #require(stack.message(SnapshotEvent.self, on: LazarusTopics.snapshots) { $0.jobId == "ex" && $0.seq == 4 })
        let wakeAt = try #require(sleepSnapshot.wakeAt)
        #expect(wakeAt - 5_000 <= sleepMessage.timestampMs, "wakeAt is now + ms, taken before the snapshot was produced")
        let saved = try #require(stack.results("ex").first)
        #expect(saved.seq == 2)
        #expect(saved.outcome == .value(.object([("status", .string("saved")), ("label", .string("batch-1"))])))
        #expect(stack.results("ex").count == 1, "yieldScript and sleep get no answer from the proxy")
        try await waitUntil("checkpointed events for 2, 3 and 4") {
            Set(stack.events("ex").filter { $0.type == .checkpointed }.compactMap(\.seq)) == [2, 3, 4]
        }
        let checkpointEvent = try #require(stack.events("ex").first { $0.seq == 2 })
        #expect(checkpointEvent.detail?.contains("batch-1") == true)
        #expect(checkpointEvent.epoch == 1 && checkpointEvent.tenant == "acme")

        // everyCalls(3) and always
        #expect(stack.snapshots("ec").map(\.seq) == [3])
        #expect(stack.snapshots("ec").first?.reason == "everyCalls")
        #expect(stack.snapshots("al").map(\.reason) == ["always"])
        #expect(stack.probe.deadLetters().isEmpty)

        await stack.stop(proxy)
        await stack.close()
    }

    /// Every snapshot is written; a policy's snapshots are announced with a `checkpointed`
    /// event at most once per interval per job and epoch (here an hour, so exactly once),
    /// the script's own `checkpoint()` every time.
    @Test func announcesPolicySnapshotsOncePerIntervalAndScriptCheckpointsAlways() async throws {
        let stack = try await Stack.start("proxy-announce")
        let proxy = try await stack.start("object-proxy", ["--checkpointed-every-ms", "3600000"])
        for seq in 1...5 {
            try await stack.call("an", seq: seq, op: "now", policy: .always, continuation: Self.state)
        }
        try await stack.call("an", seq: 6, op: "checkpoint", args: [.string("half-way")], policy: .always, continuation: Self.state)
        try await stack.call("an", seq: 7, op: "now", policy: .always, continuation: Self.state)
        // A recovered run (epoch 2) re-issues seq 7: its first policy snapshot is announced again.
        try await stack.call("an", seq: 7, op: "now", policy: .always, continuation: Self.state, epoch: 2)
        try await stack.call("an", seq: 8, op: "now", policy: .always, continuation: Self.state, epoch: 2)
        try await stack.call("an", seq: 9, op: "checkpoint", args: [.string("end")], policy: .always, continuation: Self.state, epoch: 2)

        // Calls of one batch may have their events sent in any order; every call's event, if
        // it has one, goes out with its request or answer.
        func announced() -> Set<String> {
            Set(stack.events("an").filter { $0.type == .checkpointed }.map { "\($0.epoch ?? 0)/\($0.seq ?? 0)" })
        }
        try await waitUntil("every call is routed or answered and every snapshot written") {
            stack.requests("an").count == 8 && stack.results("an").count == 2 && stack.snapshots("an").count == 10
        }
        try await waitUntil("the announcements are in") { announced() == ["1/1", "1/6", "2/7", "2/9"] }
        // A later checkpoint, consumed after all the rest: once its event is in, an event for
        // any earlier snapshot would have been sent too.
        try await stack.call("an", seq: 10, op: "checkpoint", policy: .always, continuation: Self.state, epoch: 2)
        try await waitUntil("the last checkpoint is announced") { announced().contains("2/10") }
        #expect(announced() == ["1/1", "1/6", "2/7", "2/9", "2/10"])
        #expect(stack.events("an").filter { $0.type == .checkpointed }.count == 5, "no snapshot announced twice")
        await stack.stop(proxy)
        await stack.close()
    }

    @Test func refusesBadCallsWithAnErrorReplyAndADeadLetter() async throws {
        let stack = try await Stack.start("proxy-bad")
        let proxy = try await stack.start("object-proxy", ["--max-continuation-bytes", "1024", "--max-call-bytes", "65536"])

        try await stack.call("bad", seq: 1, op: "records.create", args: [.string("invoice"), .object([])], policy: .afterWrite)
        try await stack.call("bad", seq: 2, op: "records.create", args: [.string("invoice"), .object([])], policy: .afterWrite,
                             continuation: Data(repeating: 7, count: 2048))
        try await stack.call("bad", seq: 3, op: "records.explode", policy: .explicit)
        try await stack.call("bad", seq: 4, op: "now", policy: .explicit, tenant: "")
        try await stack.call("bad", seq: 5, op: "records.load", args: [.string("invoice")], policy: .explicit)
        try await stack.call("bad", seq: 6, op: "sleep", args: [.string("soon")], policy: .explicit, continuation: Self.state)
        try await stack.probe.sendRaw(Array("{\"v\":1,\"jobId\":\"bad\",\"epoch\":1,\"seq\":7,\"op\":42}".utf8),
                                      to: LazarusTopics.calls, key: "bad")
        try await stack.probe.sendRaw([0xDE, 0xAD, 0xBE, 0xEF], to: LazarusTopics.calls, key: "garbage")
        try await stack.probe.sendRaw(Array(repeating: UInt8(ascii: " "), count: 600_000), to: LazarusTopics.calls, key: "huge")
        try await stack.call("good", seq: 1, op: "now", policy: .explicit)

        #expect(try await stack.errorResult("bad", seq: 1).code == "missing-continuation")
        #expect(try await stack.errorResult("bad", seq: 2).code == "too-large")
        #expect(try await stack.errorResult("bad", seq: 3).code == "unknown-operation")
        #expect(try await stack.errorResult("bad", seq: 4).code == "invalid-argument")
        #expect(try await stack.errorResult("bad", seq: 5).code == "invalid-argument")
        #expect(try await stack.errorResult("bad", seq: 6).code == "invalid-argument")
        #expect(try await stack.errorResult("bad", seq: 7).code == "invalid-argument")
        try await waitUntil("the good call is routed") { stack.requests("good").count == 1 }
        try await waitUntil("nine dead letters") { stack.probe.deadLetters().count >= 9 }
        let reasons = stack.probe.deadLetters().map(\.reason)
        #expect(reasons.contains { $0.contains("missing-continuation") })
        #expect(reasons.contains { $0.contains("too-large") })
        #expect(reasons.contains { $0.contains("not valid JSON") })
        #expect(reasons.contains { $0.contains("exceeds") && $0.contains("dead letter keeps the first") })
        #expect(stack.requests("bad").isEmpty, "no refused call is routed")
        #expect(stack.snapshots("bad").isEmpty, "no snapshot of a refused call")
        #expect(proxy.isRunning)

        await stack.stop(proxy)
        await stack.close()
    }

    @Test func forwardsObjectRepliesUnchanged() async throws {
        let stack = try await Stack.start("proxy-replies")
        let proxy = try await stack.start("object-proxy")

        let reply = CallReply(jobId: "fw", epoch: 3, seq: 9, outcome: .value(.object([("id", .string("invoice-7"))])), replayed: true)
        try await stack.probe.send(reply, to: LazarusTopics.objectReplies)
        try await stack.probe.sendRaw(Array("{\"v\":1,\"jobId\":\"fw\"}".utf8), to: LazarusTopics.objectReplies, key: "fw")
        let forwarded = try await stack.probe.waitFor(CallReply.self, on: LazarusTopics.callResults) { $0.jobId == "fw" }
        #expect(forwarded == reply)
        let message = try #require(stack.probe.messages(on: LazarusTopics.callResults).first)
        #expect(message.value == (try WireCodec.encode(reply)))
        #expect(message.keyString == "fw")
        #expect(message.partition == Int32(JobPartitioner.partition(for: "fw", partitionCount: 12)))
        try await waitUntil("the malformed reply is dead-lettered") {
            stack.probe.deadLetters().contains { $0.sourceTopic == LazarusTopics.objectReplies && $0.reason.contains("CallReply") }
        }
        await stack.stop(proxy)
        await stack.close()
    }

    @Test func routesACallThroughTheObjectServiceAndBack() async throws {
        let stack = try await Stack.start("proxy-e2e")
        let database = stack.directory.appendingPathComponent("objects.sqlite").path
        let proxy = try await stack.start("object-proxy")
        let service = try await stack.start("object-service", ["--database", database])

        try await stack.call("e2e", seq: 1, op: "records.create", args: [.string("invoice"), .object([("total", .number(5))])],
                             policy: .afterWrite, continuation: Self.state)
        let result = try await stack.probe.waitFor(CallReply.self, on: LazarusTopics.callResults) { $0.jobId == "e2e" && $0.seq == 1 }
        guard case .value(let record) = result.outcome else { Issue.record("create failed: \(result)"); return }
        #expect(record["id"] == .string("invoice-1"))
        #expect(stack.snapshots("e2e").map(\.seq) == [1])

        await stack.stop(service)
        await stack.stop(proxy)
        #expect(try ObjectStore(path: database).count(tenant: "acme", type: "invoice") == 1)
        await stack.close()
    }
}
