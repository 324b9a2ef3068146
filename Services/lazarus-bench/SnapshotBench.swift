import ArgumentParser
import LazarusEngine

/// `lazarus-bench snapshot`: encode and decode times of a suspended VM holding N live
/// objects (`SnapshotBenchmark`), the snapshot figures of docs/BENCHMARKS.md.
struct SnapshotBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Snapshot encode/decode time and size of a VM holding N live objects.")

    @Option(parsing: .upToNextOption, help: "Live script objects of each measured state.")
    var objects: [Int] = [1_000, 200_000]

    @Option(help: "Encodes and decodes of each state; the fastest counts.")
    var repetitions = 5

    func run() throws {
        for count in objects {
            guard count > 0 else { throw ValidationError("--objects takes positive counts, not \(count)") }
            print(try SnapshotBenchmark.run(objects: count, repetitions: repetitions))
        }
    }
}
