import ArgumentParser
import Foundation
import LazarusKafka
import LazarusWire

/// `lazarus-bench services`: the service benchmarks of docs/BENCHMARKS.md against a running
/// stack (infra/bench.sh starts one): host-call round trip, write throughput of concurrent
/// jobs per save-state policy, and recovery after `kill -9` of an executor.
struct ServicesBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "services",
        abstract: "Host-call latency, 64-job throughput per policy, and executor recovery of a running stack.",
        discussion: """
            Needs the dev broker (or a cluster) and the four services running; infra/bench.sh \
            starts them, runs this, and stops them. Phases: latency, throughput, recovery \
            (recovery kills an executor: give every executor of the group with --executor).
            """)

    enum Phase: String, ExpressibleByArgument, CaseIterable {
        case latency, throughput, recovery
    }

    @Option(help: "Kafka bootstrap servers (default: $LAZARUS_BROKERS).")
    var brokers: String?

    @Option(parsing: .upToNextOption, help: "Phases to run, in order: latency, throughput, recovery.")
    var phases: [Phase] = [.latency, .throughput]

    @Option(help: "Latency: writes of the single job (each one host call).")
    var latencyWrites = 500

    @Option(help: "Latency: round trips left out at the start (compilation, first connections).")
    var warmUp = 20

    @Option(parsing: .upToNextOption, help: "Latency: policies to measure.")
    var latencyPolicies: [String] = ["explicit", "afterWrite"]

    @Option(help: "Throughput: concurrent jobs.")
    var jobs = 64

    @Option(help: "Throughput: writes per job.")
    var writes = 100

    @Option(parsing: .upToNextOption, help: "Throughput: policies, run interleaved each round.")
    var policies: [String] = ["afterWrite", "explicit", "always"]

    @Option(help: "Throughput: rounds (each runs every policy once; the median is reported).")
    var rounds = 3

    @Option(help: "Recovery: an executor of the group as INSTANCE-ID=PID (give each one).")
    var executor: [String] = []

    @Option(help: "Recovery: calls the job makes before its executor is killed.")
    var callsBeforeKill = 100

    func run() async throws {
        let config: KafkaConfig
        do {
            config = try KafkaConfig.fromEnvironment(brokers: brokers, clientId: "lazarus-bench")
        } catch {
            throw ValidationError(error.message)
        }
        let client = try await StackClient(config: config)
        let run = String(UUID().uuidString.prefix(8).lowercased())
        let tenant = "bench-\(run)"
        let session = ProcessInfo.processInfo.environment["LAZARUS_KAFKA_SESSION_TIMEOUT_MS"].map { "\($0) (LAZARUS_KAFKA_SESSION_TIMEOUT_MS)" }
            ?? "\(KafkaConsumerOptions(groupId: "", topics: []).sessionTimeoutMs) (library default)"
        print("services brokers=\(config.brokers) partitions=\(client.partitionCount) tenant=\(tenant) session_timeout_ms=\(session)")
        for phase in phases {
            switch phase {
            case .latency: try await latency(client: client, tenant: tenant, run: run)
            case .throughput:
                // A throughput window lasts seconds, so ±10 ms on its ends is noise; fetching
                // every 1 ms would load the dev broker, which walks a partition's whole log
                // on every fetch, and slow the services being measured.
                let coarse = try await StackClient(config: config, fetchWaitMaxMs: 10)
                try await throughput(client: coarse, tenant: tenant, run: run)
                await coarse.close()
            case .recovery: try await recovery(client: client, tenant: tenant, run: run, session: session)
            }
        }
        await client.close()
    }

    private func parsePolicies(_ texts: [String]) throws -> [SaveStatePolicy] {
        try texts.map { text in
            guard let policy = SaveStatePolicy(parsing: text) else { throw ValidationError("unknown policy '\(text)'") }
            return policy
        }
    }

    // MARK: - Phases

    private func latency(client: StackClient, tenant: String, run: String) async throws {
        let bench = HostCallLatency(client: client, tenant: tenant, run: run)
        for policy in try parsePolicies(latencyPolicies) {
            let r = try await bench.measure(policy: policy, writes: latencyWrites, warmUp: warmUp)
            let samples = r.samples, wire = r.createTimeSamples
            print("services latency policy=\(policy) round_trips=\(samples.count) p50_ms=\(fixed(quantile(samples, 0.5), 2))"
                  + " p90_ms=\(fixed(quantile(samples, 0.9), 2)) p99_ms=\(fixed(quantile(samples, 0.99), 2)) max_ms=\(fixed(samples.last ?? .nan, 2))"
                  + " | createtime p50_ms=\(fixed(quantile(wire, 0.5), 0)) p99_ms=\(fixed(quantile(wire, 0.99), 0))"
                  + " | script mean_ms=\(fixed(r.scriptMeanMs ?? .nan, 2))")
        }
    }

    private func throughput(client: StackClient, tenant: String, run: String) async throws {
        let bench = WriteThroughput(client: client, tenant: tenant, run: run)
        let policies = try parsePolicies(self.policies)
        var rates: [SaveStatePolicy: [Double]] = [:]
        for round in 1...max(1, rounds) {
            for policy in policies {
                let r = try await bench.measure(policy: policy, jobs: jobs, writes: writes, label: "r\(round)")
                rates[policy, default: []].append(r.callsPerSecond)
                print("services throughput round=\(round) policy=\(policy) jobs=\(jobs) calls=\(r.calls)"
                      + " window_s=\(fixed(r.window.milliseconds / 1000, 2)) calls_per_s=\(fixed(r.callsPerSecond, 0))"
                      + " submit_to_end_s=\(fixed(r.submitToEnd.milliseconds / 1000, 2))")
            }
        }
        func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[(s.count - 1) / 2] }
        for policy in policies {
            let xs = rates[policy]!
            print("services throughput policy=\(policy) median_calls_per_s=\(fixed(median(xs), 0)) (runs: \(xs.map { fixed($0, 0) }.joined(separator: " ")))")
        }
        if let explicit = rates[.explicit].map(median), let always = rates[.always].map(median) {
            print("services save_state_cost always_vs_explicit drop_pct=\(fixed((1 - always / explicit) * 100, 1))"
                  + " (explicit \(fixed(explicit, 0)) calls/s, always \(fixed(always, 0)) calls/s)")
        }
    }

    private func recovery(client: StackClient, tenant: String, run: String, session: String) async throws {
        let executors = try executor.map { text -> ExecutorRecovery.Executor in
            let parts = text.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let pid = Int32(parts[1]), pid > 0 else {
                throw ValidationError("--executor takes INSTANCE-ID=PID, not '\(text)'")
            }
            return ExecutorRecovery.Executor(instanceId: String(parts[0]), pid: pid)
        }
        guard executors.count >= 2 else { throw ValidationError("recovery needs two executors in the group (--executor twice)") }
        let r = try await ExecutorRecovery(client: client, tenant: tenant, run: run)
            .measure(executors: executors, callsBeforeKill: callsBeforeKill)
        func s(_ d: Duration?) -> String { d.map { fixed($0.milliseconds / 1000, 2) } ?? "?" }
        print("services recovery session_timeout_ms=\(session) killed=\(r.victim) standby=\(r.standby)"
              + " kill_to_first_resumed_call_s=\(s(r.firstCall)) (kill to standby's recover request \(s(r.recoverRequested)) s,"
              + " to resumed event \(s(r.resumed)) s) last_seq_before_kill=\(r.lastSeqBeforeKill)"
              + " resumed_from_snapshot_seq=\(r.resumedFromSnapshotSeq.map(String.init) ?? "?") first_resumed_call_seq=\(r.firstResumedSeq)")
    }
}

/// `x` with `digits` decimals.
func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
