import ArgumentParser

/// `lazarus` — the command-line tool. Subcommands: `run` (in-process engine); the
/// Kafka-facing ones (`submit`, `jobs`, `status`, `watch`, `inspect`, `restore`, `cancel`)
/// are added next to it.
struct Lazarus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lazarus",
        abstract: "Run and manage Lazarus scripts.",
        subcommands: [RunCommand.self]
    )
}

Lazarus.main()
