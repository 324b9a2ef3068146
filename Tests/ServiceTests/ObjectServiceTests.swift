import Foundation
import LazarusKafka
import LazarusObjectStore
import LazarusWire
import Testing

/// `object-service` as a real process against a private dev broker.
@Suite(.serialized)
struct ObjectServiceTests {
    // MARK: - Fixture

    /// A private broker, a database path, a log directory, and a probe on the service's outputs.
    struct Stack {
        let broker: DevBrokerProcess
        let directory: URL
        let probe: TopicProbe
        var database: String { directory.appendingPathComponent("objects.sqlite").path }

        static func start(_ label: String) async throws -> Stack {
            let broker = try await startBroker()
            let directory = try temporaryDirectory(label)
            let probe = try TopicProbe(brokers: broker.bootstrapServers,
                                       watching: [LazarusTopics.objectReplies, LazarusTopics.deadLetters])
            return Stack(broker: broker, directory: directory, probe: probe)
        }

        /// Starts `object-service` and waits until it owns its partitions.
        func startService(_ extra: [String] = []) async throws -> ServiceProcess {
            let service = try ServiceProcess(
                "object-service",
                arguments: ["--brokers", broker.bootstrapServers, "--database", database, "--log-level", "debug"] + extra,
                environment: ["LAZARUS_KAFKA_SESSION_TIMEOUT_MS": "6000"],
                logDirectory: directory)
            try await service.waitForOutput("partitions assigned")
            return service
        }

        func send(_ request: ObjectRequest) async throws {
            try await probe.send(request, to: LazarusTopics.objectRequests)
        }

        func replies(job: String) -> [CallReply] {
            probe.decoded(CallReply.self, on: LazarusTopics.objectReplies).filter { $0.jobId == job }
        }

        func reply(job: String, seq: Int, replayed: Bool = false) async throws -> CallReply {
            try await probe.waitFor(CallReply.self, on: LazarusTopics.objectReplies) {
                $0.jobId == job && $0.seq == seq && $0.replayed == replayed
            }
        }

        func stop(_ service: ServiceProcess) async throws {
            service.signal(SIGTERM)
            let status = await service.waitForExit(timeout: .seconds(30))
            #expect(status == 0, "object-service should exit 0 on SIGTERM; log: \(service.logFile.path)")
        }

        func close() async {
            await probe.close()
        }
    }

    static func create(_ job: String, seq: Int, epoch: Int = 1, tenant: String = "acme", type: String = "invoice",
                       fields: [(key: String, value: JSONValue)] = [("amount", .number(10))]) -> ObjectRequest {
        ObjectRequest(jobId: job, tenant: tenant, epoch: epoch, seq: seq, op: "records.create",
                      args: [.string(type), .object(fields)])
    }

    // MARK: - Tests

    @Test func startsJoinsItsGroupAndExitsZeroOnSIGTERM() async throws {
        let stack = try await Stack.start("objsvc-start")
        let service = try await stack.startService()
        #expect(service.outputSoFar.contains("starting"))
        try await stack.stop(service)
        #expect(service.outputSoFar.contains("left the group"))
        await stack.close()
    }

    @Test func answersCallsAndReplaysFromTheJournal() async throws {
        let stack = try await Stack.start("objsvc-answers")
        let service = try await stack.startService()

        try await stack.send(Self.create("job-a", seq: 1, fields: [("amount", .number(42))]))
        try await stack.send(ObjectRequest(jobId: "job-a", tenant: "acme", epoch: 1, seq: 2, op: "records.load",
                                           args: [.string("invoice"), .string("invoice-1")]))
        try await stack.send(ObjectRequest(jobId: "job-a", tenant: "acme", epoch: 1, seq: 3, op: "records.update",
                                           args: [.string("invoice"), .string("invoice-99"), .object([])]))
        try await stack.send(ObjectRequest(jobId: "job-a", tenant: "acme", epoch: 1, seq: 4, op: "now", args: []))
        try await stack.send(ObjectRequest(jobId: "job-a", tenant: "acme", epoch: 1, seq: 5, op: "checkpoint", args: []))

        let created = try await stack.reply(job: "job-a", seq: 1)
        guard case .value(let record) = created.outcome else { Issue.record("create failed: \(created)"); return }
        #expect(record["id"] == .string("invoice-1"))
        #expect(record["version"] == .number(1))
        #expect(record["fields"] == .object([("amount", .number(42))]))
        #expect(!created.replayed)

        let loaded = try await stack.reply(job: "job-a", seq: 2)
        #expect(loaded.outcome == .value(record))
        let missing = try await stack.reply(job: "job-a", seq: 3)
        guard case .error(let notFound) = missing.outcome else { Issue.record("update should fail: \(missing)"); return }
        #expect(notFound.code == "not-found")
        let now = try await stack.reply(job: "job-a", seq: 4)
        guard case .value(.number) = now.outcome else { Issue.record("now() should be a number: \(now)"); return }
        let misrouted = try await stack.reply(job: "job-a", seq: 5)
        guard case .error(let unknown) = misrouted.outcome else { Issue.record("checkpoint is not executed here: \(misrouted)"); return }
        #expect(unknown.code == "unknown-operation")

        // The same (jobId, seq) again: the journaled outcome, nothing applied.
        try await stack.send(Self.create("job-a", seq: 1, fields: [("amount", .number(42))]))
        let replayed = try await stack.reply(job: "job-a", seq: 1, replayed: true)
        #expect(replayed.outcome == created.outcome)
        try await stack.send(ObjectRequest(jobId: "job-a", tenant: "acme", epoch: 1, seq: 4, op: "now", args: []))
        #expect(try await stack.reply(job: "job-a", seq: 4, replayed: true).outcome == now.outcome)

        // Same key, another call: nondeterministic replay, not applied.
        try await stack.send(Self.create("job-a", seq: 1, fields: [("amount", .number(43))]))
        let differing = try await stack.probe.waitFor(CallReply.self, on: LazarusTopics.objectReplies) {
            if case .error(let e) = $0.outcome { return $0.jobId == "job-a" && $0.seq == 1 && e.code == "nondeterministic-replay" }
            return false
        }
        #expect(!differing.replayed)

        // A newer epoch fences the older one.
        try await stack.send(Self.create("job-a", seq: 6, epoch: 2))
        _ = try await stack.reply(job: "job-a", seq: 6)
        try await stack.send(Self.create("job-a", seq: 7, epoch: 1))
        let fenced = try await stack.reply(job: "job-a", seq: 7)
        guard case .error(let fence) = fenced.outcome else { Issue.record("epoch 1 should be fenced: \(fenced)"); return }
        #expect(fence.code == "fenced")

        try await stack.stop(service)
        let store = try ObjectStore(path: stack.database)
        #expect(try store.count(tenant: "acme", type: "invoice") == 2)  // seq 1 and seq 6; never seq 1 twice, never seq 7
        #expect(try store.record(tenant: "acme", type: "invoice", id: "invoice-1")?.fields == .object([("amount", .number(42))]))
        let stats = try store.journalStats(jobId: "job-a")
        #expect(stats.calls == 6)
        #expect(stats.replaysServed == 2)
        #expect(stats.epoch == 2)
        await stack.close()
    }

    @Test func aKilledServiceLosesNoCallAndAppliesNoneTwice() async throws {
        let stack = try await Stack.start("objsvc-kill")
        var service = try await stack.startService()

        // 200 creates: 8 jobs × 25 calls, streamed with up to 10 unanswered at a time (like
        // executors waiting on results), so the kill lands mid-stream whatever the speed.
        let jobs = (1...8).map { "job-\($0)" }
        let requests = (1...25).flatMap { seq in jobs.map { Self.create($0, seq: seq, fields: [("n", .number(Double(seq)))]) } }
        @Sendable func answered() -> Set<String> {
            Set(stack.probe.decoded(CallReply.self, on: LazarusTopics.objectReplies).map { "\($0.jobId)/\($0.seq)" })
        }
        let sender = Task {
            for (index, request) in requests.enumerated() {
                try await waitUntil("room in the window", timeout: .seconds(120)) { answered().count >= index - 10 }
                try await stack.send(request)
            }
        }
        try await waitUntil("50 calls answered before the kill") { answered().count >= 50 }
        await service.crash()
        let answeredAtKill = answered().count
        service = try await stack.startService()
        try await sender.value
        try await waitUntil("every request has a reply", timeout: .seconds(120)) { answered().count == requests.count }
        #expect(answeredAtKill < requests.count, "the kill happened mid-stream")
        let allReplies = stack.probe.decoded(CallReply.self, on: LazarusTopics.objectReplies)
        #expect(allReplies.allSatisfy { if case .value = $0.outcome { true } else { false } }, "every create succeeded")
        // One id per (job, seq), even when a reply was produced twice (once replayed).
        for job in jobs {
            for seq in 1...25 {
                let ids = Set(allReplies.filter { $0.jobId == job && $0.seq == seq }.compactMap { reply -> JSONValue? in
                    if case .value(let record) = reply.outcome { return record["id"] } else { return nil }
                })
                #expect(ids.count == 1, "\(job)/\(seq) answered with ids \(ids)")
            }
        }
        try await stack.stop(service)

        let store = try ObjectStore(path: stack.database)
        #expect(try store.count(tenant: "acme", type: "invoice") == requests.count)
        for job in jobs {
            let stats = try store.journalStats(jobId: job)
            #expect(stats.calls == 25)
            #expect(stats.lastSeq == 25)
        }
        await stack.close()
    }

    @Test func deadLettersBadInputAndGoesOn() async throws {
        let stack = try await Stack.start("objsvc-bad")
        let service = try await stack.startService(["--max-request-bytes", "65536"])

        try await stack.probe.sendRaw([0xFF, 0x00, 0xC3, 0x28], to: LazarusTopics.objectRequests, key: "bad-garbage")
        try await stack.probe.sendRaw(Array("{\"v\":1,\"jobId\":".utf8), to: LazarusTopics.objectRequests, key: "bad-json")
        try await stack.probe.sendRaw(Array("{\"v\":1,\"jobId\":\"job-x\",\"seq\":\"one\"}".utf8), to: LazarusTopics.objectRequests, key: "bad-shape")
        // Over the limit, and so big that a dead letter carrying it whole (base64 + text)
        // could not be produced: the dead letter keeps a prefix.
        let big = Self.create("job-big", seq: 1, fields: [("blob", .string(String(repeating: "x", count: 600_000)))])
        try await stack.probe.sendRaw(try WireCodec.encode(big), to: LazarusTopics.objectRequests, key: "bad-size")
        let noTenant = ObjectRequest(jobId: "job-notenant", tenant: "", epoch: 1, seq: 1, op: "now", args: [])
        try await stack.send(noTenant)
        try await stack.send(Self.create("job-good", seq: 1))

        _ = try await stack.reply(job: "job-good", seq: 1)
        try await waitUntil("five dead letters") { stack.probe.deadLetters().count >= 5 }
        let letters = Dictionary(stack.probe.deadLetters().map { ($0.keyBase64.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) } ?? "", $0) }) { a, _ in a }
        #expect(letters["bad-garbage"]?.reason.contains("not valid JSON") == true, "\(letters["bad-garbage"]?.reason ?? "none")")
        #expect(letters["bad-json"]?.reason.contains("not valid JSON") == true)
        #expect(letters["bad-shape"]?.reason.contains("not a valid ObjectRequest") == true, "\(letters["bad-shape"]?.reason ?? "none")")
        #expect(letters["bad-size"]?.reason.contains("exceeds") == true, "\(letters["bad-size"]?.reason ?? "none")")
        #expect(letters["bad-size"]?.reason.contains("dead letter keeps the first") == true)
        #expect(letters["job-notenant"]?.reason.contains("tenant is empty") == true)
        #expect(letters["bad-garbage"]?.sourceTopic == LazarusTopics.objectRequests)
        // The call that names itself is answered with an error, so nobody waits forever.
        let refused = try await stack.reply(job: "job-notenant", seq: 1)
        guard case .error(let error) = refused.outcome else { Issue.record("expected an error reply"); return }
        #expect(error.code == "invalid-argument")

        // Still serving. A result too big for one Kafka message is refused, not stuck.
        let blob = JSONValue.string(String(repeating: "y", count: 50_000))
        for seq in 2...21 {
            try await stack.send(Self.create("job-good", seq: seq, type: "blob", fields: [("data", blob)]))
        }
        try await stack.send(ObjectRequest(jobId: "job-good", tenant: "acme", epoch: 1, seq: 22, op: "records.query",
                                           args: [.string("blob"), .object([]), .number(100)]))
        let query = try await stack.reply(job: "job-good", seq: 22)
        guard case .error(let tooLarge) = query.outcome else { Issue.record("a 1 MB result should be refused"); return }
        #expect(tooLarge.code == "too-large")
        try await stack.send(Self.create("job-good", seq: 23))
        _ = try await stack.reply(job: "job-good", seq: 23)
        #expect(service.isRunning)
        try await stack.stop(service)
        await stack.close()
    }

    @Test func refusesACorruptDatabaseAndExitsNonZero() async throws {
        let directory = try temporaryDirectory("objsvc-corrupt")
        let database = directory.appendingPathComponent("objects.sqlite")
        try Data(repeating: 0x5A, count: 64 * 1024).write(to: database)
        let service = try ServiceProcess("object-service", arguments: ["--brokers", "127.0.0.1:1", "--database", database.path],
                                         logDirectory: directory)
        let status = await service.waitForExit(timeout: .seconds(60))
        #expect(status != nil && status != 0)
        #expect(service.outputSoFar.contains("cannot open the object store"))
    }
}
