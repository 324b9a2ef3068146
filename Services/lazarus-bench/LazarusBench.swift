import ArgumentParser

/// `lazarus-bench`: programs that print numbers. One subcommand per area; add yours to
/// `subcommands`.
@main
struct LazarusBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lazarus-bench",
        abstract: "Lazarus benchmarks: each subcommand measures one part and prints its numbers.",
        subcommands: [KafkaBench.self, EngineBench.self, ServicesBench.self, SnapshotBench.self, StoreBench.self, WireBench.self])
}
