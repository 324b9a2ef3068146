import Foundation
import LazarusKafka
import LazarusWire
import Synchronization
import Testing

// Helpers for the script-executor tests (the file name matches Executor*Tests.swift so the
// executor's tests own it). The test plays the other services: it writes run commands, reads
// host calls and answers them as the object proxy would.

/// Whether this build's executor can save and restore VM state. Flip to `true` when the
/// engine's snapshot codec is plugged into Services/script-executor/ContinuationCodec.swift
/// (it enables the snapshot tests and disables the one checking the stand-in's error).
let executorHasSnapshotCodec = true

/// A private broker, one `script-executor` process, and a probe on the topics it writes.
final class ExecutorHarness: Sendable {
    let broker: DevBrokerProcess
    let probe: TopicProbe
    let executor: ServiceProcess
    let instanceId: String
    let directory: URL

    /// Starts a broker and an executor, and waits until the executor asked to recover its
    /// partitions (it is then a group member with its partitions assigned).
    static func start(_ label: String, arguments: [String] = [], governance: String? = nil) async throws -> ExecutorHarness {
        let directory = try temporaryDirectory("executor-\(label)")
        let broker = try await startBroker()
        let probe = try TopicProbe(brokers: broker.bootstrapServers, watching: [
            LazarusTopics.calls, LazarusTopics.jobEvents, LazarusTopics.control, LazarusTopics.deadLetters,
        ])
        var arguments = arguments
        if let governance {
            let file = directory.appendingPathComponent("governance.json")
            try Data(governance.utf8).write(to: file)
            arguments += ["--governance", file.path]
        }
        let instanceId = "executor-\(label)-\(UUID().uuidString.prefix(4))"
        let executor = try ServiceProcess("script-executor",
                                          arguments: ["--brokers", broker.bootstrapServers, "--instance-id", instanceId] + arguments,
                                          environment: ["LAZARUS_LOG_LEVEL": "debug"], logDirectory: directory)
        let harness = ExecutorHarness(broker: broker, probe: probe, executor: executor, instanceId: instanceId, directory: directory)
        _ = try await probe.waitFor(ControlMessage.self, on: LazarusTopics.control, timeout: .seconds(90)) {
            $0.command == .recover && $0.jobId == instanceId
        }
        return harness
    }

    private init(broker: DevBrokerProcess, probe: TopicProbe, executor: ServiceProcess, instanceId: String, directory: URL) {
        self.broker = broker
        self.probe = probe
        self.executor = executor
        self.instanceId = instanceId
        self.directory = directory
    }

    func stop() async {
        executor.signal(SIGTERM)
        _ = await executor.waitForExit(timeout: .seconds(30))
        await probe.close()
        _ = await broker.terminate()
    }

    // MARK: Playing the checkpoint service

    func run(_ jobId: String, _ script: String, tenant: String = "acme", epoch: Int = 1, policy: SaveStatePolicy = .explicit,
             args: JSONValue = .object([]), snapshot: Data? = nil, snapshotSeq: Int? = nil, reason: String = "start") async throws {
        try await probe.send(RunCommand(jobId: jobId, tenant: tenant, epoch: epoch, program: script, args: args, policy: policy,
                                        snapshot: snapshot, snapshotSeq: snapshotSeq, reason: reason),
                             to: LazarusTopics.runs)
    }

    // MARK: Playing the object proxy

    func calls(_ jobId: String) -> [HostCallRequest] {
        probe.decoded(HostCallRequest.self, on: LazarusTopics.calls).filter { $0.jobId == jobId }
    }

    /// Waits for the call `seq` of `jobId` (at `epoch`, if given).
    func call(_ jobId: String, seq: Int, epoch: Int? = nil, timeout: Duration = .seconds(60)) async throws -> HostCallRequest {
        try await probe.waitFor(HostCallRequest.self, on: LazarusTopics.calls, timeout: timeout) {
            $0.jobId == jobId && $0.seq == seq && (epoch == nil || $0.epoch == epoch)
        }
    }

    func reply(_ call: HostCallRequest, _ outcome: CallOutcome) async throws {
        try await probe.send(CallReply(jobId: call.jobId, epoch: call.epoch, seq: call.seq, outcome: outcome), to: LazarusTopics.callResults)
    }

    func reply(_ call: HostCallRequest, result: JSONValue) async throws {
        try await reply(call, .value(result))
    }

    // MARK: Job events

    func events(_ jobId: String) -> [JobEvent] {
        probe.decoded(JobEvent.self, on: LazarusTopics.jobEvents).filter { $0.jobId == jobId }
    }

    func event(_ jobId: String, _ type: JobEvent.Kind, timeout: Duration = .seconds(60)) async throws -> JobEvent {
        try await probe.waitFor(JobEvent.self, on: LazarusTopics.jobEvents, timeout: timeout) { $0.jobId == jobId && $0.type == type }
    }

    /// The terminal event (`completed` or `failed`) of `jobId`.
    func end(_ jobId: String, timeout: Duration = .seconds(60)) async throws -> JobEvent {
        try await probe.waitFor(JobEvent.self, on: LazarusTopics.jobEvents, timeout: timeout) { $0.jobId == jobId && $0.isTerminal }
    }
}

/// Answers every host call on `lazarus.calls` the way the proxy and object service would
/// (an in-memory record store per tenant, journaled per `(jobId, seq)`), until cancelled.
final class FakeObjectHost: Sendable {
    private let task: Task<Void, Never>

    private final class Shared: Sendable {
        let state = Mutex(State())
    }

    private struct State {
        var answered: Set<String> = []
        var journal: [String: CallOutcome] = [:]
        var nextId = 1
        var records: [String: JSONValue] = [:]
    }

    /// `answer` may override the outcome of a call (return nil for the default behaviour).
    init(_ harness: ExecutorHarness, answer: @escaping @Sendable (HostCallRequest) -> CallOutcome? = { _ in nil }) {
        let shared = Shared()
        task = Task {
            var seen = 0
            while !Task.isCancelled {
                let all = harness.probe.messages(on: LazarusTopics.calls)
                if all.count > seen {
                    for message in all[seen...] {
                        guard let call = try? WireCodec.decode(HostCallRequest.self, from: message.value) else { continue }
                        // Yields and sleeps are left to the checkpoint service (the test).
                        if call.op == "yieldScript" || call.op == "sleep" { continue }
                        let key = "\(call.jobId)#\(call.epoch)#\(call.seq)#\(message.offset)#\(message.partition)"
                        let outcome: CallOutcome? = shared.state.withLock { s in
                            guard s.answered.insert(key).inserted else { return nil }
                            let journalKey = "\(call.jobId)#\(call.seq)"
                            if let journaled = s.journal[journalKey] { return journaled }
                            let outcome = answer(call) ?? Self.execute(call, &s)
                            s.journal[journalKey] = outcome
                            return outcome
                        }
                        if let outcome {
                            try? await harness.reply(call, outcome)
                        }
                    }
                    seen = all.count
                }
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    func cancel() { task.cancel() }

    private static func execute(_ call: HostCallRequest, _ s: inout State) -> CallOutcome {
        func arg(_ i: Int) -> JSONValue { i < call.args.count ? call.args[i] : .null }
        switch call.op {
        case "records.create":
            let id = "\(s.nextId)"
            s.nextId += 1
            let record: JSONValue = .object([("type", arg(0)), ("id", .string(id)), ("version", .number(1)), ("fields", arg(1))])
            s.records["\(call.tenant)/\(arg(0).stringValue ?? "")/\(id)"] = record
            return .value(record)
        case "records.load":
            return .value(s.records["\(call.tenant)/\(arg(0).stringValue ?? "")/\(arg(1).stringValue ?? "")"] ?? .null)
        case "checkpoint":
            var members: [(key: String, value: JSONValue)] = [("status", .string("saved"))]
            if case .string = arg(0) { members.append(("label", arg(0))) }
            return .value(.object(members))
        case "now": return .value(.number(1_700_000_000_000))
        case "random": return .value(.number(0.25))
        case "log": return .value(.null)
        default:
            return .error(CallError(code: "unknown-operation", message: "no host operation \(call.op)"))
        }
    }
}
