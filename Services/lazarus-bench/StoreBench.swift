import ArgumentParser
import Foundation
import LazarusCheckpointStore
import LazarusWire

/// `lazarus-bench store`: what the checkpoint store costs per save-state point, the way the
/// checkpoint service meets them under policy `always` — snapshots of many jobs, a consumed
/// batch in one transaction — on a SQLite file with the service's durability.
struct StoreBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Checkpoint store cost per snapshot, batched as the checkpoint service does.")

    @Option(help: "Jobs the snapshots are spread over (round robin).")
    var jobs = 64

    @Option(help: "Snapshots per job.")
    var snapshots = 200

    @Option(help: "Snapshots per transaction (one consumed batch of the service).")
    var batch = 8

    @Option(help: "Continuation size in bytes.")
    var bytes = 1_500

    @Option(help: "Runs, each on a fresh file; the median counts.")
    var runs = 5

    func run() throws {
        guard jobs > 0, snapshots > 0, batch > 0, bytes > 0, runs > 0 else {
            throw ValidationError("every option takes a positive count")
        }
        var cpu: [Double] = []
        var wall: [Double] = []
        for _ in 0..<runs {
            let (cpuMicros, wallMicros) = try measureOnce()
            cpu.append(cpuMicros)
            wall.append(wallMicros)
        }
        cpu.sort()
        wall.sort()
        print(String(format: "store snapshot jobs=%d batch=%d bytes=%d cpu_us_per_snapshot=%.1f wall_us_per_snapshot=%.1f (median of %d; cpu runs:%@)",
                     jobs, batch, bytes, cpu[runs / 2], wall[runs / 2], runs, cpu.map { String(format: " %.1f", $0) }.joined()))
    }

    /// (process CPU µs, wall µs) per snapshot over one fresh store.
    private func measureOnce() throws -> (Double, Double) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lazarus-store-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try CheckpointStore(path: directory.appendingPathComponent("checkpoints.sqlite").path)

        let ids = (0..<jobs).map { "store-bench-\($0)" }
        for id in ids {
            _ = try store.register(JobSubmission(jobId: id, tenant: "bench", script: BenchScripts.writer,
                                                 args: .object([("writes", .string("\(snapshots)"))]), policy: .always),
                                   partition: 0)
        }
        let continuation = Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })
        let work = (1...snapshots).flatMap { seq in
            ids.map { SnapshotEvent(jobId: $0, tenant: "bench", epoch: 1, seq: seq, reason: "always", continuation: continuation) }
        }

        let startCPU = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID)
        let startWall = ContinuousClock.now
        var index = 0
        while index < work.count {
            let slice = work[index..<min(index + batch, work.count)]
            try store.inOneTransaction {
                for snapshot in slice {
                    guard case .stored = try store.saveSnapshot(snapshot) else {
                        throw BenchError("snapshot \(snapshot.seq) of \(snapshot.jobId) was not stored")
                    }
                }
            }
            index += batch
        }
        let wall = ContinuousClock.now - startWall
        let cpu = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - startCPU
        let count = Double(work.count)
        return (cpu * 1e6 / count, wall / .microseconds(1) / count)
    }
}
