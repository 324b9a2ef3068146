import Foundation
import LazarusKafka
import LazarusObjectStore
import LazarusWire
import Synchronization
import Testing

/// A measurement, not a test: prints host calls per second through object-proxy and
/// object-service with N concurrent simulated jobs (each sends its next call when the
/// previous result arrives, like an executor). Runs only with LAZARUS_BENCH_OBJECTS=1.
/// Asserts nothing about speed; only that every call was answered and applied once.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["LAZARUS_BENCH_OBJECTS"] == "1"))
struct ObjectServiceThroughputTests {
    static let environment = ProcessInfo.processInfo.environment
    static let jobs = Int(environment["LAZARUS_BENCH_JOBS"] ?? "") ?? 64
    static let callsPerJob = Int(environment["LAZARUS_BENCH_CALLS"] ?? "") ?? 40

    @Test(arguments: [SaveStatePolicy.explicit, .afterWrite, .always])
    func hostCallsPerSecond(policy: SaveStatePolicy) async throws {
        let broker = try await startBroker()
        let directory = try temporaryDirectory("objsvc-bench")
        let database = directory.appendingPathComponent("objects.sqlite").path
        let env = ["LAZARUS_KAFKA_SESSION_TIMEOUT_MS": "6000"]
        let service = try ServiceProcess("object-service", arguments: ["--brokers", broker.bootstrapServers, "--database", database],
                                         environment: env, logDirectory: directory)
        let proxy = try ServiceProcess("object-proxy", arguments: ["--brokers", broker.bootstrapServers],
                                       environment: env, logDirectory: directory)
        try await service.waitForOutput("partitions assigned")
        try await proxy.waitForOutput("partitions assigned")

        let config = KafkaConfig(brokers: broker.bootstrapServers, clientId: "bench-executor")
        let producer = try KafkaProducer(config: config)
        var options = KafkaConsumerOptions(groupId: "bench-\(UUID().uuidString.prefix(6))", topics: [LazarusTopics.callResults])
        options.sessionTimeoutMs = 6_000
        let consumer = try KafkaConsumer(config: config, options: options)
        let waiters = ResultWaiters()
        let reader = Task {
            for await event in consumer.events {
                switch event {
                case .message(let message):
                    if let reply = try? WireCodec.decode(CallReply.self, from: message.value) { waiters.deliver(reply) }
                case .assigned: waiters.markAssigned()
                default: break
                }
            }
        }
        try await waitUntil("the bench consumer is assigned") { waiters.isAssigned }

        let continuation = Data(repeating: 0xAB, count: 4096)  // a small script's VM state
        func call(_ job: String, _ seq: Int) async throws {
            let request = HostCallRequest(jobId: job, tenant: "bench", epoch: 1, seq: seq, op: "records.create",
                                          args: [.string("invoice"), .object([("n", .number(Double(seq)))])],
                                          policy: policy, continuation: continuation)
            async let reply = waiters.wait(job: job, seq: seq)
            _ = try await producer.send(KafkaRecord(topic: LazarusTopics.calls, message: request))
            _ = await reply
        }
        // Warm-up: one call per job (connections, producer ids, SQLite cache).
        try await withThrowingTaskGroup(of: Void.self) { group in
            for j in 0..<Self.jobs { group.addTask { try await call("job-\(policy)-\(j)", 1) } }
            try await group.waitForAll()
        }
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for j in 0..<Self.jobs {
                group.addTask {
                    for seq in 2...(Self.callsPerJob + 1) { try await call("job-\(policy)-\(j)", seq) }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        let calls = Self.jobs * Self.callsPerJob
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("BENCH object path policy=\(policy) jobs=\(Self.jobs) calls=\(calls) seconds=\(String(format: "%.2f", seconds)) calls/s=\(Int(Double(calls) / seconds))")

        await consumer.close()
        reader.cancel()
        await producer.close()
        service.signal(SIGTERM)
        proxy.signal(SIGTERM)
        #expect(await service.waitForExit() == 0)
        #expect(await proxy.waitForExit() == 0)
        #expect(try ObjectStore(path: database).count(tenant: "bench", type: "invoice") == Self.jobs * (Self.callsPerJob + 1))
    }
}

/// Results by (job, seq), for the simulated executors.
private final class ResultWaiters: Sendable {
    private struct State {
        var waiting: [String: CheckedContinuation<CallReply, Never>] = [:]
        var early: [String: CallReply] = [:]
        var assigned = false
    }
    private let state = Mutex(State())

    var isAssigned: Bool { state.withLock { $0.assigned } }
    func markAssigned() { state.withLock { $0.assigned = true } }

    func wait(job: String, seq: Int) async -> CallReply {
        let key = "\(job)/\(seq)"
        return await withCheckedContinuation { continuation in
            let ready: CallReply? = state.withLock { state in
                if let reply = state.early.removeValue(forKey: key) { return reply }
                state.waiting[key] = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    func deliver(_ reply: CallReply) {
        let key = "\(reply.jobId)/\(reply.seq)"
        let waiter: CheckedContinuation<CallReply, Never>? = state.withLock { state in
            if let waiter = state.waiting.removeValue(forKey: key) { return waiter }
            state.early[key] = reply
            return nil
        }
        waiter?.resume(returning: reply)
    }
}
